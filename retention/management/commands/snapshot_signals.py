from __future__ import annotations

from django.core.management.base import BaseCommand

from retention.snapshots import take_signal_snapshots


class Command(BaseCommand):
    help = "Store this quarter's retention signals of every engineer (for the trends)."

    def handle(self, *args, **options) -> None:
        count = take_signal_snapshots()
        self.stdout.write(self.style.SUCCESS(f"Signal snapshots taken for {count} engineers."))
