"""Load the demo business. Idempotent: a second run changes nothing. Refuses when DEBUG is off."""

from collections.abc import Iterator
from contextlib import contextmanager
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from bookings_app.demo import seed
from bookings_app.mail.outbox import file_as_sent
from bookings_app.web.links import absolute_url

DEMO_PASSWORD = "rendez-demo"


class Command(BaseCommand):
    help = "Create the demo business (owner, staff, services, clients, bookings). Safe to run twice."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--quiet-summary", action="store_true", help="Do not print the sign-ins.")

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo only runs with DEBUG on: it creates accounts with a known password."
            )
        with transaction.atomic(), _nothing_handed_to_the_workers():
            started = timezone.now()  # inside: on SQLite the write lock is held from here on
            created = seed.seed_all(password=DEMO_PASSWORD)
            created += _seed_other_apps()
            file_as_sent(stored_since=started)
        self.stdout.write(self.style.SUCCESS(f"Demo data ready ({created} new record(s))."))
        if not options["quiet_summary"]:
            self.stdout.write(
                f"\n  Booking site   {absolute_url('/')}\n"
                f"  Dashboard      {absolute_url('/dashboard/')}\n"
                f"  Staff tablet   {absolute_url('/staff/')}\n"
                f"  Admin          {absolute_url('/admin/')}\n"
                f"  Embedded       {absolute_url('/embed/')} (for {seed.DEMO_WEBSITE})\n\n"
                f"  Owner  owner@rendez.test / {DEMO_PASSWORD}\n"
                f"  Staff  staff@rendez.test / {DEMO_PASSWORD}\n"
            )


@contextmanager
def _nothing_handed_to_the_workers() -> Iterator[None]:
    """The demo is history: the e-mails it stores are filed as sent and its events are processed
    already, so the hand-overs queued for after commit are dropped. Published, they would keep
    the workers busy for a minute before the first real booking's e-mail (beat's sweeps still
    pick up anything left pending)."""
    connection = transaction.get_connection()
    before = len(connection.run_on_commit)
    yield
    del connection.run_on_commit[before:]


def _seed_other_apps() -> int:
    """Each other app's ``demo_data.seed_demo(now=…)``, in INSTALLED_APPS order (loyalty, then
    automations): found by name, as the admin finds ``admin`` modules, so the booking app
    imports neither."""
    created = 0
    for app_config in apps.get_app_configs():
        if app_config.name != "bookings_app" and find_spec(f"{app_config.name}.demo_data") is not None:
            created += import_module(f"{app_config.name}.demo_data").seed_demo(now=timezone.now())
    return created
