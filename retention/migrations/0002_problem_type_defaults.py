"""Seed the default problem types and the graveyard settings row (60 days).

Idempotent: rows that exist (perhaps edited by admins) are left as they are.
"""

from django.db import migrations

from retention.problem_types import seed_problem_types


def seed(apps, schema_editor):
    seed_problem_types(apps.get_model("retention", "ProblemType"))
    apps.get_model("retention", "GraveyardSettings").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [
        ("retention", "0001_initial"),
    ]

    operations = [
        # Reverse is a no-op: unapplying must not delete rows admins have edited.
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
