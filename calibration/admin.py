from __future__ import annotations

from django.contrib import admin

from calibration.models import Anchor, Dimension

# Admins (people ops) edit the rubric here: dimensions, their weight per level
# (0: not rated at that level) and the behavioural anchor of each score.
# Work items, contributions, cycles, ratings and their history are deliberately
# not registered: admins set up the org, they do not read careers (DOMAIN.md,
# "Who uses it"), and no rating or its history is edited or deleted from here.


class AnchorInline(admin.TabularInline):
    model = Anchor
    fields = ["score", "behaviour"]
    extra = 0
    max_num = 4  # scores 1–4, one anchor each


@admin.register(Dimension)
class DimensionAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "order",
        "weight_junior",
        "weight_mid",
        "weight_senior",
        "weight_staff",
    ]
    list_editable = ["order", "weight_junior", "weight_mid", "weight_senior", "weight_staff"]
    prepopulated_fields = {"key": ["name"]}
    fieldsets = [
        (None, {"fields": ["name", "key", "description", "order"]}),
        (
            "Weight per level (0: not rated at that level)",
            {"fields": ["weight_junior", "weight_mid", "weight_senior", "weight_staff"]},
        ),
    ]
    inlines = [AnchorInline]
