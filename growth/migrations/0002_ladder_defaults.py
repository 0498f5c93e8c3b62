"""Seed the default ladder from DOMAIN.md §1: levels, dwell times, transitions, competencies.

Idempotent: update_or_create by natural keys (growth/ladder_defaults.py), so
running it where the rows exist restores the defaults' own fields and adds
nothing twice.
"""

from django.db import migrations

from growth.ladder_defaults import seed_ladder


def seed(apps, schema_editor):
    seed_ladder(
        apps.get_model("growth", "LevelPolicy"),
        apps.get_model("growth", "Transition"),
        apps.get_model("growth", "Competency"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("growth", "0001_initial"),
    ]

    operations = [
        # Reverse is a no-op: unapplying must not delete ladder rows admins have edited.
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
