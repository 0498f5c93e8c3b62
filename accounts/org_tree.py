"""The org chart, opened level by level so that a page stays small at any org size.

Who reports to whom comes from one light query over the viewer's subtree
(id, manager, active: no names, no teams); only the people the page shows are
then fetched whole. The chart opens whole levels while it stays within
CHART_ROWS rows (a small org is shown entirely), plus the line down to the
person asked for (`?open=<id>`); everyone else is a "show reports" link that
htmx fills in place, or that reloads the page with that branch open.
Everything is built without recursion, so any depth works.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from accounts.models import Person

CHART_ROWS = 60


@dataclass(frozen=True)
class OrgRow:
    """One person in the chart, in reading order.

    The template writes nested lists from flat rows: a row whose reports are
    shown opens a `<ul>` for them (`opens`); any other row closes its `<li>`
    and then `closes` enclosing lists, back up to the next row's depth.
    """

    person: Person
    depth: int
    report_count: int
    opens: bool
    closes: range


class OrgTree:
    """The reporting lines under `root_id`, from (id, manager id, is active) links.

    Deactivated people drop out; their active reports move up a level rather
    than vanish with them.
    """

    def __init__(self, links: Iterable[tuple[int, int | None, bool]], root_id: int) -> None:
        self._children: dict[int | None, list[int]] = {}
        self._manager: dict[int, int | None] = {}
        self._active: dict[int, bool] = {}
        for pk, manager_id, is_active in links:
            self._children.setdefault(manager_id, []).append(pk)
            self._manager[pk] = manager_id
            self._active[pk] = is_active
        self._reports: dict[int, list[int]] = {}
        self.root_id = root_id
        self.top = [root_id] if self._active[root_id] else self.reports(root_id)

    def __contains__(self, pk: int) -> bool:
        return self._active.get(pk, False)

    @property
    def size(self) -> int:
        """How many people the chart has in all (active, in the subtree)."""
        return sum(self._active.values())

    def reports(self, pk: int) -> list[int]:
        """The person's reports as the chart shows them (deactivated ones replaced)."""
        if pk not in self._reports:
            shown: list[int] = []
            stack = list(reversed(self._children.get(pk, [])))
            seen: set[int] = set()
            while stack:
                child = stack.pop()
                if child in seen:  # bad data with a cycle must not loop forever
                    continue
                seen.add(child)
                if self._active[child]:
                    shown.append(child)
                else:
                    stack.extend(reversed(self._children.get(child, [])))
            self._reports[pk] = shown
        return self._reports[pk]

    def opened(self, *, rows: int = CHART_ROWS, open_id: int | None = None) -> set[int]:
        """Whose reports the page shows: whole levels while they fit in `rows` (the
        first level always), and the line down to `open_id` with its reports."""
        opened: set[int] = set()
        level, shown = self.top, len(self.top)
        while level:
            below = [report for pk in level for report in self.reports(pk)]
            if not below or (opened and shown + len(below) > rows):
                break
            opened.update(pk for pk in level if self.reports(pk))
            shown += len(below)
            level = below
        if open_id is not None:
            opened.update(self.line_to(open_id))
        return opened

    def line_to(self, pk: int) -> list[int]:
        """`pk` and the people above it up to the top of the chart."""
        line: list[int] = []
        seen: set[int] = set()
        current: int | None = pk
        while current is not None and current not in seen:
            seen.add(current)
            if self._active[current]:
                line.append(current)
            if current == self.root_id:
                break
            current = self._manager[current]
        return line

    def rows(self, opened: set[int], people: dict[int, Person]) -> list[OrgRow]:
        """The chart in reading order, going into the reports of `opened` people only."""
        ordered: list[tuple[int, int]] = []  # person, depth
        stack = [(pk, 0) for pk in reversed(self.top)]
        visited: set[int] = set()
        while stack:
            pk, depth = stack.pop()
            if pk in visited:
                continue
            visited.add(pk)
            ordered.append((pk, depth))
            if pk in opened:
                stack.extend((report, depth + 1) for report in reversed(self.reports(pk)))
        result: list[OrgRow] = []
        for i, (pk, depth) in enumerate(ordered):
            next_depth = ordered[i + 1][1] if i + 1 < len(ordered) else 0
            opens = next_depth > depth
            count = len(self.reports(pk))
            closes = range(0 if opens else depth - next_depth)
            result.append(OrgRow(people[pk], depth, count, opens, closes))
        return result

    def branch(self, pk: int, people: dict[int, Person]) -> list[OrgRow]:
        """The reports of `pk`, closed: what htmx puts in place of its "show reports" link."""
        return [
            OrgRow(people[report], 0, len(self.reports(report)), False, range(0))
            for report in self.reports(pk)
        ]

    def shown(self, opened: set[int]) -> list[int]:
        """The ids `rows(opened, …)` needs people for."""
        ids = list(self.top)
        for pk in opened:
            ids.extend(self.reports(pk))
        return ids
