from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from roundtable.audit.selectors import audit_chain_verify


class Command(BaseCommand):
    help = "Work with the audit log. `audit verify` re-computes the hash chain."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        sub.add_parser("verify", help="re-compute the chain and name the first broken entry")

    def handle(self, *args: Any, verb: str, **options: Any) -> None:
        if verb == "verify":
            report = audit_chain_verify()
            if not report.ok:
                raise CommandError(
                    f"Audit chain broken at entry #{report.broken_seq}"
                    + (f" (id {report.broken_id})" if report.broken_id else "")
                    + f": {report.reason}. {report.checked} entries before it are intact."
                )
            self.stdout.write(f"Audit chain intact: {report.checked} entries verified.")
