from __future__ import annotations

import sys
from functools import partial
from typing import IO

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from accounts.services import COLUMNS, import_org


class Command(BaseCommand):
    help = (
        f"Create or update people from a CSV file with the columns {','.join(COLUMNS)}."
        " All or nothing: any problem means nothing is saved and every problem is listed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("csv_file", help="Path to the CSV file, or - to read standard input.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and report; save nothing."
        )

    def handle(self, *args, csv_file: str, dry_run: bool = False, **options) -> None:
        # tqdm draws on stderr only when it is a terminal (disable=None), so logs stay clean.
        quiet = options["verbosity"] == 0
        progress = partial(tqdm, disable=True if quiet else None, leave=False)
        if csv_file == "-":
            report = import_org(file=sys.stdin.buffer, dry_run=dry_run, progress=progress)
        else:
            file = self._open(csv_file)
            with file:
                report = import_org(file=file, dry_run=dry_run, progress=progress)
        if not report.ok:
            for error in report.errors:
                self.stderr.write(str(error))
            raise CommandError(report.summary())
        self.stdout.write(self.style.SUCCESS(report.summary()))

    def _open(self, path: str) -> IO[bytes]:
        try:
            return open(path, "rb")  # noqa: SIM115 - closed by the caller's `with`
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}.") from exc
