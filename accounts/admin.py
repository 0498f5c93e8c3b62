from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.shortcuts import redirect

from accounts.models import Person, Team


class PersonChangeForm(UserChangeForm):
    class Meta:
        model = Person
        fields = "__all__"


class PersonCreationForm(AdminUserCreationForm):
    class Meta:
        model = Person
        fields = ("email", "name")


@admin.register(Person)
class PersonAdmin(UserAdmin):
    form = PersonChangeForm
    add_form = PersonCreationForm
    list_display = ("name", "email", "level", "level_since", "manager", "team", "is_active")
    list_filter = ("level", "team", "is_active", "is_staff")
    search_fields = ("name", "email")
    ordering = ("name",)
    autocomplete_fields = ("manager",)
    list_select_related = ("manager", "team")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Profile", {"fields": ("name", "level", "level_since", "manager", "team")}),
        ("Access", {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "name", "usable_password", "password1", "password2"),
            },
        ),
    )

    def has_delete_permission(self, request, obj=None) -> bool:
        # People are deactivated, never deleted: their history must survive.
        return False

    def delete_view(self, request, object_id, extra_context=None):
        # No delete link is shown; a typed or bookmarked delete URL is told the
        # way instead of getting a bare 403. Removing a departed person's data
        # is a deliberate, audited flow, not this page.
        messages.error(
            request,
            "People are deactivated, not deleted: untick “Active” and save. "
            "Their growth plan and its history stay.",
        )
        return redirect("admin:accounts_person_change", object_id)


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    search_fields = ("name",)
