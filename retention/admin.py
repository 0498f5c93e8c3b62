from __future__ import annotations

from django.contrib import admin

from retention.models import GraveyardSettings, ProblemType, RetentionSettings

# Admins (people ops) edit the problem types and the graveyard audit's threshold here.
# Models, plans, assignments, audit runs and API tokens are deliberately not
# registered: admins set up the org, they do not read careers (DOMAIN.md, "Who uses
# it"), and a token's hash is nobody's to see.


@admin.register(ProblemType)
class ProblemTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "order", "description"]
    list_editable = ["order"]


@admin.register(GraveyardSettings)
class GraveyardSettingsAdmin(admin.ModelAdmin):
    list_display = ["__str__", "graveyard_days"]

    def has_add_permission(self, request) -> bool:
        # One row (pk 1), created by the migration or on first read.
        return not GraveyardSettings.objects.exists()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(RetentionSettings)
class RetentionSettingsAdmin(admin.ModelAdmin):
    # Nonsense (negative spans, a floor below 2) is refused by the fields' validators,
    # with a message saying why, before the database constraints would be reached.
    list_display = ["__str__", "not_learning_days", "review_neglect_days", "anonymity_floor"]

    def has_add_permission(self, request) -> bool:
        return not RetentionSettings.objects.exists()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
