from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm

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


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    search_fields = ("name",)
