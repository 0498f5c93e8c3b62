"""Permission matrix cases for the calibration session, and the builders its tests share.

Dana (director) holds the session; Mara rates Eli (the person) and Priya, Omar rates
Sam. Nobody but Dana reaches the session: the managers in the cycle get 404 like
everyone else, since the session compares them with each other.
"""

from __future__ import annotations

from types import SimpleNamespace

from calibration import services
from calibration.models import CalibrationCycle, CycleMember, Rating, WorkItem
from tests.calibration.matrix_cycles import applicable, open_dana_cycle, work_item
from tests.matrix import Case, statuses

State = CalibrationCycle.State
Result = WorkItem.Result
PROCESS = "Wrote the hypothesis down first and fixed seeds across the compared runs."
OUTCOME = "Shipped the new ranker and beat the baseline."


def _member(cycle: CalibrationCycle, engineer) -> CycleMember:
    return cycle.members.select_related("cycle", "engineer", "manager").get(engineer=engineer)


def _draft(member: CycleMember, dimension, score: int, justification: str, evidence) -> Rating:
    return services.save_draft_rating(
        member=member,
        actor=member.manager,
        dimension=dimension,
        score=score,
        justification=justification,
        evidence=evidence,
    )


def calibrating_cycle(org: SimpleNamespace) -> CalibrationCycle:
    """Dana's cycle in calibrating, with something for every part of the session:

    Eli (Mara): a 2 on one negative result (negative, thin), a 4 justified by shipping on
    work from the last days (outcome, late, thin), the rest 3 on process; Mara changed
    one after seeing results. Priya (Mara) all 4, Sam (Omar) all 2; Mara and Omar
    themselves (rated by Dana) left unrated. Kept on org: cycle, rating (Eli's 2).

    Built once per org and database: the matrix's method guard asks every URL of one org
    in turn, while the HTML check rolls each case back.
    """
    built = getattr(org, "session_cycle", None)
    if built is not None and CalibrationCycle.objects.filter(pk=built.pk).exists():
        return built
    cycle = open_dana_cycle(org)
    eli = _member(cycle, org.engineer)
    negative = work_item(org, title="Seed variance study", result=Result.NEGATIVE, days_ago=100)
    late = work_item(org, title="Ranker launch", result=Result.POSITIVE, days_ago=3)
    dimensions = applicable(eli)
    org.rating = _draft(eli, dimensions[0], 2, PROCESS, [negative])
    _draft(eli, dimensions[1], 4, OUTCOME, [late])
    for dimension in dimensions[2:]:
        _draft(eli, dimension, 3, PROCESS, [negative, late])
    services.lock_draft(member=eli, actor=org.manager)
    services.save_draft_rating(
        member=eli,
        actor=org.manager,
        dimension=dimensions[2],
        score=4,
        justification=PROCESS,
        evidence=[negative, late],
        reason="The write-up was more rigorous than I credited.",
    )
    for engineer, score in ((org.peer, 4), (org.other_engineer, 2)):
        member = _member(cycle, engineer)
        items = [
            work_item(org, engineer=engineer, title=f"Ablation {n}", days_ago=20 + 40 * n)
            for n in (1, 2)
        ]
        for dimension in applicable(member):
            _draft(member, dimension, score, PROCESS, items)
        services.lock_draft(member=member, actor=member.manager)
    services.advance_cycle(cycle=cycle, actor=org.director, to=State.CALIBRATING)
    org.session_cycle = cycle
    return cycle


def published_cycle(org: SimpleNamespace) -> CalibrationCycle:
    cycle = calibrating_cycle(org)
    services.change_in_session(
        rating=org.rating, actor=org.director, score=3, reason="Negative result, rigorous work."
    )
    services.advance_cycle(cycle=cycle, actor=org.director, to=State.PUBLISHED)
    return cycle


# --- URL kwargs and POST bodies ------------------------------------------------------------


def a_session(org: SimpleNamespace) -> dict:
    return {"cycle_id": calibrating_cycle(org).pk}


def a_published_session(org: SimpleNamespace) -> dict:
    return {"cycle_id": published_cycle(org).pk}


def a_drafting_cycle(org: SimpleNamespace) -> dict:
    return {"cycle_id": open_dana_cycle(org).pk}


def a_session_rating(org: SimpleNamespace) -> dict:
    calibrating_cycle(org)
    return {"rating_id": org.rating.pk}


def a_published_rating(org: SimpleNamespace) -> dict:
    published_cycle(org)
    return {"rating_id": org.rating.pk}


def a_drafting_rating(org: SimpleNamespace) -> dict:
    cycle = open_dana_cycle(org)
    eli = _member(cycle, org.engineer)
    item = work_item(org)
    org.rating = _draft(eli, applicable(eli)[0], 3, PROCESS, [item])
    return {"rating_id": org.rating.pk}


def change_data(org: SimpleNamespace) -> dict:
    org.rating.refresh_from_db()
    return {
        "score": "3" if org.rating.final_score != 3 else "2",
        "reason": "A rigorous negative result is good work.",
        "version": str(org.rating.version),
    }


HTMX = {"HX-Request": "true"}
# The director, and nobody else: 404 for the rest, the cycle's managers included.
DIRECTOR_ONLY = statuses(404, director=200)

CASES = [
    Case("calibration:session", DIRECTOR_ONLY, kwargs=a_session),
    Case("calibration:session", DIRECTOR_ONLY, kwargs=a_session, headers=HTMX, label="htmx"),
    Case("calibration:session", DIRECTOR_ONLY, kwargs=a_published_session, label="published"),
    Case(
        "calibration:session",
        statuses(404, director=403),
        kwargs=a_drafting_cycle,
        label="drafting",
    ),
    Case("calibration:session_history", DIRECTOR_ONLY, kwargs=a_session),
    Case(
        "calibration:session_history",
        DIRECTOR_ONLY,
        kwargs=a_published_session,
        label="published",
    ),
    Case("calibration:session_rating", DIRECTOR_ONLY, kwargs=a_session_rating),
    Case(
        "calibration:session_rating",
        DIRECTOR_ONLY,
        kwargs=a_session_rating,
        headers=HTMX,
        label="htmx",
    ),
    Case(
        "calibration:session_rating",
        DIRECTOR_ONLY,
        kwargs=a_published_rating,
        label="published",
    ),
    Case(
        "calibration:session_rating",
        statuses(404, director=403),
        kwargs=a_drafting_rating,
        label="drafting",
    ),
    Case(
        "calibration:session_rating",
        statuses(404, director=302),
        kwargs=a_session_rating,
        method="post",
        data=change_data,
    ),
    Case(
        "calibration:session_rating",
        DIRECTOR_ONLY,
        kwargs=a_session_rating,
        method="post",
        data=change_data,
        headers=HTMX,
        label="htmx",
    ),
    Case(
        "calibration:session_rating",
        statuses(404, director=403),
        kwargs=a_published_rating,
        method="post",
        data=change_data,
        label="published",
    ),
]
