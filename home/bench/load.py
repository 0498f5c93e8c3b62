"""The load run: gunicorn with two workers on 127.0.0.1 under wrk, for a bounded time.

wrk (Debian's `wrk` package) keeps a fixed number of connections busy for a
fixed number of seconds, each request a page of the mix as a signed-in person
(bench/load.lua). Peak memory is each worker's high-water mark (VmHWM).
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.conf import settings

from home.bench.database import database_url
from home.bench.measure import Target

WORKERS = 2
CONNECTIONS = 8
LUA = Path(settings.BASE_DIR) / "bench" / "load.lua"
LOG = Path(settings.BASE_DIR) / "var" / "bench-gunicorn.log"


def run_load(found: list[Target], *, seconds: int) -> dict:
    """Requests per second, latency, errors and peak memory per worker, or why it was skipped."""
    wrk = shutil.which("wrk")
    if wrk is None:
        return {"skipped": "wrk is not installed (Debian: apt-get install wrk)"}
    port = _free_port()
    mix = [(t.url, f"{settings.SESSION_COOKIE_NAME}={_session(t)}") for t in found]
    LOG.parent.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "DATABASE_URL": database_url()}
    with open(LOG, "w") as log:
        server = subprocess.Popen(
            [
                *(sys.executable, "-m", "gunicorn", "config.wsgi:application"),
                *("--workers", str(WORKERS), "--bind", f"127.0.0.1:{port}"),
                *("--timeout", "60", "--log-level", "warning"),
            ],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_up(port, server)
        workers = _children(server.pid)
        # Every page must answer 200 as its person (a 302 to sign-in would pass wrk
        # unnoticed); twice, so both workers have compiled the templates.
        for _ in range(2 * WORKERS):
            for path, cookie in mix:
                _check(port, path, cookie)
        with tempfile.NamedTemporaryFile("w", suffix=".tsv") as lines:
            lines.writelines(f"{path}\t{cookie}\n" for path, cookie in mix)
            lines.flush()
            command = [
                *(wrk, "--threads", "2", "--connections", str(CONNECTIONS)),
                *("--duration", f"{seconds}s", "--timeout", "10s", "--script", str(LUA)),
                *(f"http://127.0.0.1:{port}", "--", lines.name),
            ]
            out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
        peaks = {pid: _peak_mb(pid) for pid in workers}
        restarted = set(_children(server.pid)) != set(workers)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    stats = json.loads(
        next(line for line in out.splitlines() if line.startswith("BENCH-JSON "))[11:]
    )
    seconds_run = stats["duration_us"] / 1e6
    return {
        "seconds": round(seconds_run, 1),
        "workers": WORKERS,
        "connections": CONNECTIONS,
        "mix": [t.label for t in found],
        "requests": stats["requests"],
        "requests_per_second": round(stats["requests"] / seconds_run, 1),
        "p50_ms": round(stats["latency_us"]["p50"] / 1000, 1),
        "p95_ms": round(stats["latency_us"]["p95"] / 1000, 1),
        "p99_ms": round(stats["latency_us"]["p99"] / 1000, 1),
        "errors": sum(stats["errors"].values()) + int(restarted),
        "error_kinds": {**stats["errors"], "worker_restarted": int(restarted)},
        "peak_memory_mb_per_worker": [round(mb, 1) for mb in peaks.values()],
    }


def _session(target: Target) -> str:
    return target.client.cookies[settings.SESSION_COOKIE_NAME].value


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until_up(port: int, server: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited ({server.returncode}); see {LOG}")
        try:
            _get(port, "/healthz", "")
            if len(_children(server.pid)) == WORKERS:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not start within {timeout:.0f} s; see {LOG}")


def _get(port: int, path: str, cookie: str) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def _check(port: int, path: str, cookie: str) -> None:
    status = _get(port, path, cookie)
    if status != 200:
        raise RuntimeError(f"{path} answered {status} through gunicorn; see {LOG}")


def _children(pid: int) -> list[int]:
    """The worker processes of the gunicorn master `pid` (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # The ppid is the second field after the parenthesised command name.
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return sorted(found)


def _peak_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmHWM for process {pid}")
