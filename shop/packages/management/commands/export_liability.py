"""Write the unused-sessions liability of package credits to a file (the dashboard's download)."""

import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from shop.core.selectors import CLINIC_TZ
from shop.packages.liability import liability_file


def _day(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"{value!r} is not a day (YYYY-MM-DD)") from error


class Command(BaseCommand):
    help = (
        "Export the unused-sessions liability as of a day (--as-of), or opening, sold, "
        "redeemed, refunded, expired and closing for a period (--from and --to), "
        "in Asia/Singapore days."
    )

    def add_arguments(self, parser):
        parser.add_argument("--as-of", dest="as_of", help="YYYY-MM-DD (default: today)")
        parser.add_argument("--from", dest="date_from", help="YYYY-MM-DD, first day of a period")
        parser.add_argument("--to", dest="date_to", help="YYYY-MM-DD, last day of a period")
        parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
        parser.add_argument("-o", "--output", required=True, help="file to write")

    def handle(self, *args, **options):
        date_from = _day(options["date_from"]) if options["date_from"] else None
        date_to = _day(options["date_to"]) if options["date_to"] else None
        if bool(date_from) != bool(date_to):
            raise CommandError("Give both --from and --to for a period.")
        if date_from and options["as_of"]:
            raise CommandError("Give either --as-of or --from/--to, not both.")
        if date_from and date_from > date_to:
            raise CommandError("--from must not be after --to.")
        as_of = (
            _day(options["as_of"]) if options["as_of"] else timezone.localdate(timezone=CLINIC_TZ)
        )
        content, _name = liability_file(
            file_format=options["format"], as_of=as_of, date_from=date_from, date_to=date_to
        )
        Path(options["output"]).write_bytes(content)
        self.stdout.write(f"Wrote {options['output']} ({len(content)} bytes)")
