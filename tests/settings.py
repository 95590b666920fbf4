"""Test settings: the real settings, with fast password hashing.

The database comes from DATABASE_URL like everywhere else (SQLite by default;
`make test-postgres` points it at a throwaway PostgreSQL cluster). E-mail goes
to a real SMTP server the test session starts (see conftest.py).
"""

import os
import tempfile

os.environ.setdefault("ROUNDTABLE_VAR_DIR", tempfile.mkdtemp(prefix="roundtable-test-var-"))
os.environ.setdefault(
    "ROUNDTABLE_SECRET_KEY", "test-secret-key-not-for-production-0123456789abcdef"
)

from roundtable.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ROUNDTABLE_TESTING = True
SITE_URL = "http://testserver"

# The personas process has one member per stakeholder group; most tests check
# that the group is shown at all. The default (3) is tested on its own in
# tests/processes/test_attribution.py.
ROUNDTABLE = {**ROUNDTABLE, "CHATHAM_HOUSE_MIN_GROUP": 1}  # noqa: F405
