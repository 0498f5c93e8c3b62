"""Demo signal snapshots: the last quarters' trends on the dashboard (seed_demo).

The stories come from the other demos, read as signals on first sign-in as director@:
the Vision team's graveyard models (work not used), the Evals team's doubts about the
product direction (six people answered: above the anonymity floor, so the aggregate
shows), and Sofia Marchetti, over two years on RAG (not learning).
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from retention.models import SignalSnapshot
from retention.snapshots import take_signal_snapshots


def seed_signals_demo() -> int:
    """Snapshots for this quarter and the three before (computed as of each quarter's
    middle); adds nothing when snapshots exist. Answers how many were taken."""
    if SignalSnapshot.objects.exists():
        return 0
    today = timezone.localdate()
    return sum(take_signal_snapshots(at=today - timedelta(days=91 * back)) for back in (3, 2, 1, 0))
