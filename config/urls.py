from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts import views as accounts_views
from accounts.forms import InvitedPasswordResetForm
from home import views as home_views
from retention.api import api as retention_api

urlpatterns = [
    path("", home_views.home, name="home"),
    path("healthz", accounts_views.healthz, name="healthz"),
    # Before django.contrib.auth.urls, which has the same path: reset also reaches
    # people who never chose a password (imported or invited).
    path(
        "accounts/password_reset/",
        auth_views.PasswordResetView.as_view(form_class=InvitedPasswordResetForm),
        name="password_reset",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("accounts.urls")),
    path("", include("home.urls")),
    path("growth/", include("growth.urls")),
    path("1on1/", include("one_on_ones.urls")),
    path("calibration/", include("calibration.urls")),
    path("retention/", include("retention.urls")),
    # The pipeline API: token-authenticated JSON, OpenAPI at /api/openapi.json, docs at /api/docs.
    path("api/", retention_api.urls),
    path("calendar/", include("one_on_ones.urls_calendar")),
    path("notifications/", include("notifications.urls")),
    path("admin/", admin.site.urls),
]
