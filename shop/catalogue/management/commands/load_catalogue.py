from django.core.management import call_command
from django.core.management.base import BaseCommand

from shop.bookings.fixtures import bookings_load
from shop.catalogue.services import catalogue_load
from shop.catalogue.thumbnails import thumbnails_make_all
from shop.content.services import content_load
from shop.notifications.services import communication_types_load


class Command(BaseCommand):
    help = "Load the clinic's catalogue from catalogue_fixtures/ (safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--refresh",
            action="store_true",
            help="Set titles, texts and prices from the fixtures again, over staff edits.",
        )
        parser.add_argument(
            "--no-index", action="store_true", help="Do not rebuild the search index."
        )

    def handle(self, *args, refresh: bool = False, no_index: bool = False, **options):
        self.stdout.write(f"Catalogue loaded: created {catalogue_load(refresh=refresh)}.")
        self.stdout.write(f"Content loaded: created {content_load(refresh=refresh)}.")
        # The shop's emails ship with the fixtures (catalogue_fixtures/communications.yaml).
        communication_types_load(refresh=refresh)
        # Practitioners, their hours and the public holidays (catalogue_fixtures/bookings.yaml).
        bookings_load()
        # Every page view finds its product thumbnails made (shop/catalogue/thumbnails.py).
        thumbnails_make_all()
        if not no_index:
            call_command("rebuild_index", interactive=False, verbosity=0)
