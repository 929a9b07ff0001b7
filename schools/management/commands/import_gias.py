"""manage.py import_gias path.csv: upsert the settings register from a GIAS extract."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from schools.imports import settings_import_gias


class Command(BaseCommand):
    help = (
        "Import settings from a CSV in the layout of the DfE's Get Information About Schools extract, "
        "upserting by URN, and report created, updated, unchanged and rejected rows."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="The CSV file.")
        parser.add_argument(
            "--encoding",
            default="utf-8-sig",
            help=(
                "The file's text encoding (default: UTF-8, with or without a byte-order mark). "
                "GIAS's own download is Windows-1252: pass --encoding cp1252 for it."
            ),
        )

    def handle(self, *args, path: Path, encoding: str, **options) -> None:
        try:
            # newline="" as the csv module asks, so quoted line breaks inside a cell survive.
            with path.open(encoding=encoding, newline="") as csv_file:
                report = settings_import_gias(csv_file=csv_file)
        except FileNotFoundError as error:
            raise CommandError(f"No such file: {path}") from error
        except LookupError as error:
            raise CommandError(f"Unknown encoding: {encoding}") from error
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error

        self.stdout.write(
            f"Created: {report.created_count}. Updated: {report.updated_count}. "
            f"Unchanged: {report.unchanged_count}. Rejected: {report.rejected_count}."
        )
        for row in report.rejected:
            urn = f"URN {row.urn}" if row.urn else "no URN"
            self.stdout.write(f"Row {row.row_number} ({urn}): {row.reason}")
        if report.rejected:
            self.stderr.write(
                self.style.WARNING(f"{report.rejected_count} rows were rejected; the rest were imported.")
            )
        else:
            self.stdout.write(self.style.SUCCESS("Every row was imported."))
