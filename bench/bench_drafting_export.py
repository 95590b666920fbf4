"""Export of a large report: 300 paragraphs, 50 open amendments each (15,000), annotated.

Each step runs beside a named baseline in the same process, on the same data:

- gather: ``drafting.export.gather`` (a fixed number of queries) against the
  naive way, one paragraph view and one amendment query per paragraph (N+1);
- docx: our writer against python-docx's own ``Document.add_paragraph`` API
  writing the same runs (it looks the style up by name and walks the body
  on every call);
- odt, html, pdf: our writers against the floor: the same words as bare
  paragraphs, no structure, no styles (how much the report's structure costs).

Reports seconds (best of --repeat), ratios, peak Python memory (tracemalloc)
and queries. Usage: ``python -m bench drafting_export -- [--paragraphs N]
[--amendments N] [--repeat N] [--formats docx,odt,html,pdf]``.
"""

from __future__ import annotations

import argparse
import gc
import os
import resource
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from typing import Any


def setup_django() -> None:
    os.environ.setdefault("ROUNDTABLE_VAR_DIR", tempfile.mkdtemp(prefix="bench-drafting-"))
    os.environ.setdefault("ROUNDTABLE_SECRET_KEY", "bench-secret-key-not-for-production-0123456789")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "roundtable.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build(paragraphs: int, amendments: int) -> Any:
    """A process with 40 members and the large report, written mostly in bulk."""
    import random

    from django.contrib.auth.hashers import make_password

    from roundtable.drafting import services
    from roundtable.drafting.models import Amendment, Paragraph, Position
    from roundtable.people.defaults import install_defaults
    from roundtable.people.models import Person, Region, StakeholderGroup
    from roundtable.processes.models import Membership, Process, Role

    random.seed(7)
    install_defaults(StakeholderGroup, Region)
    groups, regions = list(StakeholderGroup.objects.all()), list(Region.objects.all())
    password = make_password("bench")
    process = Process.objects.create(name="Bench group", slug="bench", start_date="2026-01-01")
    secretariat = Person.objects.create(email="s@bench.org", name="Secretariat", password=password)
    Membership.objects.create(person=secretariat, process=process, role=Role.SECRETARIAT)
    members = []
    for index in range(40):
        person = Person.objects.create(
            email=f"m{index}@bench.org", name=f"Member {index}", password=password
        )
        members.append(
            Membership.objects.create(
                person=person,
                process=process,
                role=Role.MEMBER,
                stakeholder_group=groups[index % len(groups)],
                region=regions[index % len(regions)],
            )
        )
    words = [
        "the",
        "working",
        "group",
        "recommends",
        "that",
        "all",
        "stakeholders",
        "cooperate",
        "on",
        "capacity",
        "building",
        "access",
        "infrastructure",
        "security",
        "development",
        "rights",
        "trade",
        "policy",
        "dialogue",
        "forum",
    ]

    def sentence(n: int) -> str:
        return " ".join(random.choice(words) for _ in range(n)).capitalize() + "."

    document = services.document_create(actor=secretariat, process=process, title="Large report")
    per_section = max(1, paragraphs // 10)
    created = []
    for number in range(paragraphs):
        if number % per_section == 0:
            section = services.section_create(
                actor=secretariat, document=document, title=f"Section {number // per_section + 1}"
            )
        created.append(
            services.paragraph_create(
                actor=secretariat,
                section=section,
                text=sentence(60),
                is_recommendation=number % 25 == 0,
            )
        )
    document.refresh_from_db()
    rows, number = [], 0
    for paragraph in Paragraph.objects.filter(document=document).select_related("current_version"):
        for _ in range(amendments):
            number += 1
            author = members[number % len(members)]
            rows.append(
                Amendment(
                    document=document,
                    kind="replace",
                    paragraph=paragraph,
                    base_version=paragraph.current_version,
                    section_id=paragraph.section_id,
                    text=sentence(25),
                    rationale=sentence(10),
                    author_id=author.person_id,
                    membership=author,
                    stakeholder_group_id=author.stakeholder_group_id,
                    region_id=author.region_id,
                    number=number,
                    created_revision=document.revision,
                )
            )
    Amendment.objects.bulk_create(rows, batch_size=2000)
    positions = []
    for amendment in Amendment.objects.filter(document=document).only("pk", "membership_id"):
        for offset in (1, 2):
            member = members[(amendment.pk + offset) % len(members)]
            positions.append(
                Position(
                    amendment=amendment,
                    person_id=member.person_id,
                    membership=member,
                    stakeholder_group_id=member.stakeholder_group_id,
                    stance="support" if offset == 1 else "oppose",
                )
            )
    Position.objects.bulk_create(positions, batch_size=5000)
    return document, members[0].person


def measure(
    function: Callable[[], Any], repeat: int, *, trace: bool = True
) -> tuple[float, float, int, Any]:
    """Best time of ``repeat`` plain runs; then peak Python memory (MB) in one traced run
    (tracemalloc slows Python-heavy code several times, so timed runs are untraced), or,
    with ``trace=False``, the process's peak resident memory so far. Queries: last run."""
    from django.db import connection

    best, result, queries = float("inf"), None, 0
    counted: list[int] = []

    def count(execute, sql, params, many, context):
        counted.append(1)
        return execute(sql, params, many, context)

    for _ in range(repeat):
        gc.collect()
        counted.clear()
        with connection.execute_wrapper(count):
            started = time.perf_counter()
            result = function()
            best = min(best, time.perf_counter() - started)
        queries = len(counted)
    if trace:
        gc.collect()
        tracemalloc.start()
        function()
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        memory = peak / 1e6
    else:
        memory = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return best, memory, queries, result


def naive_gather(document: Any, person: Any) -> list[Any]:
    """The obvious way: each paragraph's view, then its open amendments and their positions."""
    from roundtable.drafting import selectors
    from roundtable.drafting.models import Paragraph, Stance

    namer = selectors.Namer(document.process)
    out = []
    for paragraph in Paragraph.objects.filter(document=document, removed_revision__isnull=True):
        paragraph.document = document
        view = selectors.paragraph_view(paragraph, namer=namer)
        for amendment in paragraph.amendments.filter(status="open").order_by("number"):
            view.open_amendments.append(
                selectors.AmendmentView(
                    amendment,
                    namer.membership(amendment.membership_id),
                    amendment.positions.filter(stance=Stance.SUPPORT).count(),
                    amendment.positions.filter(stance=Stance.OPPOSE).count(),
                )
            )
        out.append(view)
    return out


def bare_blocks(data: Any) -> list[str]:
    """Every word the export prints, as plain paragraphs."""
    blocks = []
    for paragraph in data.view.paragraphs:
        blocks.append(f"{paragraph.number}. {paragraph.version.text}")
        for item in paragraph.open_amendments:
            blocks.append(f"Amendment {item.amendment.number}: {item.amendment.text}")
    return blocks


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="bench drafting_export")
    parser.add_argument("--paragraphs", type=int, default=300)
    parser.add_argument("--amendments", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--formats", default="html,odt,docx,pdf")
    args = parser.parse_args(argv)

    setup_django()
    from django.utils.html import escape

    from roundtable.drafting.export import docx_writer, gather, html_writer, odt_writer, render

    started = time.perf_counter()
    document, person = build(args.paragraphs, args.amendments)
    print(
        f"data: {args.paragraphs} paragraphs x {args.amendments} open amendments "
        f"(2 positions each), built in {time.perf_counter() - started:.1f}s"
    )
    rows: list[tuple[str, str, tuple, str, tuple]] = []

    ours = measure(
        lambda: gather(document, revision=None, person=person, annotated=True), args.repeat
    )
    naive = measure(lambda: naive_gather(document, person), 1)
    rows.append(("gather", "export.gather", ours, "N+1 per paragraph", naive))
    data = ours[3]

    formats = [f.strip() for f in args.formats.split(",") if f.strip()]
    if "html" in formats:
        bare = lambda: "".join(f"<p>{escape(b)}</p>" for b in bare_blocks(data))  # noqa: E731
        rows.append(
            (
                "html",
                "template + print CSS",
                measure(lambda: html_writer.render_html(data), args.repeat),
                "bare <p> join",
                measure(bare, args.repeat),
            )
        )
    if "odt" in formats:

        def bare_odt() -> bytes:
            writer = odt_writer.OdtWriter()
            for block in bare_blocks(data):
                writer.add(block)
            return writer.save()

        rows.append(
            (
                "odt",
                "odt_writer",
                measure(lambda: render(data, "odt"), args.repeat),
                "bare odfpy paragraphs",
                measure(bare_odt, args.repeat),
            )
        )
    if "docx" in formats:

        class ApiWriter(docx_writer.DocxWriter):
            """python-docx's public API: style looked up by name on every paragraph."""

            def paragraph(
                self, text="", *, style=None, bold=False, italic=False, indent=0, size=None
            ):
                paragraph = self.doc.add_paragraph(style=style)
                if indent:
                    paragraph.paragraph_format.left_indent = docx_writer.Cm(indent)
                if text:
                    self.run(paragraph, docx_writer.Run(text, bold=bold, italic=italic), size=size)
                return paragraph

        def api_docx() -> bytes:
            original = docx_writer.DocxWriter
            docx_writer.DocxWriter = ApiWriter
            try:
                return render(data, "docx")
            finally:
                docx_writer.DocxWriter = original

        rows.append(
            (
                "docx",
                "docx_writer",
                measure(lambda: render(data, "docx"), args.repeat),
                "python-docx add_paragraph",
                measure(api_docx, 1),
            )
        )
    if "pdf" in formats:
        from roundtable.core.pdf import html_to_pdf

        bare_html = (
            "<html><body>"
            + "".join(f"<p>{escape(b)}</p>" for b in bare_blocks(data))
            + "</body></html>"
        )
        # Peak resident memory only grows: the smaller (bare) run goes first.
        bare_pdf = measure(lambda: html_to_pdf(bare_html), 1, trace=False)
        our_pdf = measure(lambda: render(data, "pdf"), 1, trace=False)
        rows.append(("pdf", "WeasyPrint, our HTML", our_pdf, "WeasyPrint, bare <p>", bare_pdf))

    print(
        f"\n{'step':<7} {'ours':<22} {'s':>8} {'MB':>8} {'queries':>8} | "
        f"{'baseline':<26} {'s':>8} {'MB':>8} {'queries':>8} | {'ours/base':>9}"
    )
    for step, our_name, (our_s, our_mb, our_q, result), base_name, (
        base_s,
        base_mb,
        base_q,
        _r,
    ) in rows:
        size = f" ({len(result) / 1e6:.1f} MB file)" if isinstance(result, bytes | str) else ""
        print(
            f"{step:<7} {our_name:<22} {our_s:>8.2f} {our_mb:>8.0f} {our_q:>8} | "
            f"{base_name:<26} {base_s:>8.2f} {base_mb:>8.0f} {base_q:>8} | "
            f"{our_s / base_s:>9.2f}{size}"
        )
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        "\nMB: peak Python allocations in a traced run (tracemalloc); for pdf, the process's "
        f"peak resident memory after the step. Peak resident memory of the run: {rss:.0f} MB"
    )
