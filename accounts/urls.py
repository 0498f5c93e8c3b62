from __future__ import annotations

from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("people/", views.org_chart, name="org_chart"),
    path("org/setup/", views.org_setup, name="org_setup"),
    path("org/import/", views.org_import, name="org_import"),
]
