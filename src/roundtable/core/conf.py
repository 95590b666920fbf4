"""App settings with defaults, overridable without editing settings.py.

An app keeps its limits next to its code::

    from roundtable.core.conf import setting
    MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024   # default
    limit = setting("MAX_ATTACHMENT_BYTES", MAX_ATTACHMENT_BYTES)

The value comes from ``settings.ROUNDTABLE[name]`` if set (tests override it
there), else the environment variable ``ROUNDTABLE_<name>``, else the default.
"""

from __future__ import annotations

import os
from typing import TypeVar

from django.conf import settings

T = TypeVar("T", int, float, str, bool)


def setting(name: str, default: T) -> T:
    configured = getattr(settings, "ROUNDTABLE", {}).get(name)
    if configured is not None:
        return configured
    raw = os.environ.get(f"ROUNDTABLE_{name}")
    if raw is None or raw == "":
        return default
    if isinstance(default, bool):
        return raw.strip().lower() in {"1", "true", "yes", "on"}  # type: ignore[return-value]
    return type(default)(raw)
