"""Org import from CSV: `import_org`, the `import_org` command and the upload page.

Row numbers in reports count as a spreadsheet does: the header is row 1, so
data row N (the Nth person) is reported as row N + 1.
"""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

import pytest
from django.contrib.auth.hashers import is_password_usable
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Level, Person, Team
from accounts.services import MAX_REPORTING_DEPTH, ROW_NUMBERING, RowError, import_org

HEADER = "email,name,manager_email,level,level_since,team"
URL = "/org/import/"
LEVEL_NAMES = ["Junior", "mid", "SENIOR", "Staff"]


def csv_bytes(*lines: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *lines]) + "\n").encode()


def csv_file(*lines: str, header: str = HEADER) -> io.BytesIO:
    return io.BytesIO(csv_bytes(*lines, header=header))


def org_lines(size: int, *, prefix: str = "p") -> list[str]:
    """`size` people in a tree: the first at the top, each later one reporting to an earlier one."""
    lines = []
    for i in range(size):
        manager = f"{prefix}{(i - 1) // 5}@corp.example" if i else ""
        lines.append(
            f"{prefix}{i}@corp.example,Person {i},{manager},{LEVEL_NAMES[i % 4]},"
            f"2023-0{1 + i % 9}-15,{prefix.upper()} team {i % 4}"
        )
    return lines


def upload(content: bytes, name: str = "people.csv") -> dict:
    return {"file": SimpleUploadedFile(name, content, content_type="text/csv")}


# --- importing a valid file -------------------------------------------------------------------


def test_import_creates_people_with_managers_teams_and_levels(db):
    report = import_org(
        file=csv_file(
            "dana@corp.example,Dana Director,,Staff,2021-03-01,",
            "eli@corp.example,Eli Engineer,mara@corp.example,junior,2024-01-15,Vision",
            "Mara@Corp.example,Mara Manager,dana@corp.example,SENIOR,2022-06-15,Vision",
        )
    )

    assert report.errors == []
    assert (report.created, report.updated, report.unchanged, report.teams_created) == (3, 0, 0, 1)
    assert report.summary() == "Org imported: 3 created, 0 updated, 0 unchanged, 1 new team."
    people = {p.email: p for p in Person.objects.select_related("manager", "team")}
    assert set(people) == {"dana@corp.example", "eli@corp.example", "mara@corp.example"}
    eli, mara, dana = (
        people["eli@corp.example"],
        people["mara@corp.example"],
        people["dana@corp.example"],
    )
    assert (eli.name, eli.level, eli.level_since) == (
        "Eli Engineer",
        Level.JUNIOR,
        date(2024, 1, 15),
    )
    assert eli.manager == mara and mara.manager == dana and dana.manager is None
    assert eli.team.name == "Vision" and mara.team == eli.team and dana.team is None
    assert mara.level == Level.SENIOR and dana.level == Level.STAFF
    assert list(Team.objects.values_list("name", flat=True)) == ["Vision"]
    # New people sign in after choosing a password through password reset.
    assert not any(is_password_usable(p.password) for p in people.values())
    assert all(p.is_active and not p.is_staff for p in people.values())


def test_import_again_changes_nothing_and_edits_update(db):
    lines = org_lines(20)
    first = import_org(file=csv_file(*lines))
    before = list(Person.objects.order_by("pk").values())

    again = import_org(file=csv_file(*lines))

    assert (first.created, first.teams_created) == (20, 4)
    assert (again.created, again.updated, again.unchanged, again.teams_created) == (0, 0, 20, 0)
    assert list(Person.objects.order_by("pk").values()) == before

    lines[7] = "p7@corp.example,Person Seven,p0@corp.example,Staff,2024-02-01,New team"
    edited = import_org(file=csv_file(*lines))

    assert (edited.created, edited.updated, edited.unchanged, edited.teams_created) == (0, 1, 19, 1)
    p7 = Person.objects.select_related("manager", "team").get(email="p7@corp.example")
    assert (p7.name, p7.level, p7.level_since) == ("Person Seven", Level.STAFF, date(2024, 2, 1))
    assert (p7.manager.email, p7.team.name) == ("p0@corp.example", "New team")
    assert Person.objects.count() == 20


def test_import_updates_existing_people_matched_by_email_in_any_case(org):
    report = import_org(
        file=csv_file(
            # Mara moves to Speech under Omar; Eli gets promoted; a new hire joins Eli's old team.
            "MARA@Example.com,Mara M.,omar@example.com,Staff,2025-01-01,speech",
            "eli@example.com,Eli Engineer,mara@example.com,Mid,2025-02-01,Vision",
            "nia@example.com,Nia New,ELI@example.com,Junior,2025-03-01,Vision",
        )
    )

    assert (report.created, report.updated, report.unchanged, report.teams_created) == (1, 2, 0, 0)
    org.manager.refresh_from_db()
    org.engineer.refresh_from_db()
    assert (org.manager.name, org.manager.manager, org.manager.team) == (
        "Mara M.",
        org.other_manager,
        org.speech,  # an existing team, matched regardless of case
    )
    assert (org.engineer.level, org.engineer.level_since) == (Level.MID, date(2025, 2, 1))
    assert Person.objects.get(email="nia@example.com").manager == org.engineer
    assert Team.objects.count() == 3
    # People not in the file are left alone.
    org.peer.refresh_from_db()
    assert org.peer.manager == org.manager


def test_import_reads_utf8_with_bom_and_windows_line_endings(db):
    content = "\ufeff" + HEADER + "\r\n" + "zoe@corp.example,Zoë Ångström,,Mid,2023-05-01,Sök\r\n"

    report = import_org(file=io.BytesIO(content.encode()))

    assert report.errors == []
    zoe = Person.objects.get(email="zoe@corp.example")
    assert (zoe.name, zoe.team.name) == ("Zoë Ångström", "Sök")


def test_import_accepts_columns_in_any_order_and_skips_blank_lines(db):
    report = import_org(
        file=csv_file(
            "Top,top@corp.example,,mid,2023-01-01,",
            "",
            ",,,,,",
            "Low,low@corp.example,top@corp.example,junior,2023-01-01,",
            header="Name,Email,manager_email,Level,level_since,team",
        )
    )

    assert report.created == 2
    assert Person.objects.get(email="low@corp.example").manager.email == "top@corp.example"


def test_dry_run_reports_counts_and_saves_nothing(org):
    report = import_org(
        file=csv_file(
            "mara@example.com,Mara Manager,dana@example.com,Staff,2024-01-15,Vision",
            "new@example.com,New Person,mara@example.com,Junior,2024-01-15,Robotics",
        ),
        dry_run=True,
    )

    assert report.summary() == (
        "Dry run, nothing saved. The file is valid and would give: "
        "1 created, 1 updated, 0 unchanged, 1 new team."
    )
    assert not Person.objects.filter(email="new@example.com").exists()
    assert not Team.objects.filter(name="Robotics").exists()
    org.manager.refresh_from_db()
    assert org.manager.level == Level.SENIOR


# --- problems: reported by spreadsheet row, nothing saved -------------------------------------


def test_500_rows_with_a_bad_level_in_data_row_37_imports_nothing_and_names_row_38(db):
    lines = org_lines(500)
    lines[36] = "p36@corp.example,Person 36,p7@corp.example,Principal,2023-01-15,P team 0"

    report = import_org(file=csv_file(*lines))

    # Data row 37 is spreadsheet row 38: the header is row 1.
    assert report.errors == [
        RowError(38, "Unknown level “Principal”: use Junior, Mid, Senior or Staff.")
    ]
    assert str(report.errors[0]) == (
        "Row 38: Unknown level “Principal”: use Junior, Mid, Senior or Staff."
    )
    assert report.summary() == (
        "Nothing was imported: 1 problem found. Row numbers count as in a spreadsheet: "
        "the header is row 1, the first person is row 2."
    )
    assert (report.created, report.updated) == (0, 0)
    assert Person.objects.count() == 0
    assert Team.objects.count() == 0


FUTURE = (date.today() + timedelta(days=400)).isoformat()


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (
            "new@corp.example,New,ghost@corp.example,Mid,2023-01-15,",
            "Unknown manager ghost@corp.example: not in this file and not an existing person.",
        ),
        (
            "new@corp.example,New,,Principal,2023-01-15,",
            "Unknown level “Principal”: use Junior, Mid, Senior or Staff.",
        ),
        ("new@corp.example,New,,,2023-01-15,", "Level is empty: use Junior, Mid, Senior or Staff."),
        (
            "new@corp.example,New,,Mid,15/01/2023,",
            "Level since “15/01/2023” is not a date written YYYY-MM-DD, like 2024-01-31.",
        ),
        (
            "new@corp.example,New,,Mid,2023-02-30,",
            "Level since “2023-02-30” is not a date written YYYY-MM-DD, like 2024-01-31.",
        ),
        (
            "new@corp.example,New,,Mid,20230115,",
            "Level since “20230115” is not a date written YYYY-MM-DD, like 2024-01-31.",
        ),
        ("new@corp.example,New,,Mid,,", "Level since is empty: use a date like 2024-01-31."),
        (f"new@corp.example,New,,Mid,{FUTURE},", f"Level since {FUTURE} is in the future."),
        (
            "TOP@corp.example,Top Again,,Mid,2023-01-15,",
            "top@corp.example is also on row 2: each person may appear only once.",
        ),
        ("not-an-email,New,,Mid,2023-01-15,", "not-an-email is not a valid email address."),
        (",New,,Mid,2023-01-15,", "Email is empty."),
        ("new@corp.example,,,Mid,2023-01-15,", "Name is empty."),
        (
            "new@corp.example,New,NEW@corp.example,Mid,2023-01-15,",
            "A person cannot be their own manager.",
        ),
        (
            "new@corp.example,New,,Mid,2023-01-15,Team,extra",
            "7 values, but the header has 6 columns.",
        ),
    ],
)
def test_import_reports_a_bad_row_with_its_row_number(db, line, message):
    report = import_org(file=csv_file("top@corp.example,Top,,Staff,2020-01-01,", line))

    assert report.errors == [RowError(3, message)]
    assert Person.objects.count() == 0


def test_level_since_today_is_accepted(db):
    today = timezone.localdate().isoformat()

    report = import_org(file=csv_file(f"new@corp.example,New,,Mid,{today},"))

    assert report.errors == []


def test_import_lists_every_problem_in_row_order(db):
    report = import_org(
        file=csv_file(
            "a@corp.example,A,,Staff,2020-01-01,",
            "b@corp.example,B,nobody@corp.example,Mid,2020-01-01,",
            "c@corp.example,,a@corp.example,Lead,01-01-2020,",
            "b@corp.example,B again,a@corp.example,Mid,2020-01-01,",
            "d@corp.example,D,a@corp.example,Mid,2020-01-01,Vision,oops",
            "e@corp.example,E,d@corp.example,Mid,2020-01-01,",
        )
    )

    assert [str(e) for e in report.errors] == [
        "Row 3: Unknown manager nobody@corp.example: not in this file and not an existing person.",
        "Row 4: Name is empty.",
        "Row 4: Unknown level “Lead”: use Junior, Mid, Senior or Staff.",
        "Row 4: Level since “01-01-2020” is not a date written YYYY-MM-DD, like 2024-01-31.",
        "Row 5: b@corp.example is also on row 3: each person may appear only once.",
        "Row 6: 7 values, but the header has 6 columns.",
    ]
    assert Person.objects.count() == 0


def test_a_reporting_cycle_in_the_file_is_reported_on_each_of_its_rows(db):
    report = import_org(
        file=csv_file(
            "top@corp.example,Top,,Staff,2020-01-01,",
            "a@corp.example,A,b@corp.example,Mid,2020-01-01,",
            "b@corp.example,B,c@corp.example,Mid,2020-01-01,",
            "c@corp.example,C,a@corp.example,Mid,2020-01-01,",
        )
    )

    assert report.errors == [
        RowError(
            3,
            "Reporting cycle: a@corp.example reports to b@corp.example, "
            "who reports to c@corp.example, who reports to a@corp.example.",
        ),
        RowError(
            4,
            "Reporting cycle: b@corp.example reports to c@corp.example, "
            "who reports to a@corp.example, who reports to b@corp.example.",
        ),
        RowError(
            5,
            "Reporting cycle: c@corp.example reports to a@corp.example, "
            "who reports to b@corp.example, who reports to c@corp.example.",
        ),
    ]
    assert Person.objects.count() == 0


def test_making_a_manager_report_to_their_own_report_is_a_cycle(org):
    report = import_org(
        file=csv_file(
            "priya@example.com,Priya Peer,mara@example.com,Mid,2024-01-15,Vision",
            # Dana is Mara's manager, and Mara is Eli's: Dana cannot report to Eli.
            "dana@example.com,Dana Director,eli@example.com,Staff,2024-01-15,",
        )
    )

    assert report.errors == [
        RowError(
            3,
            "Reporting cycle: dana@example.com reports to eli@example.com, "
            "who reports to mara@example.com, who reports to dana@example.com.",
        )
    ]
    org.director.refresh_from_db()
    assert org.director.manager is None


def test_moving_a_report_out_before_their_manager_moves_under_them_is_no_cycle(org):
    # Eli leaves Mara for Omar, and Mara moves under Eli, in the same file: a valid tree.
    report = import_org(
        file=csv_file(
            "mara@example.com,Mara Manager,eli@example.com,Senior,2024-01-15,Vision",
            "eli@example.com,Eli Engineer,omar@example.com,Senior,2024-01-15,Speech",
        )
    )

    assert report.errors == []
    org.manager.refresh_from_db()
    assert org.manager.manager == org.engineer


@pytest.mark.parametrize(
    ("content", "error"),
    [
        (b"", RowError(1, f"The first row must be the header: {HEADER}.")),
        (
            b"email,name,level\na@corp.example,A,Mid\n",
            RowError(
                1,
                "Missing columns: manager_email, level_since, team. "
                f"The header must name: {HEADER}.",
            ),
        ),
        (
            b"email;name;manager_email;level;level_since;team\n",
            RowError(
                1,
                "Missing columns: email, name, manager_email, level, level_since, team. "
                f"The header must name: {HEADER}. "
                "Columns must be separated by commas, not semicolons.",
            ),
        ),
        (
            (HEADER + ",Email\n").encode(),
            RowError(1, "Column email appears more than once."),
        ),
        (csv_bytes(), RowError(None, "The file has a header row but nobody in it.")),
        (
            csv_bytes("zoë@corp.example,Zoë,,Mid,2023-01-01,").decode().encode("latin-1"),
            RowError(
                None,
                "The file is not UTF-8 text. Save it from your spreadsheet as "
                "“CSV UTF-8 (comma delimited)” and upload that.",
            ),
        ),
        (
            b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00",  # how an .xlsx file starts
            RowError(
                None,
                "This is not a CSV file. Save it from your spreadsheet as "
                "“CSV UTF-8 (comma delimited)” and upload that.",
            ),
        ),
    ],
)
def test_unreadable_files_are_reported_not_raised(db, content, error):
    report = import_org(file=io.BytesIO(content))

    assert report.errors == [error]
    assert Person.objects.count() == 0


# --- speed ------------------------------------------------------------------------------------


def _import_statements(size: int, prefix: str) -> list[str]:
    """The statements an import of `size` new people runs, each as its first three words."""
    with CaptureQueriesContext(connection) as ctx:
        report = import_org(file=csv_file(*org_lines(size, prefix=prefix)))
    assert (report.errors, report.created, report.teams_created) == ([], size, 4)
    statements: list[str] = []
    previous_bulk = False
    for query in ctx.captured_queries:
        sql = query["sql"]
        # SQLite takes at most 999 parameters a statement (Django 5.2), so Django
        # splits one bulk INSERT or UPDATE into batches there; count a run of
        # batches as the one statement it is on PostgreSQL. A per-row INSERT or
        # UPDATE has neither several VALUES nor a CASE, so it would still count.
        bulk = "), (" in sql or "CASE WHEN" in sql
        kind = " ".join(re.sub(r'"s\d+_x\d+"', "<name>", sql).split()[:3])
        if not (bulk and previous_bulk and statements[-1] == kind):
            statements.append(kind)
        previous_bulk = bulk
    if connection.vendor == "postgresql":
        assert len(ctx.captured_queries) == len(statements)
    return statements


def test_import_makes_the_same_queries_for_50_and_500_rows(db):
    small = _import_statements(50, prefix="s")
    large = _import_statements(500, prefix="l")

    assert large == small
    assert small == [
        "SAVEPOINT <name>",
        'SELECT "accounts_person"."id", "accounts_person"."email",',
        'SELECT "accounts_team"."id", "accounts_team"."name"',
        'INSERT INTO "accounts_team"',
        'INSERT INTO "accounts_person"',
        'UPDATE "accounts_person" SET',  # managers who are new in the same file
        "RELEASE SAVEPOINT <name>",
    ]


# --- the command ------------------------------------------------------------------------------


def test_command_imports_a_file(db, tmp_path):
    path = tmp_path / "people.csv"
    path.write_bytes(csv_bytes(*org_lines(12)))
    out = io.StringIO()

    call_command("import_org", str(path), stdout=out)

    assert out.getvalue() == "Org imported: 12 created, 0 updated, 0 unchanged, 4 new teams.\n"
    assert Person.objects.count() == 12


def test_command_exits_non_zero_and_prints_every_problem(db, tmp_path):
    path = tmp_path / "people.csv"
    path.write_bytes(
        csv_bytes(
            "a@corp.example,A,,Staff,2020-01-01,",
            "b@corp.example,B,ghost@corp.example,Mid,2020-01-01,",
            "c@corp.example,C,a@corp.example,Principal,2020-01-01,",
        )
    )
    err = io.StringIO()

    with pytest.raises(CommandError) as excinfo:
        call_command("import_org", str(path), stderr=err)

    assert excinfo.value.returncode == 1
    assert str(excinfo.value) == f"Nothing was imported: 2 problems found. {ROW_NUMBERING}"
    assert err.getvalue() == (
        "Row 3: Unknown manager ghost@corp.example: not in this file and not an existing person.\n"
        "Row 4: Unknown level “Principal”: use Junior, Mid, Senior or Staff.\n"
    )
    assert Person.objects.count() == 0


def test_command_dry_run_saves_nothing(db, tmp_path):
    path = tmp_path / "people.csv"
    path.write_bytes(csv_bytes(*org_lines(3)))
    out = io.StringIO()

    call_command("import_org", str(path), "--dry-run", stdout=out)

    assert "would give: 3 created, 0 updated, 0 unchanged, 3 new teams." in out.getvalue()
    assert Person.objects.count() == 0


def test_command_reports_a_missing_file(db, tmp_path):
    with pytest.raises(CommandError, match=r"Cannot read .*nope\.csv: No such file or directory\."):
        call_command("import_org", str(tmp_path / "nope.csv"))


# --- the upload page --------------------------------------------------------------------------


def test_upload_page_shows_the_form_and_the_expected_columns(client, org):
    client.force_login(org.admin)

    response = client.get(URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert '<label for="id_file">CSV file:</label>' in html
    assert 'enctype="multipart/form-data"' in html
    for column in ["email", "name", "manager_email", "level", "level_since", "team"]:
        assert f"<code>{column}</code>" in html
    assert "mara@example.com,Mara Manager,dana@example.com,Senior,2022-06-15,Vision" in html


def test_admin_uploads_a_file_and_sees_the_counts(client, org):
    client.force_login(org.admin)
    content = csv_bytes(
        "eli@example.com,Eli Engineer,mara@example.com,Mid,2025-01-01,Vision",
        "new@example.com,New Hire,eli@example.com,Junior,2025-02-01,Robotics",
    )

    response = client.post(URL, upload(content))

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:org_import")
    page = client.get(response["Location"]).content.decode()
    assert "Org imported: 1 created, 1 updated, 0 unchanged, 1 new team." in page
    assert Person.objects.get(email="new@example.com").manager == org.engineer


def test_upload_with_errors_lists_them_by_row_and_saves_nothing(client, org):
    client.force_login(org.admin)
    content = csv_bytes(
        "new@example.com,New Hire,eli@example.com,Junior,2025-02-01,Robotics",
        "eli@example.com,Eli Engineer,ghost@example.com,Mid,2025-01-01,Vision",
        "dana@example.com,Dana Director,eli@example.com,Staff,2021-01-01,",
    )

    response = client.post(URL, upload(content))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Nothing was imported: 1 problem found. Row numbers count as in a spreadsheet" in html
    assert "<caption>Problems in people.csv</caption>" in html
    assert (
        "<tr><td>3</td><td>Unknown manager ghost@example.com: "
        "not in this file and not an existing person.</td></tr>"
    ) in html
    assert not Person.objects.filter(email="new@example.com").exists()
    assert not Team.objects.filter(name="Robotics").exists()
    org.engineer.refresh_from_db()
    assert org.engineer.level == Level.JUNIOR


def test_upload_of_a_non_csv_file_is_reported(client, org):
    client.force_login(org.admin)

    response = client.post(URL, upload(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "photo.png"))

    assert response.status_code == 200
    assert "<tr><td>Whole file</td><td>This is not a CSV file." in response.content.decode()


def test_upload_larger_than_5_mb_is_refused(client, org):
    client.force_login(org.admin)
    content = csv_bytes(*org_lines(1)) + b" " * (5 * 1024 * 1024)

    response = client.post(URL, upload(content))

    assert response.status_code == 200
    assert (
        "This file is larger than 5 MB. Split it into smaller files." in response.content.decode()
    )
    assert Person.objects.filter(email="p0@corp.example").count() == 0


def test_upload_without_a_file_asks_for_one(client, org):
    client.force_login(org.admin)

    response = client.post(URL, {})

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()


@pytest.mark.parametrize("method", ["get", "post"])
def test_upload_page_is_forbidden_to_non_admins(client, org, method):
    client.force_login(org.director)

    response = getattr(client, method)(URL, upload(csv_bytes(*org_lines(2))))

    assert response.status_code == 403
    assert Person.objects.filter(email="p0@corp.example").count() == 0


def test_upload_page_sends_anonymous_visitors_to_sign_in(client, db):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={URL}"


def chain_lines(length: int, *, prefix: str = "c") -> list[str]:
    """`length` people, each reporting to the one before: a chain `length - 1` levels deep."""
    return [
        f"{prefix}{i}@corp.example,Chain {i},{f'{prefix}{i - 1}@corp.example' if i else ''},"
        "Mid,2023-01-15,"
        for i in range(length)
    ]


def test_import_accepts_a_chain_at_the_depth_limit(db):
    report = import_org(file=csv_file(*chain_lines(MAX_REPORTING_DEPTH + 1)))

    assert report.errors == []
    assert Person.objects.count() == MAX_REPORTING_DEPTH + 1


def test_import_refuses_a_chain_deeper_than_the_limit_and_saves_nothing(db):
    report = import_org(file=csv_file(*chain_lines(MAX_REPORTING_DEPTH + 3)))

    # The two people below the limit are named, by spreadsheet row.
    assert [error.row for error in report.errors] == [
        MAX_REPORTING_DEPTH + 3,
        MAX_REPORTING_DEPTH + 4,
    ]
    assert f"allows at most {MAX_REPORTING_DEPTH}" in report.errors[0].message
    assert Person.objects.count() == 0
