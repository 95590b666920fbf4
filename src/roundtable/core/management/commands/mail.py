from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from roundtable.core.mail import outbound_flush
from roundtable.core.models import OutboundMessage


class Command(BaseCommand):
    help = "Outbound e-mail: `mail flush` re-queues overdue messages; `mail status` counts them."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        sub.add_parser("flush", help="queue delivery of every unsent message that is due")
        sub.add_parser("status", help="count sent, waiting and failed messages")

    def handle(self, *args: Any, verb: str, **options: Any) -> None:
        if verb == "flush":
            self.stdout.write(f"{outbound_flush()} message(s) queued for delivery.")
            return
        messages = OutboundMessage.objects
        self.stdout.write(
            f"sent: {messages.filter(sent_at__isnull=False).count()}, "
            f"waiting: {messages.filter(sent_at__isnull=True, failed_at__isnull=True).count()}, "
            f"failed: {messages.filter(failed_at__isnull=False).count()}"
        )
