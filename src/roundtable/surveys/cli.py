"""``roundtable survey ...``: survey tools for researchers, without a database.

    roundtable survey tabulate FORM.xlsx RESPONSES.csv [--format json|csv|html]
                               [--by QUESTION] [--min-cell 3] [--lang CODE] [--output FILE]
    roundtable survey check FORM.xlsx
    roundtable survey template [--output FILE]

Messages are in ``--lang`` when Roundtable has that language (the app's own
catalogues, read with the standard library). Bad input ends with exit status
2 and messages naming the sheet, row and column; never a traceback.
"""

from __future__ import annotations

import argparse
import gettext as gettext_module
import json
import sys
from collections.abc import Callable
from pathlib import Path

from .expressions import gettext_noop

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
RTL_LANGUAGES = {"ar", "fa", "he", "ur"}


def translator(language: str | None) -> gettext_module.NullTranslations:
    """Our catalogue for ``language`` (``fr``, ``zh``, ``zh-hans``...), or English."""
    if not language:
        return gettext_module.NullTranslations()
    code = language.lower().replace("_", "-")
    candidates = [code, code.split("-")[0]]
    if code.split("-")[0] == "zh":
        candidates.insert(0, "zh_Hans")
    return gettext_module.translation(
        "django", localedir=str(LOCALE_DIR), languages=candidates, fallback=True
    )


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # exit status 2 as argparse does, in our words
        self.print_usage(sys.stderr)
        print(f"{self.prog}: {message}", file=sys.stderr)
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="roundtable survey", description="Survey tools that need no database.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    tab = commands.add_parser(
        "tabulate", help="tabulate responses to an XLSForm survey (CSV or XLSX, ODK/Kobo export)"
    )
    tab.add_argument("form", type=Path, help="the XLSForm (.xlsx)")
    tab.add_argument("responses", type=Path, help="responses, one row each (.csv or .xlsx)")
    tab.add_argument("--format", choices=("json", "csv", "html"), default="json")
    tab.add_argument("--by", metavar="QUESTION", help="break down by this select_one question")
    tab.add_argument(
        "--min-cell",
        type=int,
        default=3,
        metavar="K",
        help="hide breakdown cells of fewer than K respondents (default 3)",
    )
    tab.add_argument("--lang", metavar="CODE", help="language of labels and messages, e.g. fr")
    tab.add_argument("--output", "-o", type=Path, help="write here instead of standard output")
    tab.add_argument(
        "--no-themes",
        action="store_true",
        help="list the most frequent open answers instead of grouping them into themes",
    )

    check = commands.add_parser("check", help="check an XLSForm and list its questions")
    check.add_argument("form", type=Path)
    check.add_argument("--lang", metavar="CODE")

    template = commands.add_parser(
        "template", help="write the built-in partnership assessment as an XLSForm"
    )
    template.add_argument("--output", "-o", type=Path, default=Path("partnership-assessment.xlsx"))
    return parser


def _fail(lines: list[str]) -> int:
    for line in lines:
        print(line, file=sys.stderr)
    return 2


def _read_form(path: Path, gettext: Callable[[str], str]):  # -> Form, or raises SystemExit
    from .xlsform import FormError, read_xlsform

    try:
        data = path.read_bytes()
    except OSError as error:
        raise SystemExit(
            _fail(
                [
                    gettext("Cannot read %(path)s: %(error)s")
                    % {"path": path, "error": error.strerror}
                ]
            )
        ) from None
    try:
        return read_xlsform(data)
    except FormError as error:
        raise SystemExit(_fail([f"{path}: {line}" for line in error.messages(gettext)])) from None


def _tabulate(args: argparse.Namespace, gettext: Callable[[str], str], ngettext) -> int:
    from .report import ReportContext, Texts, render_csv, render_html
    from .responses import ResponseError
    from .scorecard import scorecard
    from .tabulate import ByError, default_theme_finder, tabulate_file

    if args.min_cell < 1:
        return _fail([gettext("--min-cell must be 1 or more.")])
    form = _read_form(args.form, gettext)
    if not args.responses.is_file():
        return _fail(
            [
                gettext("Cannot read %(path)s: %(error)s")
                % {"path": args.responses, "error": gettext("no such file")}
            ]
        )
    try:
        tabulator = tabulate_file(form, args.responses, by=args.by)
    except ByError as error:
        return _fail([error.render(gettext)])
    except ResponseError as error:
        return _fail([f"{args.responses}: {line}" for line in error.messages(gettext)])
    language = args.lang or form.default_language
    result = tabulator.result(
        language=language,
        min_cell=args.min_cell,
        themes=None if args.no_themes else default_theme_finder,
    )
    if args.format == "json":
        output = json.dumps(result.as_list(), ensure_ascii=False, indent=2) + "\n"
    elif args.format == "csv":
        output = render_csv(result)
    else:
        code = (args.lang or "en").lower()
        output = render_html(
            result,
            scorecard(form, result),
            context=ReportContext(
                title=form.title or args.form.stem,
                subtitle=str(args.responses.name),
            ),
            texts=Texts(
                gettext=gettext,
                ngettext=ngettext,
                language=code,
                rtl=code.split("-")[0] in RTL_LANGUAGES,
            ),
        )
    if args.output:
        args.output.write_text(output, encoding="utf-8")
    else:
        sys.stdout.write(output)
    return 0


def _check(args: argparse.Namespace, gettext: Callable[[str], str]) -> int:
    form = _read_form(args.form, gettext)
    print(
        gettext("%(path)s: %(count)s questions, languages: %(languages)s")
        % {
            "path": args.form,
            "count": len(form.questions),
            "languages": ", ".join(form.languages) or "-",
        }
    )
    for element in form.questions:
        extra = f" {element.list_name}" if element.list_name else ""
        relevant = f"  [{gettext('if')} {element.relevant}]" if element.relevant else ""
        print(f"  {element.name}: {element.kind}{extra}{relevant}")
    return 0


def _template(args: argparse.Namespace, gettext: Callable[[str], str]) -> int:
    from .assessment import assessment_xlsx

    try:
        args.output.write_bytes(assessment_xlsx())
    except OSError as error:
        return _fail(
            [
                gettext("Cannot write %(path)s: %(error)s")
                % {"path": args.output, "error": error.strerror}
            ]
        )
    print(gettext("Wrote %(path)s") % {"path": args.output})
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(sys.argv[1:] if argv is None else argv)
    translation = translator(getattr(args, "lang", None))
    gettext, ngettext = translation.gettext, translation.ngettext
    try:
        if args.command == "tabulate":
            return _tabulate(args, gettext, ngettext)
        if args.command == "check":
            return _check(args, gettext)
        return _template(args, gettext)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader (``| head``) went away: not an error of ours.
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


# Messages only the CLI prints, kept in the catalogue.
_MESSAGES = (gettext_noop("no such file"),)
