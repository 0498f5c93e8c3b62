from __future__ import annotations

# Nothing of notifications is in the admin: a person's notifications are theirs, and
# job runs have their own page (/notifications/jobs/). Admins change the jobs' day
# and hour under Periodic tasks (django-celery-beat).
