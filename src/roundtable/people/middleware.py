"""Language and time zone follow the person, falling back to the browser."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import timezone, translation

TIMEZONE_COOKIE_NAME = "roundtable_tz"


class LanguageMiddleware(LocaleMiddleware):
    """An explicit choice (cookie) wins, then the person's preference, then Accept-Language."""

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Restore the thread's language afterwards, so it never leaks into work
        # the same thread does next (a task, another request, a test).
        previous = translation.get_language()
        try:
            return super().__call__(request)
        finally:
            if previous:
                translation.activate(previous)
            else:
                translation.deactivate()

    def process_request(self, request: HttpRequest) -> None:
        language = None
        cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if cookie and cookie in dict(settings.LANGUAGES):
            language = cookie
        else:
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated and user.preferred_language:
                language = user.preferred_language
        if language is None:
            language = translation.get_language_from_request(request)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


def resolve_time_zone(name: str | None) -> zoneinfo.ZoneInfo | None:
    if not name:
        return None
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


class TimezoneMiddleware:
    """Times are stored in UTC and shown in the viewer's time zone."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        zone = None
        if user is not None and user.is_authenticated:
            zone = resolve_time_zone(user.time_zone)
        if zone is None:
            zone = resolve_time_zone(request.COOKIES.get(TIMEZONE_COOKIE_NAME))
        if zone is not None:
            timezone.activate(zone)
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
