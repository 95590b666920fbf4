"""Background work of the discussions: thin wrappers over the services."""

from __future__ import annotations

from django_tasks import task


@task()
def notify_subscribers(message_id: int) -> int:
    """E-mail a newly published message to everyone who follows it message by message."""
    from .notifications import message_notify

    return message_notify(message_id=message_id)
