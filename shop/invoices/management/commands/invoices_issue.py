from django.core.management.base import BaseCommand, CommandError

from shop.invoices import services


class Command(BaseCommand):
    help = "Issue tax invoices for paid orders that have none, oldest order first."

    def add_arguments(self, parser):
        parser.add_argument(
            "--missing",
            action="store_true",
            help="Issue the invoices of paid orders placed before invoices existed.",
        )

    def handle(self, *args, missing: bool, **options):
        if not missing:
            raise CommandError("Say what to issue: --missing")
        issued = services.invoices_issue_missing()
        for document in issued:
            self.stdout.write(f"{document.number} for order {document.order.number}")
        self.stdout.write(self.style.SUCCESS(f"{len(issued)} invoice(s) issued."))
