from __future__ import annotations

from django.core.management.base import BaseCommand, CommandParser
from tqdm import tqdm

from retention.audit import STEPS, run_graveyard_audit
from retention.models import AuditRun


class Command(BaseCommand):
    help = (
        "Run the graveyard audit: models trained more than N days ago (the admin's "
        "setting, default 60) that are neither deployed nor archived with a reason."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days", type=int, default=None, help="N for this run (default: the admin's setting)."
        )

    def handle(self, *args, days: int | None = None, **options) -> None:
        if days is not None and days < 1:
            self.stderr.write("--days must be 1 or more.")
            raise SystemExit(2)
        # The audit is a few set-based statements; the bar shows which one runs.
        with tqdm(total=len(STEPS), desc="Graveyard audit", unit="step", file=self.stderr) as bar:

            def advance(step: str) -> None:
                bar.set_postfix_str(step)
                bar.update(1)

            run = run_graveyard_audit(trigger=AuditRun.Trigger.COMMAND, days=days, on_step=advance)
        self.stdout.write(
            self.style.SUCCESS(
                f"Graveyard audit: {run.findings_count} finding"
                f"{'s' if run.findings_count != 1 else ''} among {run.judged} models trained "
                f"before {run.cutoff:%Y-%m-%d} ({run.days} days)."
            )
        )
