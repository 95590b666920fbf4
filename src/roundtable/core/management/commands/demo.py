"""``roundtable demo``: load the fictional demo process (idempotent), print log-ins.

Each app may add its part with ``roundtable.<app>.demo.load(context)``; the
context is the processes app's DemoContext (process, chair, secretariat,
members, observers). Loaders must be idempotent.
"""

from __future__ import annotations

import importlib
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from roundtable.processes.demo import DEMO_PASSWORD, load_process


class Command(BaseCommand):
    help = "Load the demo working group into the configured database (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            context = load_process()
            for app in settings.INSTALLED_APPS:
                if not app.startswith("roundtable.") or app == "roundtable.processes":
                    continue
                try:
                    module = importlib.import_module(f"{app}.demo")
                except ModuleNotFoundError as error:
                    if error.name != f"{app}.demo":
                        raise
                    continue
                module.load(context)
        self.stdout.write(self.style.SUCCESS(f"Demo process loaded: {context.process.name}"))
        self.stdout.write(f"  {settings.SITE_URL}{context.process.get_absolute_url()}")
        self.stdout.write(f"Log in with any of these (password: {DEMO_PASSWORD}):")
        for role, email in context.logins:
            self.stdout.write(f"  {role:<38} {email}")
        self.stdout.write("  members are member1@example.org … member40@example.org")
