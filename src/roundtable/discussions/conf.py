"""The discussions app's limits and mail settings (see docs/discussions.md, "Operating").

Each value comes from ``settings.ROUNDTABLE[name]``, else the environment
variable ``ROUNDTABLE_<name>``, else the default here.
"""

from __future__ import annotations

from django.conf import settings as django_settings

from roundtable.core.conf import setting


def max_message_chars() -> int:
    return setting("DISCUSSIONS_MAX_MESSAGE_CHARS", 50_000)


def max_title_chars() -> int:
    return setting("DISCUSSIONS_MAX_TITLE_CHARS", 200)


def max_attachments() -> int:
    return setting("DISCUSSIONS_MAX_ATTACHMENTS", 5)


def max_attachment_bytes() -> int:
    return setting("DISCUSSIONS_MAX_ATTACHMENT_BYTES", 10 * 1024 * 1024)


def max_unzipped_bytes() -> int:
    """What a zip-based attachment (DOCX, XLSX, ODT...) may expand to, so a zip bomb is refused."""
    return setting("DISCUSSIONS_MAX_UNZIPPED_BYTES", 60 * 1024 * 1024)


def max_zip_ratio() -> int:
    """The compression ratio allowed for one part over 1 MiB of a zip-based attachment."""
    return setting("DISCUSSIONS_MAX_ZIP_RATIO", 100)


def max_zip_entries() -> int:
    """Parts in a zip-based attachment."""
    return setting("DISCUSSIONS_MAX_ZIP_ENTRIES", 2_000)


def max_inbound_bytes() -> int:
    """The largest e-mail the mail gateway reads; bigger ones are refused at SMTP level."""
    return setting("DISCUSSIONS_MAX_INBOUND_BYTES", 25 * 1024 * 1024)


def reply_token_max_age_days() -> int:
    return setting("DISCUSSIONS_REPLY_TOKEN_DAYS", 90)


def reply_domain() -> str:
    """The domain of reply addresses; mail to it must reach ``roundtable mailgate``."""
    configured = setting("DISCUSSIONS_REPLY_DOMAIN", "")
    if configured:
        return configured
    address = django_settings.DEFAULT_FROM_EMAIL.rsplit("<", 1)[-1].rstrip(">")
    return address.rsplit("@", 1)[-1] or "localhost"


def reply_local_prefix() -> str:
    return setting("DISCUSSIONS_REPLY_PREFIX", "reply")


def digest_local_hour() -> int:
    """Digests for a day go out at the first run after this hour, recipient's local time."""
    return setting("DISCUSSIONS_DIGEST_HOUR", 6)


def digest_batch_size() -> int:
    """Recipients per write batch (outbox rows, digest log rows and one delivery task)."""
    return setting("DISCUSSIONS_DIGEST_BATCH_SIZE", 250)


def digest_excerpt_chars() -> int:
    return setting("DISCUSSIONS_DIGEST_EXCERPT_CHARS", 280)


def digest_catch_up_days() -> int:
    """After an outage, a digest reaches back at most this far to what was missed."""
    return setting("DISCUSSIONS_DIGEST_CATCH_UP_DAYS", 7)


def search_max_results() -> int:
    return setting("DISCUSSIONS_SEARCH_MAX_RESULTS", 100)
