from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from roundtable.core.periodic import registered_jobs, run_due_jobs


class Command(BaseCommand):
    help = "Run the periodic jobs that are due (for cron, if no worker runs them)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--force", action="store_true", help="run even if not due")
        parser.add_argument("--only", action="append", help="run only this job (repeatable)")
        parser.add_argument("--list", action="store_true", help="list the jobs and exit")

    def handle(
        self, *args: Any, force: bool, only: list[str] | None, list: bool, **options: Any
    ) -> None:
        if list:
            for job in registered_jobs():
                self.stdout.write(f"{job.name}\tevery {job.every}")
            return
        ran = run_due_jobs(force=force, only=set(only) if only else None)
        self.stdout.write(f"ran: {', '.join(ran) or 'nothing due'}")
