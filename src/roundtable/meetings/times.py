"""Local wall-clock times to UTC, refusing the ones that do not exist or happen twice.

People enter a session's times as they read them on a clock in some zone
(their own, or the venue's). Around a daylight-saving change a wall-clock
time can be missing (clocks jump from 02:00 to 03:00) or happen twice
(clocks go back). Guessing would put a meeting an hour off, so both are
clear errors.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

UTC = dt.UTC


def zone_or_error(name: str | None, field: str = "time_zone") -> zoneinfo.ZoneInfo:
    try:
        if not name:
            raise zoneinfo.ZoneInfoNotFoundError(name)
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
        raise ValidationError(
            {field: [_("“%(zone)s” is not a known time zone.") % {"zone": name or ""}]}
        ) from None


def wall_time_exists(naive: dt.datetime, zone: zoneinfo.ZoneInfo) -> bool:
    """False for a time skipped when clocks go forward."""
    there_and_back = naive.replace(tzinfo=zone).astimezone(UTC).astimezone(zone)
    return there_and_back.replace(tzinfo=None) == naive


def wall_time_is_ambiguous(naive: dt.datetime, zone: zoneinfo.ZoneInfo) -> bool:
    """True for a time that happens twice when clocks go back."""
    first = naive.replace(tzinfo=zone, fold=0).utcoffset()
    second = naive.replace(tzinfo=zone, fold=1).utcoffset()
    return first != second and wall_time_exists(naive, zone)


def to_utc(value: dt.datetime, zone_name: str, *, field: str) -> dt.datetime:
    """An aware UTC datetime for ``value``.

    An aware ``value`` is taken as it is (it names its own offset); a naive
    one is read as wall-clock time in ``zone_name``.
    """
    if value.tzinfo is not None and value.utcoffset() is not None:
        return value.astimezone(UTC)
    zone = zone_or_error(zone_name)
    naive = value.replace(tzinfo=None, fold=0)
    shown = naive.strftime("%Y-%m-%d %H:%M")
    if not wall_time_exists(naive, zone):
        raise ValidationError(
            {
                field: [
                    _(
                        "%(time)s does not exist in %(zone)s: the clocks skip it when "
                        "daylight-saving time begins. Choose a time outside the change."
                    )
                    % {"time": shown, "zone": zone.key}
                ]
            }
        )
    if wall_time_is_ambiguous(naive, zone):
        raise ValidationError(
            {
                field: [
                    _(
                        "%(time)s happens twice in %(zone)s: the clocks go back that night. "
                        "Choose a time outside the change, or give it in UTC."
                    )
                    % {"time": shown, "zone": zone.key}
                ]
            }
        )
    return naive.replace(tzinfo=zone).astimezone(UTC)
