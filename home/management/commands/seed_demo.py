from __future__ import annotations

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from accounts.demo import DEMO_PASSWORD, LOGINS, seed_demo_org
from accounts.models import Person
from calibration.demo import seed_calibration_demo
from growth.demo import seed_growth_demo
from notifications.demo import seed_notifications_demo
from one_on_ones.demo import seed_one_on_ones_demo
from retention.demo import seed_retention_demo
from retention.demo_jobs import seed_retention_jobs_demo
from retention.demo_signals import seed_signals_demo


class Command(BaseCommand):
    help = "Load the demo organisation (safe to run again) and print the demo sign-ins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing if anyone exists yet (used by `make run`).",
        )

    def handle(self, *args, if_empty: bool = False, **options) -> None:
        if if_empty and Person.objects.exists():
            self.stdout.write("People already exist: demo org not loaded.")
        else:
            # Each app seeds its own part, in dependency order: the org first, then
            # what hangs off its people. Every seeder adds only what is missing.
            with transaction.atomic():
                org = seed_demo_org()
                plans_created = seed_growth_demo(org.people)
                histories_created = seed_one_on_ones_demo(org.people)
                cycles_created = seed_calibration_demo(org.people)
                models_created = seed_retention_demo(org.people)
                snapshots_taken = seed_signals_demo()
                # Last: the scheduled jobs' runs and what they told (the bell, job health).
                people_told = seed_notifications_demo(org.people) + seed_retention_jobs_demo()
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo org ready: {len(org.people)} people in {len(org.teams)} teams"
                    f" ({org.created} new)."
                )
            )
            self.stdout.write(f"Demo growth plans: {plans_created} new.")
            self.stdout.write(f"Demo 1:1 histories: {histories_created} new.")
            self.stdout.write(f"Demo calibration cycles: {cycles_created} new.")
            self.stdout.write(
                f"Demo model registry: {models_created} new models (API tokens: create one"
                " at /retention/tokens/ after signing in)."
            )
            self.stdout.write(f"Demo signal snapshots: {snapshots_taken} new.")
            self.stdout.write(f"Demo notifications (reminders, graveyard): {people_told} new.")
        self._print_logins()

    def _print_logins(self) -> None:
        # Printed on every `make run`, so whoever starts the app knows how to sign in.
        existing = set(
            Person.objects.filter(email__in=[login.email for login in LOGINS]).values_list(
                "email", flat=True
            )
        )
        logins = [login for login in LOGINS if login.email in existing]
        if not logins:
            return
        self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING("Demo sign-ins"))
        self.stdout.write(f"  {'Email':<24}{'Role':<22}Password")
        for login in logins:
            self.stdout.write(f"  {login.email:<24}{login.role:<22}{DEMO_PASSWORD}")
        self.stdout.write("")
