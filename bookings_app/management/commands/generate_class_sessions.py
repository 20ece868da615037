"""Create class sessions from their weekly rules now, instead of waiting for the hourly beat."""

from django.core.management.base import BaseCommand

from bookings_app.services.sessions import generate_class_sessions


class Command(BaseCommand):
    help = "Create the sessions of every class rule up to the booking window. Safe to run any time."

    def handle(self, *args, **options) -> None:
        created = generate_class_sessions()
        self.stdout.write(f"{created} new class session(s).")
