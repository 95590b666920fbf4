"""Extension points so each app adds itself to shared pages without editing them.

An app may provide ``roundtable.<app>.navigation`` with:

- ``nav_items(person, process) -> list[NavItem]``: links in the process menu;
- ``home_panels(request, process) -> list[str]``: rendered HTML blocks shown on
  the process home page (each already permission-checked by the app).
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
