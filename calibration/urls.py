from __future__ import annotations

from django.urls import path

from calibration.views import attribution, cycles, rubric, session, work_items

app_name = "calibration"

urlpatterns = [
    # --- rubric, work items (evidence), attribution --------------------------------------
    path("rubric/", rubric.rubric, name="rubric"),
    path("work-items/", work_items.work_item_list, name="work_item_list"),
    path("work-items/new/", work_items.work_item_create, name="work_item_create"),
    path("work-items/<int:work_item_id>/", work_items.work_item_detail, name="work_item_detail"),
    path(
        "contributions/<int:contribution_id>/confirm/",
        work_items.contribution_confirm,
        name="contribution_confirm",
    ),
    path("people/<int:person_id>/attribution/", attribution.attribution, name="attribution"),
    # --- cycles: list/open/detail, drafting, lock, publish, results, export (views/cycles.py)
    path("cycles/", cycles.cycle_list, name="cycle_list"),
    path("cycles/new/", cycles.cycle_new, name="cycle_new"),
    path("cycles/<int:cycle_id>/", cycles.cycle_detail, name="cycle_detail"),
    path("cycles/<int:cycle_id>/advance/", cycles.cycle_advance, name="cycle_advance"),
    path("cycles/<int:cycle_id>/export.csv", cycles.cycle_export, name="cycle_export"),
    path("members/<int:member_id>/draft/", cycles.draft, name="draft"),
    path(
        "members/<int:member_id>/draft/<int:dimension_id>/",
        cycles.draft_save,
        name="draft_save",
    ),
    path("members/<int:member_id>/lock/", cycles.draft_lock, name="draft_lock"),
    path("members/<int:member_id>/results/", cycles.results, name="results"),
    # --- the calibration session grid (views/session.py) ---------------------------------
    path("cycles/<int:cycle_id>/session/", session.session, name="session"),
    path("cycles/<int:cycle_id>/session/history/", session.session_history, name="session_history"),
    path("session/ratings/<int:rating_id>/", session.session_rating, name="session_rating"),
]
