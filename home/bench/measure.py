"""Server-side time and query count of every page, in one process and one run.

Requests go through Django's test Client: the whole middleware stack, the
session, the view and the template, without a socket or a WSGI server in
between (bench/README.md says why). Targets are interleaved, round by round
in a shuffled order, so whatever else the machine is doing falls on every
page alike; ratios to the floor are taken within the same run.
"""

from __future__ import annotations

import math
import random
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from tqdm import tqdm

from home.bench.registry import FLOOR, PAGES, Cast, Page


@dataclass
class Target:
    """One page as one role: its URL and signed-in client at each org size."""

    page: Page
    role: str
    url: str
    client: Client
    demo_url: str
    demo_client: Client
    times_ms: list[float] = field(default_factory=list)
    queries: dict[str, int] = field(default_factory=dict)
    size_bytes: int = 0

    @property
    def label(self) -> str:
        return f"{self.page.name} ({self.role})"

    def get(self, *, demo: bool = False) -> bytes:
        url, client = (self.demo_url, self.demo_client) if demo else (self.url, self.client)
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"{self.label}: {url} answered {response.status_code}")
        return response.content

    def percentile(self, p: float) -> float:
        """Nearest-rank percentile of the timed requests, in ms."""
        ordered = sorted(self.times_ms)
        return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def targets(large: Cast, demo: Cast) -> list[Target]:
    """The floor first, then every page for every role that reaches it."""
    clients: dict[tuple[str, str], Client] = {}

    def client(cast: Cast, role: str, org: str) -> Client:
        if (org, role) not in clients:
            clients[org, role] = Client()
            clients[org, role].force_login(cast.as_role(role))
        return clients[org, role]

    found = []
    for page in [FLOOR, *PAGES]:
        for role in page.roles:
            found.append(
                Target(
                    page=page,
                    role=role,
                    url=page.url(large),
                    client=client(large, role, "large"),
                    demo_url=page.url(demo),
                    demo_client=client(demo, role, "demo"),
                )
            )
    return found


def count_queries(found: list[Target]) -> None:
    """Each target's query count at both sizes (after a first request that warms caches)."""
    for target in found:
        for demo, size in ((True, "demo"), (False, "large")):
            target.get(demo=demo)
            with CaptureQueriesContext(connection) as captured:
                content = target.get(demo=demo)
            target.queries[size] = len(captured.captured_queries)
            if not demo:
                target.size_bytes = len(content)


def time_requests(found: list[Target], *, requests: int, warmup: int, bar: tqdm) -> None:
    """`warmup` untimed rounds, then `requests` timed ones, each in a new shuffled order."""
    order = list(found)
    shuffle = random.Random(8).shuffle
    bar.reset(total=(warmup + requests) * len(found))
    bar.set_description("requests")
    for round_ in range(warmup + requests):
        shuffle(order)
        for target in order:
            start = time.perf_counter()
            target.get()
            elapsed = (time.perf_counter() - start) * 1000
            if round_ >= warmup:
                target.times_ms.append(elapsed)
            bar.update(1)


def profile(target: Target, *, requests: int, path: Path) -> None:
    """A pyinstrument profile of `requests` requests to one target, as a text tree."""
    from pyinstrument import Profiler  # a dev dependency, only for --profile

    target.get()
    profiler = Profiler(interval=0.001)
    with profiler:
        for _ in range(requests):
            target.get()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(profiler.output_text(unicode=True, color=False))
