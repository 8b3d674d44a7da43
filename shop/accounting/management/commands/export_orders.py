from datetime import date

from django.core.management.base import BaseCommand, CommandError

from shop.accounting.exports import export_log_finish, export_log_start
from shop.accounting.formats import export_file_write
from shop.accounting.models import ExportFormat, ExportOrigin, ExportPer
from shop.accounting.rows import ExportSpec


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"{value!r} is not a date (use YYYY-MM-DD)") from error


class Command(BaseCommand):
    help = (
        "Export the orders placed in a range of Singapore days (both included) as CSV or XLSX, "
        "the same file as the dashboard's download."
    )

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="date_from", required=True, help="YYYY-MM-DD")
        parser.add_argument("--to", dest="date_to", required=True, help="YYYY-MM-DD")
        parser.add_argument("--per", choices=ExportPer.values, default=ExportPer.ORDER)
        parser.add_argument("--format", choices=ExportFormat.values, default=ExportFormat.CSV)
        parser.add_argument(
            "--status", action="append", default=[], help="Only this status (repeatable)"
        )
        parser.add_argument("-o", "--output", required=True, help="File to write")

    def handle(self, *args, **options):
        date_from, date_to = _date(options["date_from"]), _date(options["date_to"])
        if date_from > date_to:
            raise CommandError("--from must not be after --to")
        spec = ExportSpec(
            date_from=date_from,
            date_to=date_to,
            per=options["per"],
            format=options["format"],
            statuses=tuple(options["status"]),
        )
        log = export_log_start(spec=spec, origin=ExportOrigin.COMMAND)
        with open(options["output"], "wb") as handle:
            totals = export_file_write(spec=spec, target=handle)
        export_log_finish(log=log, totals=totals)
        self.stdout.write(
            f"Wrote {totals.rows} rows ({totals.orders} orders) to {options['output']}."
        )
