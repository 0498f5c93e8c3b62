"""The org chart as flat rows, built without recursion so any depth renders."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from accounts.models import Person


@dataclass(frozen=True)
class OrgRow:
    """One person in the chart, in reading order.

    The template writes nested lists from flat rows: a row with reports opens a
    `<ul>` for them (`opens`); a row without closes its `<li>` and then `closes`
    enclosing lists, back up to the next row's depth.
    """

    person: Person
    depth: int
    report_count: int
    opens: bool
    closes: range


def org_rows(people: Iterable[Person], root_id: int) -> list[OrgRow]:
    """The chart under `root_id` from already-fetched people (one query's worth).

    Deactivated people drop out; their active reports move up a level rather
    than vanish with them.
    """
    children: dict[int | None, list[Person]] = {}
    by_id: dict[int, Person] = {}
    for person in people:
        children.setdefault(person.manager_id, []).append(person)
        by_id[person.pk] = person

    def shown_reports(person_id: int) -> list[Person]:
        shown: list[Person] = []
        stack = list(reversed(children.get(person_id, [])))
        seen: set[int] = set()
        while stack:
            child = stack.pop()
            if child.pk in seen:  # bad data with a cycle must not loop forever
                continue
            seen.add(child.pk)
            if child.is_active:
                shown.append(child)
            else:
                stack.extend(reversed(children.get(child.pk, [])))
        return shown

    root = by_id[root_id]
    top = [root] if root.is_active else shown_reports(root_id)
    ordered: list[tuple[Person, int, int]] = []  # person, depth, shown report count
    stack = [(person, 0) for person in reversed(top)]
    visited: set[int] = set()
    while stack:
        person, depth = stack.pop()
        if person.pk in visited:
            continue
        visited.add(person.pk)
        reports = shown_reports(person.pk)
        ordered.append((person, depth, len(reports)))
        stack.extend((report, depth + 1) for report in reversed(reports))

    rows: list[OrgRow] = []
    for i, (person, depth, count) in enumerate(ordered):
        next_depth = ordered[i + 1][1] if i + 1 < len(ordered) else 0
        opens = next_depth > depth
        rows.append(OrgRow(person, depth, count, opens, range(0 if opens else depth - next_depth)))
    return rows
