from __future__ import annotations

import json
import random
import time
from io import StringIO
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from tqdm import tqdm

from accounts.bench import (
    DOMAIN,
    BenchOrg,
    OrgSize,
    build_bench_org,
    find_bench_org,
    other_build_exists,
)
from accounts.models import Person
from growth.models import GrowthPlan, PlanChange, QuarterlyReview
from home.bench import measure, registry, report
from home.bench.database import use_bench_database
from home.bench.load import run_load
from one_on_ones.models import OneOnOne, Pulse

BUILD_VERSION = 1  # bump when the org builder changes: the bench rebuilds


class Command(BaseCommand):
    help = (
        "Build a large synthetic org in the bench database (kept for the next run), "
        "measure every key page against the empty floor page and at both org sizes, "
        "run a load test, print the table and write bench/results.json."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        default = OrgSize()
        parser.add_argument("--engineers", type=int, default=default.engineers)
        parser.add_argument(
            "--managers", type=int, help="Default: one per 8 engineers (250 for 2,000)."
        )
        parser.add_argument("--directors", type=int, help="Default: up to 8.")
        parser.add_argument(
            "--requests", type=int, default=200, help="Timed requests per page and role."
        )
        parser.add_argument("--warmup", type=int, default=10, help="Untimed rounds first.")
        parser.add_argument("--load-seconds", type=int, default=60)
        parser.add_argument("--no-load", action="store_true", help="Skip the load run.")
        parser.add_argument("--rebuild", action="store_true", help="Build the bench database anew.")
        parser.add_argument(
            "--current-database",
            action="store_true",
            help="Use the configured database as it is (the tests do): no bench database, "
            "no migrate.",
        )
        parser.add_argument(
            "--output", default=str(Path(settings.BASE_DIR) / "bench" / "results.json")
        )
        parser.add_argument(
            "--profile",
            metavar="PAGE:ROLE",
            help='Write a pyinstrument profile of one target (e.g. "org chart:director") '
            "to var/ and stop.",
        )

    def handle(self, *args, **options) -> None:
        if settings.DEBUG:
            raise CommandError(
                "The bench measures production settings: run `make bench`, or set "
                "DJANGO_SETTINGS_MODULE=config.settings_bench."
            )
        size = OrgSize.scaled(options["engineers"])
        size = OrgSize(
            size.engineers,
            options["managers"] or size.managers,
            options["directors"] or size.directors,
        )
        builders = "-".join(f"{b.name}{b.version}" for b in registry.BUILDERS)
        key = f"{size.key}-v{BUILD_VERSION}-{builders}"
        bar = tqdm(disable=True if options["verbosity"] == 0 else None, leave=False)

        if not options["current_database"]:
            fresh = options["rebuild"]
            name = use_bench_database(fresh=fresh)
            self.stdout.write(f"Bench database: {name}")
            call_command("migrate", verbosity=0, interactive=False)
            if not fresh and other_build_exists(key):
                self.stdout.write("It holds another build: starting it anew.")
                use_bench_database(fresh=True)
                call_command("migrate", verbosity=0, interactive=False)
        org = self._org(key, size, bar)
        call_command("seed_demo", stdout=StringIO())
        # The demo's graveyard audit is the latest run, over every model in the database:
        # without statistics for its 2,000 findings the planner guessed one row and chose
        # a nested loop over the reporting-line CTE (the director's graveyard page took
        # 330 ms instead of 30). Production's autovacuum analyses a new run within a
        # minute; the bench must not measure the minute before.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        found = measure.targets(registry.large_cast(org), registry.demo_cast())

        if options["profile"]:
            self._profile(found, options["profile"])
            return
        bar.set_description("queries")
        measure.count_queries(found)
        measure.time_requests(
            found, requests=options["requests"], warmup=options["warmup"], bar=bar
        )
        bar.close()
        load = None
        if not options["no_load"]:
            self.stdout.write(f"Load run: {options['load_seconds']} s…")
            load = run_load(found, seconds=options["load_seconds"])
        rows = report.page_rows(found)
        checks = report.budgets(found, load)
        results = report.results(
            rows=rows,
            checks=checks,
            load=load,
            org=self._org_summary(size),
            requests=options["requests"],
        )
        # Scheduled jobs at size: each run once, its data rolled back (registry.JOBS).
        results["jobs"] = [vars(job(engineers=size.engineers)) for job in registry.JOBS]
        output = Path(options["output"])
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
        self.stdout.write(report.table(rows, checks, load))
        for job in results["jobs"]:
            self.stdout.write(
                f"Job {job['name']}: {job['seconds']:.2f} s, {job['queries']} queries, "
                f"found {job['found']}, sent {job['sent']}"
            )
        self.stdout.write(f"\nWritten to {output}")

    def _org(self, key: str, size: OrgSize, bar: tqdm) -> BenchOrg:
        """The large org: found from an earlier run with the same key, or built now."""
        org = find_bench_org(key)
        if org is not None:
            self.stdout.write(f"Reusing the large org ({size.key}).")
            return org
        self.stdout.write(f"Building the large org ({size.key})…")
        rng = random.Random(2026)
        with transaction.atomic():
            started = time.monotonic()
            org = build_bench_org(size, key=key, rng=rng, bar=bar)
            built = [("people", time.monotonic() - started)]
            for builder in registry.BUILDERS:
                started = time.monotonic()
                builder.build(org, rng, bar)
                built.append((builder.name, time.monotonic() - started))
        self.stdout.write("Built in " + ", ".join(f"{name} {s:.0f} s" for name, s in built) + ".")
        # Rows inserted in bulk have no planner statistics until autovacuum gets to them,
        # somewhere in the timed run: gather them now, so every run measures the same plans.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        return org

    def _org_summary(self, size: OrgSize) -> dict:
        large = Person.objects.filter(email__endswith=f"@{DOMAIN}")
        return {
            "large": {
                **vars(size),
                "people": large.count(),
                "growth_plans": GrowthPlan.objects.filter(engineer__in=large).count(),
                "quarterly_reviews": QuarterlyReview.objects.filter(
                    plan__engineer__in=large
                ).count(),
                "plan_changes": PlanChange.objects.filter(plan__engineer__in=large).count(),
                "one_on_ones": OneOnOne.objects.filter(pair__engineer__in=large).count(),
                "pulses": Pulse.objects.filter(one_on_one__pair__engineer__in=large).count(),
            },
            "demo": {"people": Person.objects.exclude(email__endswith=f"@{DOMAIN}").count()},
        }

    def _profile(self, found: list[measure.Target], which: str) -> None:
        page, _, role = which.rpartition(":")  # page names may hold a colon: "1:1:manager"
        target = next((t for t in found if (t.page.name, t.role) == (page, role)), None)
        if target is None:
            names = ", ".join(f"{t.page.name}:{t.role}" for t in found)
            raise CommandError(f"No target {which!r}. Targets: {names}")
        path = (
            Path(settings.BASE_DIR) / "var" / f"bench-profile-{page}-{role}.txt".replace(" ", "-")
        )
        measure.profile(target, requests=50, path=path)
        self.stdout.write(f"Profile of 50 requests written to {path}")
