"""Load the demo business. Idempotent: a second run changes nothing. Refuses when DEBUG is off."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from bookings_app.demo import seed

DEMO_PASSWORD = "rendez-demo"


class Command(BaseCommand):
    help = "Create the demo business (owner, staff, services, clients, bookings). Safe to run twice."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--quiet-summary", action="store_true", help="Do not print the sign-ins.")

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG:
            raise CommandError("seed_demo only runs with DEBUG on: it creates accounts with a known password.")
        with transaction.atomic():
            created = seed.seed_all(password=DEMO_PASSWORD)
        self.stdout.write(self.style.SUCCESS(f"Demo data ready ({created} new record(s))."))
        if not options["quiet_summary"]:
            self.stdout.write(
                "\n  Booking site   http://127.0.0.1:8000/\n"
                "  Dashboard      http://127.0.0.1:8000/dashboard/\n"
                "  Staff tablet   http://127.0.0.1:8000/staff/\n"
                "  Admin          http://127.0.0.1:8000/admin/\n\n"
                f"  Owner  owner@rendez.test / {DEMO_PASSWORD}\n"
                f"  Staff  staff@rendez.test / {DEMO_PASSWORD}\n"
            )
