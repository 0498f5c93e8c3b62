from __future__ import annotations

from django.urls import path

from notifications.views import inbox, jobs

app_name = "notifications"

urlpatterns = [
    path("", inbox.notification_list, name="list"),
    path("bell/", inbox.bell, name="bell"),
    path("<int:notification_id>/read/", inbox.mark_read, name="mark_read"),
    path("read-all/", inbox.mark_all_read, name="mark_all_read"),
    path("preferences/", inbox.preferences, name="preferences"),
    path("jobs/", jobs.job_health, name="job_health"),
]
