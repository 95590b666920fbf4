"""Draft text: validation, words, word-level diffs and Markdown broken into blocks.

Paragraph text is Markdown. Raw HTML is refused (authors write Markdown, and
a draft that carries tags would look different in every export), as are
headings (sections give the structure) and unbalanced square brackets, which
in a negotiated text mean "not agreed" and must open and close.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from markdown_it import MarkdownIt

from . import conf

# Scripts written without spaces: each character counts as a word.
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
# Every character of a text falls in exactly one token, so "".join(tokens) == text.
TOKEN_RE = re.compile(rf"\s+|[{_CJK}]|(?:(?![{_CJK}])\w)+|[^\w\s]")
WORD_RE = re.compile(rf"[{_CJK}]|(?:(?![{_CJK}])\w)+")
HTML_TAG_RE = re.compile(r"<!--|</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")
HEADING_RE = re.compile(r"^ {0,3}#{1,6}(?:\s|$)", re.MULTILINE)
ALLOWED_CONTROL = {"\n", "\t"}


# --- Validation -------------------------------------------------------------------------


def clean_text(
    value: str | None,
    *,
    field_name: str = "text",
    max_chars: int | None = None,
    required: bool = True,
    markdown: bool = True,
) -> str:
    """The text, normalised, or a ValidationError naming ``field_name`` and why."""
    text = (value or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    text = unicodedata.normalize("NFC", text)
    limit = max_chars if max_chars is not None else conf.max_paragraph_chars()
    errors: list[str] = []
    if not text:
        if required:
            errors.append(_("This text is empty. Write the text, or remove the paragraph."))
    elif len(text) > limit:
        errors.append(
            _("This text is %(length)d characters long; the limit is %(limit)d.")
            % {"length": len(text), "limit": limit}
        )
    else:
        bad = next(
            (
                ch
                for ch in text
                if unicodedata.category(ch) in ("Cc", "Cs", "Co") and ch not in ALLOWED_CONTROL
            ),
            None,
        )
        if bad is not None:
            errors.append(
                _("The text contains an invisible control character (U+%(code)04X); remove it.")
                % {"code": ord(bad)}
            )
        if markdown:
            errors.extend(_markdown_errors(text))
    if errors:
        raise ValidationError({field_name: errors})
    return text


def _markdown_errors(text: str) -> list[str]:
    errors = []
    tag = HTML_TAG_RE.search(text)
    if tag:
        errors.append(
            _(
                "HTML is not accepted (found “%(tag)s”). Write Markdown instead: "
                "**bold**, *italic*, [link text](https://…)."
            )
            % {"tag": tag.group(0)[:40]}
        )
    if HEADING_RE.search(text):
        errors.append(
            _("A paragraph cannot contain a heading (a line starting with #); add a section.")
        )
    problem = bracket_problem(text)
    if problem:
        errors.append(problem)
    return errors


def bracket_problem(text: str) -> str | None:
    """Square brackets must open and close in order; escaped ones (\\[) do not count."""
    depth = 0
    escaped = False
    for ch in text:
        if escaped:
            escaped = False
            continue
        if ch == "\\":
            escaped = True
        elif ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
            if depth < 0:
                return _("A closing bracket “]” has no opening bracket “[” before it.")
    if depth > 0:
        return _("An opening bracket “[” is never closed with “]”.")
    return None


# --- Words --------------------------------------------------------------------------------


def tokens(text: str) -> list[str]:
    return TOKEN_RE.findall(text or "")


def words(text: str) -> list[str]:
    return WORD_RE.findall(text or "")


def word_count(text: str) -> int:
    return len(words(text))


def plain_words(markdown_text: str) -> list[str]:
    """Words a reader sees: Markdown syntax and link targets left out."""
    from roundtable.core.text import markdown_to_plain

    return words(markdown_to_plain(markdown_text or ""))


# Origins: which amendment (0 = drafted directly) contributed each word, run-length encoded.
Origins = list[list[int]]


def expand_origins(origins: Origins) -> list[int]:
    return [key for key, count in origins or [] for _ in range(count)]


def compress_origins(keys: Iterable[int]) -> Origins:
    runs: Origins = []
    for key in keys:
        if runs and runs[-1][0] == key:
            runs[-1][1] += 1
        else:
            runs.append([key, 1])
    return runs


def inherit_origins(
    old_words: list[str], old_origins: Origins, new_words: list[str], credit: int
) -> Origins:
    """Words kept from the old text keep their origin; new words are credited to ``credit``."""
    old_keys = expand_origins(old_origins)
    if len(old_keys) != len(old_words):
        old_keys = [0] * len(old_words)
    new_keys = [credit] * len(new_words)
    if old_words and new_words and max(len(old_words), len(new_words)) <= conf.diff_max_words():
        matcher = difflib.SequenceMatcher(None, old_words, new_words, autojunk=False)
        for block in matcher.get_matching_blocks():
            new_keys[block.b : block.b + block.size] = old_keys[block.a : block.a + block.size]
    return compress_origins(new_keys)


# --- Diff -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Segment:
    op: str  # "equal", "delete" or "insert"
    text: str


def diff_segments(old: str, new: str) -> list[Segment]:
    """A word-level diff: replacing a word shows as a deletion followed by an insertion."""
    a, b = tokens(old), tokens(new)
    if max(len(a), len(b)) > 2 * conf.diff_max_words():
        pairs = [("delete", "".join(a)), ("insert", "".join(b))]
    else:
        pairs = []
        matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op == "equal":
                pairs.append(("equal", "".join(a[i1:i2])))
            else:
                if i2 > i1:
                    pairs.append(("delete", "".join(a[i1:i2])))
                if j2 > j1:
                    pairs.append(("insert", "".join(b[j1:j2])))
    segments: list[Segment] = []
    for op, text in pairs:
        if not text:
            continue
        if segments and segments[-1].op == op:
            segments[-1] = Segment(op, segments[-1].text + text)
        else:
            segments.append(Segment(op, text))
    return segments


def diff_html(old: str, new: str, *, labels: bool = True) -> SafeString:
    """The diff as escaped HTML with <del> and <ins>; ``labels`` adds words for screen readers."""
    parts = []
    for segment in diff_segments(old, new):
        text = escape(segment.text)
        if segment.op == "equal":
            parts.append(text)
        elif segment.op == "delete":
            hidden = (
                f'<span class="visually-hidden">{escape(_("deleted:"))} </span>' if labels else ""
            )
            parts.append(f"<del>{hidden}{text}</del>")
        else:
            hidden = (
                f'<span class="visually-hidden">{escape(_("inserted:"))} </span>' if labels else ""
            )
            parts.append(f"<ins>{hidden}{text}</ins>")
    return mark_safe("".join(parts))


def diff_text(old: str, new: str) -> str:
    """The diff in plain text, wdiff style: [-deleted-] {+inserted+}."""
    out = []
    for segment in diff_segments(old, new):
        if segment.op == "equal":
            out.append(segment.text)
        elif segment.op == "delete":
            out.append(f"[-{segment.text}-]")
        else:
            out.append(f"{{+{segment.text}+}}")
    return "".join(out)


def changed(old: str, new: str) -> bool:
    return any(segment.op != "equal" for segment in diff_segments(old, new))


# --- Markdown as blocks, for the word-processor exports -------------------------------------


_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")
_markdown.enable("strikethrough")


@dataclass
class Run:
    text: str
    bold: bool = False
    italic: bool = False
    strike: bool = False
    code: bool = False
    href: str = ""


@dataclass
class Block:
    kind: str  # "p", "li", "quote", "code"
    runs: list[Run] = field(default_factory=list)
    level: int = 0
    number: int | None = None  # for items of an ordered list

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


def markdown_blocks(text: str) -> list[Block]:
    """Paragraphs, list items, quotes and code as blocks of styled runs."""
    blocks: list[Block] = []
    lists: list[list] = []  # stack of [ordered, next number]
    quote = 0
    pending_item: tuple[int, int | None] | None = None
    for token in _markdown.parse(text or ""):
        kind = token.type
        if kind in ("bullet_list_open", "ordered_list_open"):
            start = int(token.attrGet("start") or 1) if kind == "ordered_list_open" else None
            lists.append([kind == "ordered_list_open", start])
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif kind == "list_item_open":
            number = None
            if lists and lists[-1][0]:
                number = lists[-1][1]
                lists[-1][1] += 1
            pending_item = (len(lists), number)
        elif kind == "blockquote_open":
            quote += 1
        elif kind == "blockquote_close":
            quote -= 1
        elif kind in ("fence", "code_block"):
            blocks.append(Block("code", [Run(token.content.rstrip("\n"), code=True)]))
        elif kind == "inline":
            runs = _inline_runs(token.children or [])
            if pending_item is not None:
                level, number = pending_item
                blocks.append(Block("li", runs, level=level, number=number))
                pending_item = None
            elif quote:
                blocks.append(Block("quote", runs))
            else:
                blocks.append(Block("p", runs))
    return [block for block in blocks if block.text.strip() or block.kind == "code"]


def _inline_runs(children: list) -> list[Run]:
    runs: list[Run] = []
    bold = italic = strike = False
    href = ""
    for child in children:
        kind = child.type
        if kind == "strong_open":
            bold = True
        elif kind == "strong_close":
            bold = False
        elif kind == "em_open":
            italic = True
        elif kind == "em_close":
            italic = False
        elif kind == "s_open":
            strike = True
        elif kind == "s_close":
            strike = False
        elif kind == "link_open":
            href = child.attrGet("href") or ""
        elif kind == "link_close":
            href = ""
        elif kind == "code_inline":
            runs.append(Run(child.content, code=True, href=href))
        elif kind in ("softbreak",):
            runs.append(Run(" ", bold, italic, strike, href=href))
        elif kind == "hardbreak":
            runs.append(Run("\n", bold, italic, strike, href=href))
        elif kind in ("text", "html_inline"):
            runs.append(Run(child.content, bold, italic, strike, href=href))
        elif kind == "image":
            runs.append(Run(child.content or "", bold, italic, strike))
    return [run for run in runs if run.text]


def is_rtl(text: str) -> bool:
    """Whether the first strong character is right-to-left (Arabic, Hebrew...)."""
    for ch in text or "":
        direction = unicodedata.bidirectional(ch)
        if direction in ("R", "AL"):
            return True
        if direction == "L":
            return False
    return False
