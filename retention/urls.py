from __future__ import annotations

from django.urls import path

from retention.urls_dashboard import urlpatterns as dashboard_urlpatterns
from retention.views import assignments, graveyard, registry, tokens

app_name = "retention"

urlpatterns = [
    # --- the model registry, the deployment gate and plan (views/registry.py) ------------
    path("models/", registry.model_list, name="model_list"),
    path("models/new/", registry.model_create, name="model_create"),
    path("models/<int:model_id>/", registry.model_detail, name="model_detail"),
    path("models/<int:model_id>/move/", registry.model_move, name="model_move"),
    path("models/<int:model_id>/archive/", registry.model_archive, name="model_archive"),
    path("models/<int:model_id>/plan/", registry.plan_edit, name="plan_edit"),
    path("models/<int:model_id>/plan/approve/", registry.plan_approve, name="plan_approve"),
    # --- the graveyard audit (views/graveyard.py) ----------------------------------------
    path("graveyard/", graveyard.graveyard, name="graveyard"),
    path("graveyard/run/", graveyard.audit_run, name="audit_run"),
    # --- problem-type history (views/assignments.py) -------------------------------------
    path("people/<int:person_id>/assignments/", assignments.assignments, name="assignments"),
    path(
        "people/<int:person_id>/assignments/new/",
        assignments.assignment_create,
        name="assignment_create",
    ),
    # --- API tokens (views/tokens.py) ----------------------------------------------------
    path("tokens/", tokens.token_list, name="token_list"),
    path("tokens/new/", tokens.token_create, name="token_create"),
    path("tokens/<int:token_id>/revoke/", tokens.token_revoke, name="token_revoke"),
]

# --- signals and the dashboard (urls_dashboard.py, views/dashboard.py) ---------------
urlpatterns += dashboard_urlpatterns
