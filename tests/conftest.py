"""Shared fixtures: a real SMTP server, the task worker, personas, and a real browser."""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's ORM
# must still be usable there (ARCHITECTURE.md, "tests").
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


# --- A real SMTP server -------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Mailbox:
    """Messages the test SMTP server received, parsed."""

    messages: list[EmailMessage] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, raw: bytes) -> None:
        with self.lock:
            self.messages.append(message_from_bytes(raw, policy=policy.default))

    def clear(self) -> None:
        with self.lock:
            self.messages.clear()

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if address.lower() in str(m["To"]).lower()]

    @staticmethod
    def text(message: EmailMessage) -> str:
        part = message.get_body(preferencelist=("plain",))
        return part.get_content() if part is not None else ""

    @staticmethod
    def html(message: EmailMessage) -> str:
        part = message.get_body(preferencelist=("html",))
        return part.get_content() if part is not None else ""


class SMTPServer:
    """aiosmtpd on a free port; can be stopped and restarted on the same port."""

    def __init__(self) -> None:
        self.port = free_port()
        self.mailbox = Mailbox()
        self.controller = None

    def start(self) -> None:
        from aiosmtpd.controller import Controller

        mailbox = self.mailbox

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                mailbox.add(envelope.original_content or envelope.content)
                return "250 Message accepted for delivery"

        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[SMTPServer]:
    server = SMTPServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _route_mail_to_smtp_server(settings, smtp_server: SMTPServer) -> None:
    """Every test sends e-mail over SMTP to the real local server."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = smtp_server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    if smtp_server.controller is None:
        smtp_server.start()
    smtp_server.mailbox.clear()


@pytest.fixture(autouse=True)
def _english_outside_requests() -> Iterator[None]:
    """Services called directly by a test run in the default language."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture
def mailbox(smtp_server: SMTPServer) -> Mailbox:
    return smtp_server.mailbox


# --- The task worker -----------------------------------------------------------


def run_queued_tasks(max_rounds: int = 20) -> int:
    """Run every task that is due, the way `roundtable worker` does, until none is left."""
    from django_tasks_db.management.commands import db_worker
    from django_tasks_db.models import DBTaskResult

    # The real worker drops stale connections between tasks; inside a test's
    # transaction that would close the connection the test itself is using.
    original, db_worker.close_old_connections = db_worker.close_old_connections, lambda: None
    try:
        return _run_queued_tasks(db_worker.Worker, DBTaskResult, max_rounds)
    finally:
        db_worker.close_old_connections = original


def _run_queued_tasks(Worker, DBTaskResult, max_rounds: int) -> int:
    ran = 0
    for _round in range(max_rounds):
        before = DBTaskResult.objects.ready().count()
        if not before:
            break
        worker = Worker(
            queue_names=["*"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id="pytest",
            excluded_queue_names=[],
        )
        worker.run()
        ran += before
    return ran


@pytest.fixture
def run_tasks():
    return run_queued_tasks


# --- Personas -------------------------------------------------------------------


@pytest.fixture
def personas(db):
    from tests.factories import make_personas

    return make_personas()


# --- A real browser ---------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(
            f"{CHROMIUM} is missing. Install Debian's chromium package "
            "(`sudo apt-get install chromium`, or run `make test` as root).",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture(scope="session", autouse=True)
def _live_server_one_request_at_a_time_on_sqlite():
    """On SQLite the test database lives in memory, and the live server's request
    threads all share its one connection: two requests at once (a double click)
    then fail with "cannot open savepoint - SQL statements in progress". There
    the live server takes requests one at a time, as that connection can; on
    PostgreSQL each request thread keeps its own connection."""
    from django.conf import settings
    from django.core.servers.basehttp import WSGIServer
    from django.test.testcases import LiveServerThread

    if not settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        yield
        return

    class OneRequestAtATime(WSGIServer):
        def __init__(self, *args, connections_override=None, **kwargs):
            # The thread serving requests already uses the shared connection.
            super().__init__(*args, **kwargs)

    threaded = LiveServerThread.server_class
    LiveServerThread.server_class = OneRequestAtATime
    yield
    LiveServerThread.server_class = threaded


@pytest.fixture
def new_context(browser, live_server):
    """Open browser contexts (separate cookie jars) against the live server."""
    contexts = []

    def make(**options):
        options.setdefault("base_url", live_server.url)
        options.setdefault("locale", "en-GB")
        context = browser.new_context(**options)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context):
    return new_context().new_page()


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)
