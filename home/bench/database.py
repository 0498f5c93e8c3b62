"""The bench's own database, so a 2,000-person org never lands in the app's.

PostgreSQL: a database beside the configured one, named `<name>_bench`.
SQLite: var/bench.sqlite3. The default connection is pointed at it the way
Django's test runner points it at the test database.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.core.management.base import CommandError
from django.db import connection

SQLITE_FILE = Path(settings.BASE_DIR) / "var" / "bench.sqlite3"
APP_NAME = "BENCH_APP_NAME"  # the app's database NAME, kept in the connection's settings


def bench_name(settings_dict: dict) -> str:
    """The bench database's NAME for the app's database settings."""
    vendor = settings_dict["ENGINE"].rsplit(".", 1)[-1]
    if vendor == "postgresql":
        return f"{settings_dict['NAME']}_bench"
    if vendor == "sqlite3":
        return str(SQLITE_FILE)
    raise CommandError(f"The bench runs on PostgreSQL or SQLite, not {vendor}.")


def use_bench_database(*, fresh: bool) -> str:
    """Point the default connection at the bench database, creating it (anew if `fresh`).

    Called again (to start it anew when it holds another build), it stays on the same
    database: the name comes from the app's, remembered the first time.
    """
    app_name = connection.settings_dict.setdefault(APP_NAME, connection.settings_dict["NAME"])
    name = bench_name({**connection.settings_dict, "NAME": app_name})
    if connection.vendor == "postgresql":
        quoted = connection.ops.quote_name(name)
        with connection._nodb_cursor() as cursor:
            if fresh:
                cursor.execute(f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)")
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                cursor.execute(f"CREATE DATABASE {quoted}")
    else:
        SQLITE_FILE.parent.mkdir(parents=True, exist_ok=True)
        if fresh:
            SQLITE_FILE.unlink(missing_ok=True)
    connection.close()
    connection.settings_dict["NAME"] = name
    return name


def database_url() -> str:
    """DATABASE_URL of the database the default connection uses now (for gunicorn)."""
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{Path(s['NAME']).resolve()}"
    auth = quote(s["USER"] or "", safe="")
    if s["PASSWORD"]:
        auth += ":" + quote(s["PASSWORD"], safe="")
    host = s["HOST"] or "localhost"
    port = f":{s['PORT']}" if s["PORT"] else ""
    return f"postgres://{auth}{'@' if auth else ''}{host}{port}/{quote(s['NAME'], safe='')}"
