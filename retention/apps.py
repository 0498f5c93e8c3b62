from django.apps import AppConfig


class RetentionConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "retention"

    def ready(self) -> None:
        from notifications.panels import register_job, register_kind
        from retention import jobs

        # The weekly graveyard audit and the nightly signal snapshots (retention/jobs.py):
        # beat entries with these defaults after migrate; admins change them in the admin.
        register_kind(jobs.GRAVEYARD_KIND, "New graveyard findings", exists=jobs.model_exists)
        register_job(jobs.GRAVEYARD_AUDIT)
        register_job(jobs.SIGNAL_SNAPSHOTS)
