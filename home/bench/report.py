"""Budgets, the printed table and bench/results.json."""

from __future__ import annotations

import os
import platform
import sys
from datetime import UTC, datetime
from pathlib import Path

import django
from django.conf import settings
from django.db import connection

from home.bench.measure import Target

MEMORY_BUDGET_MB = 250


def budgets(found: list[Target], load: dict | None) -> list[dict]:
    """Every budget with its limit, the measured value and whether it passed."""
    floor, pages = found[0], found[1:]
    floor_p95 = floor.percentile(95)
    result = []
    for t in pages:
        ratio = t.percentile(95) / floor_p95
        limit = t.page.budget(t.role)
        result.append(_budget(f"{t.label}: p95 ≤ {limit}× floor", "time", limit, ratio))
    for t in found:
        demo, large = t.queries["demo"], t.queries["large"]
        result.append(
            {
                "name": f"{t.label}: same queries at both sizes",
                "kind": "queries",
                "limit": demo,
                "value": large,
                "pass": demo == large,
            }
        )
    if load is not None:
        skipped = load.get("skipped")
        errors = None if skipped else load["errors"]
        peak = None if skipped else max(load["peak_memory_mb_per_worker"])
        result.append(_budget("load run: 0 errors", "load", 0, errors))
        result.append(
            _budget(f"load run: peak memory ≤ {MEMORY_BUDGET_MB} MB/worker", "load", 250, peak)
        )
    return result


def _budget(name: str, kind: str, limit: float, value: float | None) -> dict:
    # A budget that could not be measured has not passed.
    passed = value is not None and value <= limit
    return {"name": name, "kind": kind, "limit": limit, "value": _round(value), "pass": passed}


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def page_rows(found: list[Target]) -> list[dict]:
    floor = found[0]
    p50, p95 = floor.percentile(50), floor.percentile(95)
    return [
        {
            "page": t.page.name,
            "role": t.role,
            "url": t.url,
            "requests": len(t.times_ms),
            "p50_ms": round(t.percentile(50), 2),
            "p95_ms": round(t.percentile(95), 2),
            "p50_ratio": round(t.percentile(50) / p50, 2),
            "p95_ratio": round(t.percentile(95) / p95, 2),
            "budget_ratio": t.page.budget(t.role) if t is not floor else None,
            "queries": dict(t.queries),
            "kilobytes": round(t.size_bytes / 1024, 1),
        }
        for t in found
    ]


def table(rows: list[dict], checks: list[dict], load: dict | None) -> str:
    failed = {c["name"].split(":")[0] for c in checks if not c["pass"]}
    head = (
        f"{'page (role)':<26}{'p50 ms':>8}{'p95 ms':>8}{'×p50':>7}{'×p95':>7}{'budget':>8}"
        f"{'queries':>9}{'KB':>7}  ok"
    )
    lines = [head, "-" * len(head)]
    for r in rows:
        label = f"{r['page']} ({r['role']})"
        q = r["queries"]
        queries = f"{q['demo']}" if q["demo"] == q["large"] else f"{q['demo']}≠{q['large']}"
        budget = f"≤{r['budget_ratio']}×" if r["budget_ratio"] else "floor"
        lines.append(
            f"{label:<26}{r['p50_ms']:>8.1f}{r['p95_ms']:>8.1f}{r['p50_ratio']:>7.1f}"
            f"{r['p95_ratio']:>7.1f}{budget:>8}{queries:>9}{r['kilobytes']:>7.1f}"
            f"  {'FAIL' if label in failed else 'ok'}"
        )
    if load is not None:
        lines.append("")
        if "skipped" in load:
            lines.append(f"load run: skipped: {load['skipped']}")
        else:
            lines.append(
                f"load run: {load['seconds']} s, {load['connections']} connections, "
                f"{load['workers']} gunicorn workers: {load['requests_per_second']} req/s, "
                f"p50 {load['p50_ms']} ms, p95 {load['p95_ms']} ms, {load['errors']} errors, "
                f"peak memory per worker {load['peak_memory_mb_per_worker']} MB"
            )
    passed = sum(c["pass"] for c in checks)
    lines.append("")
    lines.append(f"budgets: {passed} of {len(checks)} pass")
    lines.extend(f"  FAIL {c['name']} (measured {c['value']})" for c in checks if not c["pass"])
    return "\n".join(lines)


def machine() -> dict:
    """Where the figures came from: they only compare within one run on one machine."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        memory_kb = int(Path("/proc/meminfo").read_text().split()[1])
    except OSError:
        memory_kb = 0
    if connection.vendor == "postgresql":
        version = connection.cursor().connection.info.server_version
        database = f"PostgreSQL {version // 10000}.{version % 10000}"
    else:
        import sqlite3

        database = f"SQLite {sqlite3.sqlite_version}"
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(memory_kb / 1024 / 1024, 1),
        "os": platform.platform(),
        "python": sys.version.split()[0],
        "django": django.get_version(),
        "database": database,
        "settings": os.environ.get("DJANGO_SETTINGS_MODULE", ""),
        "debug": settings.DEBUG,
        "conn_max_age": connection.settings_dict.get("CONN_MAX_AGE", 0),
    }


def results(
    *, rows: list[dict], checks: list[dict], load: dict | None, org: dict, requests: int
) -> dict:
    return {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "org": org,
        "requests_per_page": requests,
        "floor": {"p50_ms": rows[0]["p50_ms"], "p95_ms": rows[0]["p95_ms"]},
        "pages": rows,
        "load": load,
        "budgets": checks,
        "pass": all(c["pass"] for c in checks),
    }
