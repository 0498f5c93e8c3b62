from __future__ import annotations

from django.urls import path

from growth.views import coach, ladder, plans, reviews

app_name = "growth"

urlpatterns = [
    path("ladder/", ladder.ladder, name="ladder"),
    path("coach/", coach.coach, name="coach"),
    path("my-plan/", plans.my_plan, name="my_plan"),
    path("plans/<int:person_id>/", plans.plan_detail, name="plan_detail"),
    path("plans/<int:person_id>/edit/", plans.plan_edit, name="plan_edit"),
    path("plans/<int:person_id>/history/", plans.plan_history, name="plan_history"),
    path(
        "plans/<int:person_id>/experiments/new/",
        plans.experiment_create,
        name="experiment_create",
    ),
    path("experiments/<int:experiment_id>/edit/", plans.experiment_edit, name="experiment_edit"),
    path("experiments/<int:experiment_id>/move/", plans.experiment_move, name="experiment_move"),
    path("experiments/<int:experiment_id>/close/", plans.experiment_close, name="experiment_close"),
    path(
        "plans/<int:person_id>/commitments/new/",
        plans.commitment_create,
        name="commitment_create",
    ),
    path("commitments/<int:commitment_id>/edit/", plans.commitment_edit, name="commitment_edit"),
    path("plans/<int:person_id>/comments/new/", plans.comment_create, name="comment_create"),
    path("plans/<int:person_id>/reviews/new/", reviews.review_create, name="review_create"),
    path("plans/<int:person_id>/reviews/compare/", reviews.review_compare, name="review_compare"),
    path("reviews/<int:review_id>/", reviews.review_detail, name="review_detail"),
]
