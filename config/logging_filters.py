"""Logging filters that LOGGING (config/settings.py) attaches to loggers."""

from __future__ import annotations

import logging


def _escaped(text: str) -> str:
    # As Django escapes what it logs: a newline in a path cannot forge a line.
    return text.encode("unicode_escape").decode("ascii")


class ForbiddenAsOneLine(logging.Filter):
    """Log a 403 as one line: who, what, where and why, with no traceback.

    Django logs every PermissionDenied on django.request with its traceback,
    which tells nothing a refused request needs and buries real errors. The
    record stays a WARNING; its message becomes the user id, the method, the
    path and the reason given to PermissionDenied.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        if getattr(record, "status_code", None) != 403 or request is None:
            return True
        # Logging configured twice (a Celery worker started in the same process does it)
        # attaches the filter twice: the second pass must not find the reason gone.
        if getattr(record, "forbidden_one_line", False):
            return True
        record.forbidden_one_line = True
        user = getattr(request, "user", None)
        who = user.pk if user is not None and user.is_authenticated else "anonymous"
        reason = str(record.exc_info[1]) if record.exc_info else ""
        record.msg = "Forbidden: user %s %s %s: %s"
        record.args = (
            who,
            request.method,
            _escaped(request.path),
            _escaped(reason) or "no reason given",
        )
        record.exc_info = None
        record.exc_text = None
        return True
