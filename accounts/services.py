"""Writes that span many people: importing the org from a CSV file."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import IO, Any, cast

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Field
from django.utils import timezone

from accounts.models import Level, Person, Team

COLUMNS = ("email", "name", "manager_email", "level", "level_since", "team")
ROW_NUMBERING = (
    "Row numbers count as in a spreadsheet: the header is row 1, the first person is row 2."
)
_SAVE_AS = "Save it from your spreadsheet as “CSV UTF-8 (comma delimited)” and upload that."
_LEVEL_HINT = "use Junior, Mid, Senior or Staff"
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_LEVELS = {level.value: level for level in Level}
_PERSON_FIELDS = ("id", "email", "name", "level", "level_since", "team_id", "manager_id")


# Deeper than any real organisation; the org chart and the subtree query handle more,
# but a chain this long in an import is almost certainly a mistake in the file.
MAX_REPORTING_DEPTH = 40


@dataclass(frozen=True)
class RowError:
    # The row as a spreadsheet shows it (header = 1, first person = 2); None for the whole file.
    row: int | None
    message: str

    def __str__(self) -> str:
        return f"Row {self.row}: {self.message}" if self.row else f"File: {self.message}"


@dataclass
class ImportReport:
    errors: list[RowError] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    teams_created: int = 0
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        if self.errors:
            n = len(self.errors)
            return f"Nothing was imported: {n} problem{'s' * (n != 1)} found. {ROW_NUMBERING}"
        counts = f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"
        if self.teams_created:
            counts += f", {self.teams_created} new team{'s' * (self.teams_created != 1)}"
        if self.dry_run:
            return f"Dry run, nothing saved. The file is valid and would give: {counts}."
        return f"Org imported: {counts}."


class _NoProgress:
    """Stands in for tqdm when nobody watches (the web upload)."""

    def __init__(self, **kwargs: Any) -> None:
        pass

    def __enter__(self) -> _NoProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def update(self, n: int = 1) -> None:
        pass


# Called like tqdm: progress(total=..., desc=..., unit=...) -> context manager with update(n).
ProgressFactory = Callable[..., Any]


# Data rows as (spreadsheet row number, {column: stripped value}).
_Records = list[tuple[int, dict[str, str]]]


@dataclass
class _Row:
    number: int
    email: str
    name: str
    manager_email: str
    level: str
    level_since: date | None
    team: str


def import_org(
    *,
    file: IO[bytes] | IO[str],
    dry_run: bool = False,
    progress: ProgressFactory | None = None,
) -> ImportReport:
    """Create or update everyone in a CSV file, all or nothing.

    Every row is checked before anything is written; any problem means nothing
    is saved and the report lists every problem by spreadsheet row. People are
    matched by email regardless of case; new people get an unusable password
    until they accept an invitation (accounts/invitations.py) or reset it. The
    number of queries does not depend on the number of rows.
    """
    progress = progress or _NoProgress
    records, read_errors = _read_csv(file)
    if not records:
        return ImportReport(errors=read_errors, dry_run=dry_run)
    try:
        with transaction.atomic():
            people = {p.email.lower(): p for p in Person.objects.only(*_PERSON_FIELDS)}
            teams = {team.name.casefold(): team for team in Team.objects.all()}
            rows, errors = _validate(records, people, progress)
            # sorted() is stable: a row's problems keep the order they were found in.
            errors = sorted(read_errors + errors, key=lambda error: error.row or 0)
            if errors:
                return ImportReport(errors=errors, dry_run=dry_run)
            report = _plan(rows, people, teams)
            report.dry_run = dry_run
            if not dry_run:
                _write(rows, people, teams, progress)
            return report
    except IntegrityError:
        # Only a concurrent change can get here: the rows were all checked first.
        return ImportReport(
            errors=[RowError(None, "People changed while importing. Nothing was saved; retry.")],
            dry_run=dry_run,
        )


def _read_csv(file: IO[bytes] | IO[str]) -> tuple[_Records, list[RowError]]:
    """The data rows and the problems met reading them; no rows if the file is unreadable."""
    raw = file.read()
    if isinstance(raw, bytes):
        # A NUL byte never occurs in text: this is a spreadsheet, an image, an archive...
        if b"\x00" in raw:
            return [], [RowError(None, "This is not a CSV file. " + _SAVE_AS)]
        try:
            raw = raw.decode("utf-8-sig")  # Excel's "CSV UTF-8" starts with a BOM
        except UnicodeDecodeError:
            return [], [RowError(None, "The file is not UTF-8 text. " + _SAVE_AS)]
    text = raw.removeprefix("\ufeff")
    records: list[tuple[int, list[str]]] = []
    # Counting every record, blank lines included, gives the row a spreadsheet shows.
    reader = csv.reader(io.StringIO(text, newline=""))
    number = 0
    try:
        for number, cells in enumerate(reader, start=1):  # noqa: B007 - used after the loop
            records.append((number, cells))
    except csv.Error as exc:
        return [], [RowError(number + 1, f"The file cannot be read as CSV ({exc}). {_SAVE_AS}")]
    if not records or not any(cell.strip() for cell in records[0][1]):
        return [], [RowError(1, f"The first row must be the header: {','.join(COLUMNS)}.")]
    header = [cell.strip().lower() for cell in records[0][1]]
    errors = _check_header(header)
    if errors:
        return [], errors
    rows: _Records = []
    for number, cells in records[1:]:
        if not any(cell.strip() for cell in cells):
            continue  # blank lines and rows of empty cells are padding, not people
        if any(cell.strip() for cell in cells[len(header) :]):
            errors.append(
                RowError(number, f"{len(cells)} values, but the header has {len(header)} columns.")
            )
        # Short rows are padded; cells past the header are dropped (reported above).
        cells = cells + [""] * (len(header) - len(cells))
        values = {name: cell.strip() for name, cell in zip(header, cells, strict=False)}
        rows.append((number, values))
    if not rows:
        errors.append(RowError(None, "The file has a header row but nobody in it."))
    return rows, errors


def _check_header(header: list[str]) -> list[RowError]:
    errors = [
        RowError(1, f"Column {name} appears more than once.")
        for name in sorted({h for h in header if h and header.count(h) > 1})
    ]
    missing = [name for name in COLUMNS if name not in header]
    if missing:
        hint = ""
        if len(header) == 1 and ";" in header[0]:
            hint = " Columns must be separated by commas, not semicolons."
        errors.append(
            RowError(
                1,
                f"Missing column{'s' * (len(missing) != 1)}: {', '.join(missing)}. "
                f"The header must name: {','.join(COLUMNS)}.{hint}",
            )
        )
    return errors


def _validate(
    records: _Records,
    people: dict[str, Person],
    progress: ProgressFactory,
) -> tuple[list[_Row], list[RowError]]:
    errors: list[RowError] = []
    rows: list[_Row] = []
    first_row: dict[str, int] = {}  # email -> the row it first appears on
    today = timezone.localdate()
    with progress(total=len(records), desc="Validating", unit="row") as bar:
        for number, cells in records:
            row, row_errors = _parse_row(number, cells, today)
            if row.email and row.email in first_row:
                row_errors.append(
                    f"{row.email} is also on row {first_row[row.email]}: "
                    "each person may appear only once."
                )
            elif row.email:
                first_row[row.email] = number
            errors.extend(RowError(number, message) for message in row_errors)
            rows.append(row)
            bar.update(1)
    for row in rows:
        manager = row.manager_email
        if manager and manager != row.email and manager not in first_row and manager not in people:
            errors.append(
                RowError(
                    row.number,
                    f"Unknown manager {manager}: not in this file and not an existing person.",
                )
            )
    errors.extend(_cycle_errors(rows, people, first_row))
    return rows, errors


def _parse_row(number: int, cells: dict[str, str], today: date) -> tuple[_Row, list[str]]:
    problems: list[str] = []
    email = cells["email"].lower()
    if not email:
        problems.append("Email is empty.")
    elif not _is_email(email):
        problems.append(f"{cells['email']} is not a valid email address.")
        email = ""  # so nothing else (duplicates, managers, cycles) refers to it
    name = cells["name"]
    if not name:
        problems.append("Name is empty.")
    elif len(name) > 150:
        problems.append("Name is longer than 150 characters.")
    raw_level = cells["level"]
    level = _LEVELS.get(raw_level.lower(), "")
    if not raw_level:
        problems.append(f"Level is empty: {_LEVEL_HINT}.")
    elif not level:
        problems.append(f"Unknown level “{raw_level}”: {_LEVEL_HINT}.")
    level_since, problem = _parse_level_since(cells["level_since"], today)
    if problem:
        problems.append(problem)
    manager_email = cells["manager_email"].lower()
    if manager_email and manager_email == email:
        problems.append("A person cannot be their own manager.")
    team = cells["team"]
    if len(team) > 100:
        problems.append("Team name is longer than 100 characters.")
    row = _Row(number, email, name, manager_email, level, level_since, team)
    return row, problems


def _is_email(value: str) -> bool:
    if len(value) > 254:  # Person.email's column size
        return False
    try:
        validate_email(value)
    except ValidationError:
        return False
    return True


def _parse_level_since(value: str, today: date) -> tuple[date | None, str]:
    if not value:
        return None, "Level since is empty: use a date like 2024-01-31."
    try:
        # fromisoformat alone also takes 20240131 and 2024-W05; the file format is one.
        if not _ISO_DATE.fullmatch(value):
            raise ValueError
        parsed = date.fromisoformat(value)
    except ValueError:
        return None, f"Level since “{value}” is not a date written YYYY-MM-DD, like 2024-01-31."
    if parsed > today:
        return None, f"Level since {value} is in the future."
    return parsed, ""


def _cycle_errors(
    rows: list[_Row], people: dict[str, Person], first_row: dict[str, int]
) -> list[RowError]:
    """Reporting cycles in the org as it would be after the import."""
    email_of: dict[int | None, str] = {person.pk: email for email, person in people.items()}
    manager_of: dict[str, str | None] = {
        email: email_of.get(person.manager_id) for email, person in people.items()
    }
    for row in rows:
        if row.email and first_row.get(row.email) == row.number:
            known = row.manager_email in first_row or row.manager_email in people
            is_self = row.manager_email == row.email
            manager_of[row.email] = row.manager_email if known and not is_self else None
    errors: list[RowError] = []
    finished: set[str] = set()
    for start in first_row:
        path: list[str] = []
        position: dict[str, int] = {}
        node: str | None = start
        while node is not None and node not in finished and node not in position:
            position[node] = len(path)
            path.append(node)
            node = manager_of.get(node)
        finished.update(path)
        if node is None or node not in position:
            continue
        loop = path[position[node] :]
        for i, member in enumerate(loop):
            if member in first_row:
                chain = loop[i:] + loop[:i] + [member]
                message = f"Reporting cycle: {chain[0]} reports to {chain[1]}" + "".join(
                    f", who reports to {email}" for email in chain[2:]
                )
                errors.append(RowError(first_row[member], message + "."))
    if not errors:
        errors = _depth_errors(manager_of, first_row)
    return errors


def _depth_errors(manager_of: dict[str, str | None], first_row: dict[str, int]) -> list[RowError]:
    """Rows whose reporting chain would be deeper than MAX_REPORTING_DEPTH (no cycles here)."""
    depth: dict[str, int] = {}
    for start in first_row:
        chain: list[str] = []
        node: str | None = start
        while node is not None and node not in depth:
            chain.append(node)
            node = manager_of.get(node)
        above = -1 if node is None else depth[node]
        for member in reversed(chain):
            above += 1
            depth[member] = above
    return [
        RowError(
            row,
            f"{email} would be {depth[email]} levels below the top of the org; Trellis "
            f"allows at most {MAX_REPORTING_DEPTH}. Check the manager_email column.",
        )
        for email, row in first_row.items()
        if depth[email] > MAX_REPORTING_DEPTH
    ]


def _team_key(name: str) -> str:
    return name.casefold()


def _plan(rows: list[_Row], people: dict[str, Person], teams: dict[str, Team]) -> ImportReport:
    """Count what the import does without doing it, so a dry run reports the same numbers."""
    email_of: dict[int | None, str] = {person.pk: email for email, person in people.items()}
    team_name_of: dict[int | None, str] = {team.pk: key for key, team in teams.items()}
    report = ImportReport()
    report.teams_created = len({_team_key(r.team) for r in rows if r.team} - set(teams))
    for row in rows:
        person = people.get(row.email)
        if person is None:
            report.created += 1
        elif (
            person.name,
            person.level,
            person.level_since,
            team_name_of.get(person.team_id, ""),
            email_of.get(person.manager_id, ""),
        ) != (row.name, row.level, row.level_since, _team_key(row.team), row.manager_email):
            report.updated += 1
        else:
            report.unchanged += 1
    return report


def _write(
    rows: list[_Row],
    people: dict[str, Person],
    teams: dict[str, Team],
    progress: ProgressFactory,
) -> None:
    # A fixed number of statements whatever the row count: one INSERT for new
    # teams, one for new people, and at most one UPDATE per field (Django
    # splits these into batches only on SQLite).
    new_team_names: dict[str, str] = {}
    for row in rows:
        if row.team and _team_key(row.team) not in teams:
            new_team_names.setdefault(_team_key(row.team), row.team)  # first spelling wins
    for team in Team.objects.bulk_create([Team(name=n) for n in new_team_names.values()]):
        teams[_team_key(team.name)] = team

    with progress(total=len(rows), desc="Saving", unit="row") as bar:
        new_rows = [row for row in rows if row.email not in people]
        created = Person.objects.bulk_create(
            [
                Person(
                    email=row.email,
                    name=row.name,
                    level=row.level,
                    level_since=cast(date, row.level_since),  # _validate refused empty ones
                    team=teams.get(_team_key(row.team)),
                    # A manager created in this same import has no id yet: set below.
                    manager=people.get(row.manager_email),
                    password=make_password(None),
                )
                for row in new_rows
            ]
        )
        people.update({person.email: person for person in created})
        bar.update(len(created))

        # One UPDATE per field, over only the people whose value for it changed:
        # bulk_update's cost grows with rows x fields, so a file that changes
        # one thing for everyone stays quick.
        changed: dict[str, list[Person]] = {}
        for row in rows:
            for field_name in _apply(row, people, teams):
                changed.setdefault(field_name, []).append(people[row.email])
        for field_name, changed_people in changed.items():
            Person.objects.bulk_update(changed_people, [field_name])
        bar.update(len(rows) - len(created))


def _apply(row: _Row, people: dict[str, Person], teams: dict[str, Team]) -> list[str]:
    """Set the row's values on its person; the names of the fields that changed."""
    person = people[row.email]
    team = teams.get(_team_key(row.team))
    manager = people.get(row.manager_email)
    values = {
        "name": row.name,
        "level": row.level,
        "level_since": row.level_since,
        "team": team.pk if team else None,
        "manager": manager.pk if manager else None,
    }
    changed = []
    for field_name, value in values.items():
        model_field = Person._meta.get_field(field_name)
        assert isinstance(model_field, Field)
        attname = model_field.attname  # team -> team_id
        if getattr(person, attname) != value:
            setattr(person, attname, value)
            changed.append(field_name)
    return changed
