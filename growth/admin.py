from __future__ import annotations

from django.contrib import admin

from growth.models import Competency, LevelPolicy, Transition

# Admins (people ops) edit the ladder here: levels and dwell times, transitions,
# competencies. Growth content — plans, experiments, reviews, support
# commitments, comments, the plan history — is deliberately not registered:
# admins set up the org, they do not read careers (DOMAIN.md, "Who uses it"),
# and no one, superuser included, deletes a plan or its history from here.
# Removing a departed person's data will be its own audited flow.


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
