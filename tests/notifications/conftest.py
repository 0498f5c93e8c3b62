"""Fixtures for notifications: plans with reviews due, a real SMTP server on loopback
(aiosmtpd), and a real Celery worker on the real Redis."""

from __future__ import annotations

import asyncio
import socket
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from growth.models import GrowthPlan


def plan_due(engineer, due: date | int) -> GrowthPlan:
    """A growth plan for `engineer` whose review is due on `due` (a date, or days from today)."""
    if isinstance(due, int):
        due = timezone.localdate() + timedelta(days=due)
    return GrowthPlan.objects.create(
        engineer=engineer,
        aspiration="Design ablations that isolate one variable",
        gap="I change several things at once",
        next_review_due=due,
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class SmtpInbox:
    """What the loopback SMTP server accepted, and the answers it is told to give."""

    host: str
    port: int
    accepted: list = field(default_factory=list)  # aiosmtpd Envelopes
    # DATA answers to give before accepting ("421 …"); each is used once.
    data_failures: list[str] = field(default_factory=list)
    refused: set[str] = field(default_factory=set)  # addresses answered 550 at RCPT
    lock: threading.Lock = field(default_factory=threading.Lock)

    def recipients(self) -> list[str]:
        with self.lock:
            return sorted(to for env in self.accepted for to in env.rcpt_tos)


class _Handler:
    def __init__(self, inbox: SmtpInbox) -> None:
        self.inbox = inbox

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.inbox.refused:
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.inbox.lock:
            if self.inbox.data_failures:
                return self.inbox.data_failures.pop(0)
            self.inbox.accepted.append(envelope)
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp(settings):
    """A real SMTP server on 127.0.0.1 (aiosmtpd) that Django's SMTP backend sends to."""
    from aiosmtpd.controller import Controller

    inbox = SmtpInbox(host="127.0.0.1", port=free_port())
    controller = Controller(_Handler(inbox), hostname=inbox.host, port=inbox.port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = inbox.host
    settings.EMAIL_PORT = inbox.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 5
    try:
        yield inbox
    finally:
        controller.stop()
        asyncio.set_event_loop(None)


@contextmanager
def private_celery_app(broker_url: str) -> Iterator:
    """A Celery app configured like config/celery.py on a private queue, set as the
    default app, so the tasks the services queue go to a worker of this test only."""
    from celery import Celery
    from celery.contrib.testing.app import setup_default_app

    import notifications.tasks  # noqa: F401 - registers the shared tasks on the app

    queue = f"trellis-test-{uuid.uuid4().hex}"
    app = Celery("trellis-test", set_as_current=False)
    app.config_from_object("django.conf:settings", namespace="CELERY")
    app.conf.update(
        broker_url=broker_url,
        # Redis's options even where the suite runs without REDIS_URL (the filesystem
        # broker's options would be read otherwise).
        broker_transport_options=settings.REDIS_BROKER_TRANSPORT_OPTIONS,
        task_always_eager=False,
        task_default_queue=queue,
        worker_hijack_root_logger=False,
    )
    try:
        with setup_default_app(app):
            # Current in this thread too: the services' tasks are shared tasks, sent
            # through whichever app is current.
            app.set_current()
            app.set_default()
            yield app
    finally:
        import redis

        with suppress(redis.exceptions.ConnectionError):
            redis.Redis.from_url(broker_url).delete(
                queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}"
            )


@pytest.fixture
def celery_app(redis_url):
    with private_celery_app(redis_url) as app:
        yield app


@pytest.fixture
def celery_worker(celery_app, transactional_db):
    """A real worker (celery.contrib.testing, a thread of this process) on the real Redis."""
    from celery.contrib.testing.worker import start_worker

    with start_worker(celery_app, perform_ping_check=False, shutdown_timeout=10) as worker:
        yield worker
