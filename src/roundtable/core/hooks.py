"""Extension points so each app adds itself to shared pages without editing them.

An app may provide ``roundtable.<app>.navigation`` with:

- ``nav_items(person, process) -> list[NavItem]``: links in the process menu;
- ``home_panels(request, process) -> list[str]``: rendered HTML blocks shown on
  the process home page (each already permission-checked by the app).

and ``roundtable.<app>.hooks`` with any of the functions named in
docs/developing.md ("Hooks"); ``collect(name, ...)`` calls every app's
function of that name and returns the list of their results.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from functools import cache
from types import ModuleType
from typing import Any

from django.conf import settings


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str
    url: str
    order: int = 50


@cache
def navigation_modules() -> list[ModuleType]:
    modules = []
    for app in settings.INSTALLED_APPS:
        if not app.startswith("roundtable."):
            continue
        try:
            modules.append(importlib.import_module(f"{app}.navigation"))
        except ModuleNotFoundError as error:
            if error.name != f"{app}.navigation":
                raise
    return modules


def process_nav_items(person: Any, process: Any) -> list[NavItem]:
    items: list[NavItem] = []
    for module in navigation_modules():
        if hasattr(module, "nav_items"):
            items.extend(module.nav_items(person, process))
    return sorted(items, key=lambda item: (item.order, item.key))


def process_home_panels(request: Any, process: Any) -> list[str]:
    panels: list[str] = []
    for module in navigation_modules():
        if hasattr(module, "home_panels"):
            panels.extend(module.home_panels(request, process))
    return panels


@cache
def _hook_modules() -> list[ModuleType]:
    modules = []
    for app in settings.INSTALLED_APPS:
        if not app.startswith("roundtable."):
            continue
        try:
            modules.append(importlib.import_module(f"{app}.hooks"))
        except ModuleNotFoundError as error:
            if error.name != f"{app}.hooks":
                raise
    return modules


def collect(name: str, *args: Any, **kwargs: Any) -> list[Any]:
    """Call ``hooks.<name>(*args, **kwargs)`` in every app that has it."""
    return [
        getattr(module, name)(*args, **kwargs)
        for module in _hook_modules()
        if hasattr(module, name)
    ]


@dataclass(frozen=True)
class SearchHit:
    """One result of the process search. Apps apply attribution before filling it."""

    kind: str  # translated label of what it is: "Message", "Submission", ...
    title: str
    url: str
    snippet: str
    when: Any = None  # an aware datetime, for sorting newest first
