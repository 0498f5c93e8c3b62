"""Optimistic edits: a form carries the version it was opened at, and the save is a
conditional UPDATE on that version, so a second tab (or a second person) is told the
record changed instead of silently overwriting the first save. Any app's model with
`version` and `updated_at` columns uses it."""

from __future__ import annotations

from datetime import datetime

from django.db import models
from django.utils import timezone


class StaleVersion(Exception):
    """The record changed since the form was opened; nothing was saved."""


def update_if_version(
    model: type[models.Model], *, pk: int, version: int, values: dict, at: datetime | None = None
) -> None:
    """Save `values` only if the row is still at `version`; bump it. Raises StaleVersion."""
    updated = model._default_manager.filter(pk=pk, version=version).update(
        **values, version=version + 1, updated_at=at or timezone.now()
    )
    if not updated:
        raise StaleVersion
