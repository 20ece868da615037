"""Audit online payments against their ledger: exit code 1 when anything does not add up."""

from django.core.management.base import BaseCommand, CommandError

from bookings_app.payments.ledger_check import check_payments_ledger


class Command(BaseCommand):
    help = (
        "Check that every online payment's status and refunded amount agree with its charge and refund "
        "entries in the payments ledger. Exits with status 1 when anything drifted."
    )

    def handle(self, *args, **options) -> None:
        problems = check_payments_ledger()
        for problem in problems:
            self.stdout.write(problem)
        if problems:
            raise CommandError(f"{len(problems)} problem(s) found in the payments ledger.", returncode=1)
        self.stdout.write(self.style.SUCCESS("The payments ledger adds up."))
