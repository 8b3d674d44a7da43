from django.core.management.base import BaseCommand, CommandError

from shop.invoices import services


class Command(BaseCommand):
    help = (
        "Issue the documents missing: invoices of paid orders (oldest order first), then "
        "credit notes of recorded refunds."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--missing",
            action="store_true",
            help="Issue the documents of orders and refunds recorded before invoices existed.",
        )

    def handle(self, *args, missing: bool, **options):
        if not missing:
            raise CommandError("Say what to issue: --missing")
        issued = services.documents_issue_missing()
        for document in issued:
            self.stdout.write(f"{document.number} for order {document.order.number}")
        self.stdout.write(self.style.SUCCESS(f"{len(issued)} document(s) issued."))
