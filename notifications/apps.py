from __future__ import annotations

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class NotificationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "notifications"

    def ready(self) -> None:
        from notifications import jobs

        # Each registered job gets its beat entry once, after migrate; an admin's
        # later change to its day or hour is never overwritten (jobs.install_schedules).
        post_migrate.connect(jobs.install_schedules, sender=self)
