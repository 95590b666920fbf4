"""Background tasks of the core app: thin wrappers over services."""

from __future__ import annotations

from django_tasks import task


@task(queue_name="mail")
def deliver_outbound_message(message_id: int) -> str:
    from .mail import outbound_deliver

    return outbound_deliver(message_id=message_id)


@task(queue_name="mail")
def deliver_outbound_messages(message_ids: list[int]) -> dict[str, int]:
    """Deliver a batch queued by ``mail_queue_many``; each message on its own terms."""
    from .mail import outbound_deliver

    outcomes: dict[str, int] = {}
    for message_id in message_ids:
        outcome = outbound_deliver(message_id=message_id)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes
