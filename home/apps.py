from django.apps import AppConfig


class HomeConfig(AppConfig):
    """Pages that gather several apps (the home page, a person's profile) and the
    demo command. It sits above every app: nothing imports `home`."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "home"
