"""The ``roundtable`` command: everything ``manage.py`` does, plus our own verbs.

Django-free verbs (``analyse``) are dispatched before Django is set up, so a
researcher can run them on a CSV file without a database or settings.
"""

from __future__ import annotations

import os
import sys

# Verbs served by a Django-free entry point: name -> "module:function".
DJANGO_FREE_COMMANDS = {
    "analyse": "roundtable.analysis.cli:main",
    "analyze": "roundtable.analysis.cli:main",
    # `roundtable survey tabulate FORM.xlsx RESPONSES.csv`: for researchers, no database.
    "survey": "roundtable.surveys.cli:main",
}


def _run_django_free(target: str, argv: list[str]) -> int:
    module_name, function_name = target.split(":")
    module = __import__(module_name, fromlist=[function_name])
    return int(getattr(module, function_name)(argv) or 0)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv if argv is None else argv)
    if len(argv) > 1 and argv[1] in DJANGO_FREE_COMMANDS:
        return _run_django_free(DJANGO_FREE_COMMANDS[argv[1]], argv[2:])

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "roundtable.settings")
    from django.core.management import execute_from_command_line

    argv[0] = "roundtable"
    execute_from_command_line(argv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
