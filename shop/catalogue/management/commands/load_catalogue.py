from contextlib import contextmanager, nullcontext

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand

from shop.bookings.fixtures import bookings_load
from shop.catalogue.services import catalogue_load
from shop.catalogue.thumbnails import thumbnails_make_all
from shop.content.services import content_load
from shop.notifications.services import communication_types_load


@contextmanager
def realtime_index_paused():
    """Index no save while loading: the index is rebuilt from scratch right after.

    The realtime signal processor writes one Whoosh segment per saved product, condition
    and article; on an empty database that was most of the load's time.
    """
    processor = apps.get_app_config("haystack").signal_processor
    processor.teardown()
    try:
        yield
    finally:
        processor.setup()


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
        # Without the rebuild, the saves' own index updates are all the index gets.
        with nullcontext() if no_index else realtime_index_paused():
            self.stdout.write(f"Catalogue loaded: created {catalogue_load(refresh=refresh)}.")
            self.stdout.write(f"Content loaded: created {content_load(refresh=refresh)}.")
            # The shop's emails ship with the fixtures (catalogue_fixtures/communications.yaml).
            communication_types_load(refresh=refresh)
            # Practitioners, their hours, public holidays (catalogue_fixtures/bookings.yaml).
            bookings_load()
            # Every page view finds its product thumbnails made (shop/catalogue/thumbnails.py).
            thumbnails_make_all()
        if not no_index:
            call_command("rebuild_index", interactive=False, verbosity=0)
