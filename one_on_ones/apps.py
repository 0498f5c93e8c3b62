from django.apps import AppConfig


class OneOnOnesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "one_on_ones"
    verbose_name = "1:1s"
