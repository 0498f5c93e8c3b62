from __future__ import annotations

from django.contrib import admin

from growth.models import (
    Competency,
    Experiment,
    GrowthPlan,
    LevelPolicy,
    PlanChange,
    QuarterlyReview,
    SupportCommitment,
    Transition,
)

# Admins (people ops) edit the ladder here: levels and dwell times, transitions,
# competencies. Plans belong to engineers and their managers, so plan data is
# read-mostly in the admin: visible for support, edited in the app where the
# history is recorded.


@admin.register(LevelPolicy)
class LevelPolicyAdmin(admin.ModelAdmin):
    list_display = ["level", "order", "expected_dwell_days", "description"]
    list_editable = ["expected_dwell_days"]
    ordering = ["order"]


class CompetencyInline(admin.StackedInline):
    model = Competency
    extra = 1
    fields = ["name", "behaviours", "order"]


@admin.register(Transition)
class TransitionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "focus", "order"]
    ordering = ["order"]
    inlines = [CompetencyInline]


@admin.register(Competency)
class CompetencyAdmin(admin.ModelAdmin):
    list_display = ["name", "transition", "order"]
    list_filter = ["transition"]
    list_select_related = ["transition"]


class ReadMostlyAdmin(admin.ModelAdmin):
    """Viewable and deletable (e.g. on request); created and edited in the app only."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(GrowthPlan)
class GrowthPlanAdmin(ReadMostlyAdmin):
    list_display = ["engineer", "transition", "next_review_due", "updated_at"]
    list_select_related = ["engineer", "transition"]
    search_fields = ["engineer__name", "engineer__email"]


@admin.register(Experiment)
class ExperimentAdmin(ReadMostlyAdmin):
    list_display = ["__str__", "plan", "status", "due_date", "closed_on"]
    list_filter = ["status"]
    list_select_related = ["plan__engineer"]
    search_fields = ["plan__engineer__name", "hypothesis"]


@admin.register(SupportCommitment)
class SupportCommitmentAdmin(ReadMostlyAdmin):
    list_display = ["plan", "manager", "kind", "status", "due_date"]
    list_filter = ["kind", "status"]
    list_select_related = ["plan__engineer", "manager"]
    search_fields = ["plan__engineer__name", "manager__name"]


@admin.register(QuarterlyReview)
class QuarterlyReviewAdmin(ReadMostlyAdmin):
    list_display = ["__str__", "quarter", "submitted_at", "submitted_by", "made_progress"]
    list_select_related = ["plan__engineer", "submitted_by"]
    search_fields = ["plan__engineer__name"]


@admin.register(PlanChange)
class PlanChangeAdmin(ReadMostlyAdmin):
    list_display = ["at", "plan", "actor", "subject", "action", "summary"]
    list_select_related = ["plan__engineer", "actor"]
    search_fields = ["plan__engineer__name", "actor__name", "summary"]

    # The history is the record of who changed what: nobody rewrites it.
    def has_delete_permission(self, request, obj=None) -> bool:
        return False
