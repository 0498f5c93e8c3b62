"""The calendar feed's URLs, at /calendar/ (config/urls.py): the settings page and the
public feed, whose token is the only key."""

from __future__ import annotations

from django.urls import path

from one_on_ones import calendar_views

app_name = "calendar"

urlpatterns = [
    path("", calendar_views.calendar_settings, name="settings"),
    path("enable/", calendar_views.calendar_enable, name="enable"),
    path("revoke/", calendar_views.calendar_revoke, name="revoke"),
    path("<str:token>.ics", calendar_views.calendar_feed, name="feed"),
]
