"""``roundtable worker``: runs queued tasks and the periodic jobs.

Queued tasks are django-tasks' database backend (``db_worker``); a thread
beside it runs the periodic jobs apps register (see roundtable.core.periodic).
Run as many workers as needed: tasks are claimed with row locks and each
periodic job with a conditional update.
"""

from __future__ import annotations

import threading
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections


class Command(BaseCommand):
    help = "Run the background worker: queued tasks and periodic jobs."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between polls")
        parser.add_argument(
            "--periodic-interval",
            type=float,
            default=30.0,
            help="seconds between checks for due periodic jobs (0 disables them)",
        )
        parser.add_argument("--batch", action="store_true", help="run what is queued, then exit")

    def handle(
        self, *args: Any, interval: float, periodic_interval: float, batch: bool, **options: Any
    ) -> None:
        from roundtable.core.periodic import run_due_jobs

        stop = threading.Event()

        def periodic_loop() -> None:
            while not stop.is_set():
                close_old_connections()
                run_due_jobs()
                stop.wait(periodic_interval)

        if batch:
            run_due_jobs()
        elif periodic_interval > 0:
            threading.Thread(target=periodic_loop, name="periodic", daemon=True).start()
        try:
            call_command(
                "db_worker",
                queue_name="*",
                interval=interval,
                batch=batch,
                reload=False,
                startup_delay=not batch,
                verbosity=options.get("verbosity", 1),
            )
        finally:
            stop.set()
