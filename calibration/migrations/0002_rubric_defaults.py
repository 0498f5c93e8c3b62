"""Seed the default rubric from DOMAIN.md §3: six process dimensions, anchors 1–4.

Idempotent: update_or_create by natural keys (calibration/rubric_defaults.py), so
running it where the rows exist restores the defaults' own fields and adds
nothing twice.
"""

from django.db import migrations

from calibration.rubric_defaults import seed_rubric


def seed(apps, schema_editor):
    seed_rubric(
        apps.get_model("calibration", "Dimension"),
        apps.get_model("calibration", "Anchor"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("calibration", "0001_initial"),
    ]

    operations = [
        # Reverse is a no-op: unapplying must not delete rubric rows admins have edited.
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
