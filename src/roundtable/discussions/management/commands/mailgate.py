"""``roundtable mailgate [--port N] [--host H] [--lmtp]``: receive e-mail replies.

Point the mail server's route for the reply domain (``DISCUSSIONS_REPLY_DOMAIN``)
at this port, over SMTP or, from a local MTA such as Postfix, over LMTP.
"""

from __future__ import annotations

import signal
import threading
from typing import Any

from django.core.management.base import BaseCommand

from roundtable.discussions import conf
from roundtable.discussions.mailgate import Mailgate


class Command(BaseCommand):
    help = "Run the e-mail gateway that posts replies to discussion threads."

    # Set by tests (or an embedding process) to stop the command.
    stop_event: threading.Event | None = None

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
        parser.add_argument("--port", type=int, default=8025, help="port to listen on")
        parser.add_argument("--lmtp", action="store_true", help="speak LMTP instead of SMTP")

    def handle(self, *args: Any, host: str, port: int, lmtp: bool, **options: Any) -> None:
        stop = self.stop_event or threading.Event()
        gate = Mailgate(host=host, port=port, lmtp=lmtp)
        gate.start()
        if threading.current_thread() is threading.main_thread():
            for signum in (signal.SIGINT, signal.SIGTERM):
                signal.signal(signum, lambda *_: stop.set())
        self.stdout.write(
            f"mailgate: {'LMTP' if lmtp else 'SMTP'} on {host}:{port}, "
            f"replies to *@{conf.reply_domain()}"
        )
        self.stdout.flush()
        try:
            stop.wait()
        finally:
            gate.stop()
            self.stdout.write("mailgate stopped")
