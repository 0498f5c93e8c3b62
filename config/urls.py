from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from accounts import views as accounts_views
from home import views as home_views

urlpatterns = [
    path("", home_views.home, name="home"),
    path("healthz", accounts_views.healthz, name="healthz"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("accounts.urls")),
    path("", include("home.urls")),
    path("growth/", include("growth.urls")),
    path("admin/", admin.site.urls),
]
