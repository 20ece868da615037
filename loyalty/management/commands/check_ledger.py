"""Audit the points ledger: exit code 1 when a balance or an entry does not add up."""

from django.core.management.base import BaseCommand, CommandError

from loyalty.ledger_check import check_ledger


class Command(BaseCommand):
    help = (
        "Check that every client's stored points balance equals the sum of their ledger entries and that "
        "each entry's balance-after follows the one before. Exits with status 1 when anything drifted."
    )

    def handle(self, *args, **options) -> None:
        problems = check_ledger()
        for problem in problems:
            self.stdout.write(problem)
        if problems:
            raise CommandError(f"{len(problems)} problem(s) found in the points ledger.", returncode=1)
        self.stdout.write(self.style.SUCCESS("The points ledger adds up."))
