"""Background tasks of the core app: thin wrappers over services."""

from __future__ import annotations

from django_tasks import task


@task(queue_name="mail")
def deliver_outbound_message(message_id: int) -> str:
    from .mail import outbound_deliver

    return outbound_deliver(message_id=message_id)
