"""Links that prove authorship without an account.

The receipt carries a random secret (only its hash is stored). Later e-mails,
such as the disposition notice, carry a signed token bound to the same hash,
since the secret itself is not kept; both open the same author page.
"""

from __future__ import annotations

import hmac

from django.core import signing

from roundtable.people.tokens import secret_hash

AUTHOR_LINK_SALT = "roundtable.consultations.author-link"


def author_link_token(submission) -> str:
    return signing.dumps(
        {"s": submission.pk, "h": submission.manage_token_hash[:24]}, salt=AUTHOR_LINK_SALT
    )


def token_matches(submission, token: str) -> bool:
    if not token:
        return False
    if hmac.compare_digest(submission.manage_token_hash, secret_hash(token)):
        return True
    try:
        data = signing.loads(token, salt=AUTHOR_LINK_SALT)
    except signing.BadSignature:
        return False
    return (
        isinstance(data, dict)
        and data.get("s") == submission.pk
        and hmac.compare_digest(str(data.get("h", "")), submission.manage_token_hash[:24])
    )
