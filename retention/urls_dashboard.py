from __future__ import annotations

from django.urls import path

from retention.views import dashboard

# Included from retention/urls.py (the "retention" namespace).
urlpatterns = [
    path("signals/", dashboard.dashboard, name="dashboard"),
    path("signals/export.csv", dashboard.export_csv, name="dashboard_export"),
    path("signals/people/<int:person_id>/", dashboard.person_signals, name="person_signals"),
]
