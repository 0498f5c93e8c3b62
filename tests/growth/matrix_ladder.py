"""Permission matrix cases for the ladder and the coach (joined by tests/growth/matrix.py).

Both are for everyone signed in: the ladder is the same for the whole org, and
the coach only reads the text it is sent.
"""

from __future__ import annotations

from types import SimpleNamespace

from tests.matrix import SIGNED_IN, Case, statuses


def vague_text(org: SimpleNamespace) -> dict:
    return {"aspiration": "You need more impact"}


CASES = [
    Case("growth:ladder", SIGNED_IN),
    Case("growth:coach", SIGNED_IN, method="post", data=vague_text),
    Case(
        "growth:coach",
        SIGNED_IN,
        method="post",
        headers={"HX-Request": "true"},
        data=vague_text,
        label="htmx",
    ),
    # Advice is asked for by POST only; GET is refused (anonymous still goes to sign in).
    Case("growth:coach", statuses(405), method="get", label="get"),
    # A page that only reads refuses other methods (require_GET), after sign-in.
    Case("growth:ladder", statuses(405), method="post"),
]
