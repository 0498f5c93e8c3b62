"""The vocabulary of the permission matrix (tests/test_permission_matrix.py).

Each app lists its URLs in `tests/<app>/matrix.py` as `CASES: list[Case]`; the
matrix test finds those modules by itself, so a new app or view never edits
the matrix test. Every case states the expected answer for every role:

    person          org.engineer, whose data the URL is about
    peer            org.peer, same manager as the person
    manager         org.manager, the person's manager
    other_manager   org.other_manager, another team's manager under the same director
    director        org.director, the person's director
    other_director  org.other_director, heads another line
    admin           org.admin, people ops (is_staff), nobody's manager
    outsider        org.outsider, signed in, alone in the org
    anonymous       not signed in

An expected answer is an HTTP status, or LOGIN for "302 to the sign-in page".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from accounts.models import Person

ROLES = (
    "person",
    "peer",
    "manager",
    "other_manager",
    "director",
    "other_director",
    "admin",
    "outsider",
    "anonymous",
)

# The `org` fixture attribute each role signs in as.
ROLE_FIXTURE = {
    "person": "engineer",
    "peer": "peer",
    "manager": "manager",
    "other_manager": "other_manager",
    "director": "director",
    "other_director": "other_director",
    "admin": "admin",
    "outsider": "outsider",
}

LOGIN = "302 to login"

Expected = int | str
Builder = Callable[[SimpleNamespace], dict]


def statuses(signed_in: Expected, *, anonymous: Expected = LOGIN, **by_role: Expected) -> dict:
    """Every role's expected answer: `signed_in` for each signed-in role unless overridden."""
    unknown = set(by_role) - set(ROLES)
    if unknown:
        raise ValueError(f"Unknown roles: {sorted(unknown)}")
    expected = {role: signed_in for role in ROLES}
    expected["anonymous"] = anonymous
    expected.update(by_role)
    return expected


# The common shapes; spell out anything else with statuses().
ANYONE = statuses(200, anonymous=200)
SIGNED_IN = statuses(200)
# Data about the person: their reporting line sees it, everyone else gets 404.
REPORTING_LINE = statuses(404, person=200, manager=200, director=200)
ADMIN_ONLY = statuses(403, admin=200)


def no_kwargs(org: SimpleNamespace) -> dict:
    return {}


@dataclass(frozen=True)
class Case:
    """One request to one URL name, and the answer each role should get.

    `kwargs(org)` builds the URL kwargs; it may create objects (a growth plan
    for org.engineer, say) and keep them on `org` for `data(org)`, which builds
    the POST body. A URL with several methods or targets gets several cases,
    told apart by `label`.
    """

    url_name: str
    expected: Mapping[str, Expected]
    kwargs: Builder = no_kwargs
    method: str = "get"
    data: Builder | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    label: str = ""
    # How a role signs in for this case: None is a session (force_login); an API
    # route's case gives a function that makes the role's credentials (a token) and
    # answers the headers that carry them.
    sign_in: Callable[[Person], Mapping[str, str]] | None = None
    # The request body's content type (e.g. "application/json"); None: a form post.
    content_type: str | None = None

    def __post_init__(self) -> None:
        # Fails at collection: a case that forgets a role would silently test less.
        if set(self.expected) != set(ROLES):
            missing = sorted(set(ROLES) - set(self.expected))
            extra = sorted(set(self.expected) - set(ROLES))
            raise ValueError(f"{self.url_name}: roles missing {missing}, unknown {extra}")
        if self.method not in ("get", "post"):
            raise ValueError(f"{self.url_name}: method must be 'get' or 'post'")

    @property
    def id(self) -> str:
        return "-".join(part for part in (self.url_name, self.method, self.label) if part)
