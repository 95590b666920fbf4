"""Reads: a document at any revision, ready to render; history; authorship balance.

Everyone who wrote, sponsored, bracketed, objected or commented is named
through ``roundtable.processes.attribution.attribute`` with the process's
default rule (the ``Namer`` below), on every surface that uses these.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from roundtable.people.models import Region, StakeholderGroup
from roundtable.processes.attribution import Attribution, attribute
from roundtable.processes.models import Membership, Process

from . import policy
from .models import (
    Amendment,
    AmendmentStatus,
    Comment,
    ConsensusCall,
    Document,
    DocumentRevision,
    MinorityStatement,
    Paragraph,
    ParagraphStatus,
    ParagraphVersion,
    Section,
    SilenceProcedure,
    SilenceStatus,
    Stance,
)
from .text import expand_origins


class Namer:
    """Names people of one process through the attribution rule, one query for all."""

    def __init__(self, process: Process) -> None:
        self.process = process
        self.rule = process.default_attribution
        memberships = Membership.objects.filter(process=process).select_related(
            "person", "stakeholder_group", "organisation"
        )
        self.by_id = {m.pk: m for m in memberships}
        self.by_person = {m.person_id: m for m in self.by_id.values()}
        # Group sizes for the Chatham House small-group rule, counted from the
        # rows already read, as ``attribute`` would count current members;
        # otherwise it runs one query per person named.
        self._peers = Counter(
            m.stakeholder_group_id
            for m in self.by_id.values()
            if m.stakeholder_group_id and m.is_current
        )
        self._cache: dict[tuple[str, int], Attribution] = {}

    def membership(self, membership_id: int | None) -> Attribution:
        key = ("m", membership_id or 0)
        if key not in self._cache:
            membership = self.by_id.get(membership_id) if membership_id else None
            if membership is None:
                self._cache[key] = attribute(
                    process=self.process, rule=self.rule, name=_("a former participant")
                )
            else:
                self._cache[key] = attribute(
                    process=self.process,
                    rule=self.rule,
                    membership=membership,
                    peers=self._peers[membership.stakeholder_group_id],
                )
        return self._cache[key]

    def person(self, person_id: int | None) -> Attribution:
        if person_id is None:
            return Attribution(label=_("Roundtable (automatic)"), anonymous=True)
        membership = self.by_person.get(person_id)
        if membership is not None:
            return self.membership(membership.pk)
        key = ("p", person_id)
        if key not in self._cache:
            from roundtable.people.models import Person

            self._cache[key] = attribute(
                process=self.process, rule=self.rule, person=Person.objects.get(pk=person_id)
            )
        return self._cache[key]

    def membership_of_person(self, person_id: int | None) -> Membership | None:
        return self.by_person.get(person_id) if person_id else None


def readable_documents(*, process: Process, person: Any) -> QuerySet[Document]:
    documents = Document.objects.filter(process=process).select_related("process")
    return documents.filter(pk__in=[d.pk for d in documents if policy.can_view_document(person, d)])


def _refresh_revision(document: Document) -> None:
    """The instance may predate the latest change: read the revision counter again."""
    fresh = (
        Document.objects.filter(pk=document.pk)
        .values("revision", "status", "final_revision")
        .first()
    )
    if fresh:
        document.__dict__.update(fresh)


def paragraph_numbers(document: Document, revision: int | None = None) -> dict[int, int]:
    """Paragraph id -> its number in the document (1, 2, ...) at a revision."""
    paragraphs = _live_paragraphs(document, revision).order_by(
        "section__position", "position", "pk"
    )
    return {pk: index for index, pk in enumerate(paragraphs.values_list("pk", flat=True), start=1)}


def _live_paragraphs(document: Document, revision: int | None) -> QuerySet[Paragraph]:
    paragraphs = Paragraph.objects.filter(document=document)
    if revision is None or revision >= document.revision:
        return paragraphs.filter(removed_revision__isnull=True)
    return paragraphs.filter(created_revision__lte=revision).filter(
        Q(removed_revision__isnull=True) | Q(removed_revision__gt=revision)
    )


def _versions_at(document: Document, revision: int | None) -> dict[int, ParagraphVersion]:
    if revision is None or revision >= document.revision:
        versions = ParagraphVersion.objects.filter(
            pk__in=Paragraph.objects.filter(document=document, removed_revision__isnull=True)
            .exclude(current_version__isnull=True)
            .values("current_version_id")
        )
        return {v.paragraph_id: v for v in versions}
    latest: dict[int, tuple[int, int]] = {}
    for pk, paragraph_id, number in ParagraphVersion.objects.filter(
        paragraph__document=document, document_revision__lte=revision
    ).values_list("pk", "paragraph_id", "number"):
        if paragraph_id not in latest or number > latest[paragraph_id][1]:
            latest[paragraph_id] = (pk, number)
    versions = ParagraphVersion.objects.filter(pk__in=[pk for pk, _n in latest.values()])
    return {v.paragraph_id: v for v in versions}


# --- The document as a reader sees it ---------------------------------------------------------


@dataclass
class OptionView:
    label: str
    text: str
    sponsors: list[Attribution]
    amendment_number: int | None = None

    @property
    def sponsor_groups(self) -> list[str]:
        return sorted({s.stakeholder_group for s in self.sponsors if s.stakeholder_group})


@dataclass
class AmendmentView:
    amendment: Amendment
    author: Attribution
    support: int = 0
    oppose: int = 0


@dataclass
class ParagraphView:
    paragraph: Paragraph
    version: ParagraphVersion
    number: int
    recommendation_number: int | None
    options: list[OptionView]
    brackets: list[tuple[Attribution, str]]
    ad_referendum: list[tuple[Attribution, bool]]
    open_amendments: list[AmendmentView] = field(default_factory=list)
    silence: SilenceProcedure | None = None
    comment_count: int = 0
    sidebar: list[str] = field(default_factory=list)

    @property
    def status(self) -> str:
        return self.version.status

    @property
    def is_bracketed(self) -> bool:
        return self.version.status == ParagraphStatus.BRACKETED

    @property
    def has_alternatives(self) -> bool:
        return self.version.status == ParagraphStatus.ALTERNATIVES


@dataclass
class StatementView:
    statement: MinorityStatement
    author: Attribution
    supporters: list[Attribution]


@dataclass
class SectionView:
    section: Section
    paragraphs: list[ParagraphView]
    statements: list[StatementView]
    counts: dict[str, int]
    insertions: list[AmendmentView] = field(default_factory=list)


@dataclass
class DocumentView:
    document: Document
    revision: int
    revision_entry: DocumentRevision | None
    is_current: bool
    sections: list[SectionView]
    totals: dict[str, int]
    calls: list[ConsensusCall]
    namer: Namer

    @property
    def paragraphs(self) -> list[ParagraphView]:
        return [p for s in self.sections for p in s.paragraphs]

    @property
    def agreed_share(self) -> float:
        return (
            self.totals["agreed"] / self.totals["paragraphs"] if self.totals["paragraphs"] else 0.0
        )


def count_statuses(statuses: list[tuple[str, int, bool]]) -> dict[str, int]:
    """From (status, number of options, divergence recorded) per paragraph."""
    counts = Counter(status for status, _options, _divergence in statuses)
    return {
        "paragraphs": len(statuses),
        "agreed": counts[ParagraphStatus.AGREED],
        "ad_referendum": counts[ParagraphStatus.AD_REFERENDUM],
        "bracketed": counts[ParagraphStatus.BRACKETED],
        "alternatives": counts[ParagraphStatus.ALTERNATIVES],
        "options": sum(options for status, options, _d in statuses if status == "alternatives"),
        "open": counts[ParagraphStatus.OPEN],
        "divergence": sum(1 for _s, _o, divergence in statuses if divergence),
    }


def document_view(
    document: Document,
    *,
    revision: int | None = None,
    person: Any = None,
    annotated: bool = False,
    sidebar: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> DocumentView:
    """Every section and paragraph at ``revision`` (default: now), ready for a page or an export.

    A fixed number of queries whatever the size; ``annotated`` adds open
    amendments with their support; ``sidebar`` asks other apps for what to
    show beside each paragraph (one hook call per paragraph).
    """
    _refresh_revision(document)
    current = revision is None or revision >= document.revision
    revision = document.revision if current else max(0, revision)
    namer = Namer(document.process)
    sections = list(
        document.sections.filter(created_revision__lte=revision)
        .filter(Q(removed_revision__isnull=True) | Q(removed_revision__gt=revision))
        .select_related("cluster")
        .order_by("position", "pk")
    )
    paragraphs = list(
        _live_paragraphs(document, revision).order_by("section__position", "position", "pk")
    )
    versions = _versions_at(document, revision)
    amendment_numbers = dict(document.amendments.values_list("pk", "number"))
    open_amendments: dict[int, list[AmendmentView]] = defaultdict(list)
    if annotated:
        open_at = document.amendments.filter(created_revision__lte=revision).filter(
            Q(status=AmendmentStatus.OPEN)
            if current
            else Q(decided_revision__isnull=True) | Q(decided_revision__gt=revision)
        )
        open_at = open_at.annotate(
            support=Count("positions", filter=Q(positions__stance=Stance.SUPPORT)),
            oppose=Count("positions", filter=Q(positions__stance=Stance.OPPOSE)),
        ).order_by("number")
        for amendment in open_at:
            key = amendment.paragraph_id or -amendment.section_id
            open_amendments[key].append(
                AmendmentView(
                    amendment,
                    namer.membership(amendment.membership_id)
                    if amendment.membership_id
                    else namer.person(amendment.author_id),
                    amendment.support,
                    amendment.oppose,
                )
            )
    silences: dict[Any, SilenceProcedure] = {}
    comment_counts: dict[int, int] = {}
    if current:
        for procedure in document.silence_procedures.filter(status=SilenceStatus.OPEN):
            silences[procedure.paragraph_id or -procedure.section_id] = procedure
        comment_counts = dict(
            Comment.objects.filter(paragraph__document=document)
            .values_list("paragraph_id")
            .annotate(n=Count("pk"))
            .values_list("paragraph_id", "n")
        )
    statements: dict[int, list[StatementView]] = defaultdict(list)
    for statement in (
        MinorityStatement.objects.filter(section__document=document, created_revision__lte=revision)
        .filter(Q(withdrawn_revision__isnull=True) | Q(withdrawn_revision__gt=revision))
        .prefetch_related("supporters")
    ):
        statements[statement.section_id].append(
            StatementView(
                statement,
                namer.person(statement.author_id),
                [namer.membership(m.pk) for m in statement.supporters.all()],
            )
        )
    by_section: dict[int, list[Paragraph]] = defaultdict(list)
    for paragraph in paragraphs:
        by_section[paragraph.section_id].append(paragraph)
    total = len(paragraphs)
    number = recommendation = done = 0
    section_views = []
    hook_collect = None
    if sidebar:
        from roundtable.core.hooks import collect

        hook_collect = collect
    for section in sections:
        views = []
        for paragraph in by_section.get(section.pk, []):
            version = versions.get(paragraph.pk)
            if version is None:
                continue
            paragraph.document = document
            number += 1
            rec_number = None
            if version.is_recommendation:
                recommendation += 1
                rec_number = recommendation
            view = _build_view(paragraph, version, number, rec_number, namer, amendment_numbers)
            view.open_amendments = open_amendments.get(paragraph.pk, [])
            view.silence = silences.get(paragraph.pk) or silences.get(-section.pk)
            view.comment_count = comment_counts.get(paragraph.pk, 0)
            if hook_collect is not None:
                for html_list in hook_collect(
                    "paragraph_sidebar", paragraph=paragraph, person=person
                ):
                    view.sidebar.extend(html_list or [])
            views.append(view)
            done += 1
            if progress is not None and done % 10 == 0:
                progress(done, total)
        counts = count_statuses(
            [(v.status, len(v.options), v.version.divergence_recorded) for v in views]
        )
        section_views.append(
            SectionView(
                section,
                views,
                statements.get(section.pk, []),
                counts,
                open_amendments.get(-section.pk, []),
            )
        )
    totals = count_statuses(
        [
            (v.status, len(v.options), v.version.divergence_recorded)
            for s in section_views
            for v in s.paragraphs
        ]
    )
    totals["statements"] = sum(len(s.statements) for s in section_views)
    if progress is not None:
        progress(total, total)
    calls = list(
        document.consensus_calls.filter(document_revision__lte=revision)
        .select_related("paragraph", "section")
        .prefetch_related("objections")
    )
    return DocumentView(
        document=document,
        revision=revision,
        revision_entry=document.revisions.filter(number=revision).first(),
        is_current=current,
        sections=section_views,
        totals=totals,
        calls=calls,
        namer=namer,
    )


def _build_view(
    paragraph: Paragraph,
    version: ParagraphVersion,
    number: int,
    recommendation_number: int | None,
    namer: Namer,
    amendment_numbers: dict[int, int],
) -> ParagraphView:
    return ParagraphView(
        paragraph=paragraph,
        version=version,
        number=number,
        recommendation_number=recommendation_number,
        options=[
            OptionView(
                option["label"],
                option["text"],
                [namer.membership(m) for m in option.get("sponsors", [])],
                amendment_numbers.get(option.get("amendment")),
            )
            for option in version.alternatives or []
        ],
        brackets=[
            (namer.membership(entry["membership"]), entry.get("reason", ""))
            for entry in version.brackets or []
        ],
        ad_referendum=[
            (namer.membership(entry["membership"]), bool(entry.get("confirmed_at")))
            for entry in version.ad_referendum or []
        ],
    )


def paragraph_view(paragraph: Paragraph, *, namer: Namer | None = None) -> ParagraphView:
    """One paragraph at its current version, numbered as in the document."""
    document = paragraph.document
    namer = namer or Namer(document.process)
    live = _live_paragraphs(document, None).order_by("section__position", "position", "pk")
    numbers = {pk: i for i, pk in enumerate(live.values_list("pk", flat=True), start=1)}
    recommendations = list(live.filter(is_recommendation=True).values_list("pk", flat=True))
    version = paragraph.current_version
    amendment_ids = [a.get("amendment") for a in version.alternatives or [] if a.get("amendment")]
    view = _build_view(
        paragraph,
        version,
        numbers.get(paragraph.pk, 0),
        recommendations.index(paragraph.pk) + 1 if paragraph.pk in recommendations else None,
        namer,
        dict(document.amendments.filter(pk__in=amendment_ids).values_list("pk", "number")),
    )
    view.silence = (
        document.silence_procedures.filter(status=SilenceStatus.OPEN)
        .filter(Q(paragraph=paragraph) | Q(section_id=paragraph.section_id))
        .first()
    )
    return view


# --- History -----------------------------------------------------------------------------------


@dataclass
class VersionView:
    version: ParagraphVersion
    author: Attribution
    credit: Attribution | None
    amendment_number: int | None


def paragraph_history(paragraph: Paragraph, namer: Namer | None = None) -> list[VersionView]:
    namer = namer or Namer(paragraph.document.process)
    versions = list(paragraph.versions.select_related("amendment").order_by("-number"))
    return [
        VersionView(
            version,
            namer.person(version.author_id),
            (
                namer.membership(version.amendment.membership_id)
                if version.amendment and version.amendment.membership_id
                else (namer.person(version.amendment.author_id) if version.amendment else None)
            ),
            version.amendment.number if version.amendment else None,
        )
        for version in versions
    ]


def objections_named(call: ConsensusCall, namer: Namer) -> list[tuple[Attribution, str]]:
    """A rough consensus's objections, each named only through attribution."""
    return [(namer.membership(o.membership_id), o.reason) for o in call.objections.all()]


def amendments_for(
    document: Document, *, status: str | None = None, paragraph: Paragraph | None = None
) -> QuerySet[Amendment]:
    amendments = document.amendments.select_related(
        "paragraph", "section", "base_version", "stakeholder_group"
    ).annotate(
        support=Count("positions", filter=Q(positions__stance=Stance.SUPPORT)),
        oppose=Count("positions", filter=Q(positions__stance=Stance.OPPOSE)),
    )
    if status:
        amendments = amendments.filter(status=status)
    if paragraph is not None:
        amendments = amendments.filter(paragraph=paragraph)
    return amendments.order_by("-number")


def positions_by_group(amendment: Amendment) -> list[dict[str, Any]]:
    """Support and opposition per stakeholder group: balance without names."""
    rows: dict[Any, dict[str, Any]] = {}
    groups = {g.pk: g for g in StakeholderGroup.objects.all()}
    for group_id, stance in amendment.positions.values_list("stakeholder_group_id", "stance"):
        group = groups.get(group_id)
        row = rows.setdefault(
            group_id,
            {
                "group": group.display_name if group else _("not recorded"),
                "support": 0,
                "oppose": 0,
            },
        )
        row[stance] += 1
    return list(rows.values())


# --- Authorship balance -------------------------------------------------------------------------


@dataclass
class Share:
    label: str
    slug: str
    words: int
    share: float


@dataclass
class Authorship:
    document: Document
    revision: int
    total_words: int
    amended_words: int
    direct_words: int
    by_group: list[Share]
    by_region: list[Share]
    agreed_words: int
    agreed_by_group: list[Share]
    agreed_by_region: list[Share]

    def as_dict(self) -> dict[str, Any]:
        def rows(shares: list[Share]) -> list[dict[str, Any]]:
            return [
                {"slug": s.slug, "name": s.label, "words": s.words, "share": round(s.share, 4)}
                for s in shares
            ]

        return {
            "revision": self.revision,
            "total_words": self.total_words,
            "words_through_amendments": self.amended_words,
            "words_drafted_directly": self.direct_words,
            "by_stakeholder_group": rows(self.by_group),
            "by_region": rows(self.by_region),
            "agreed_words": self.agreed_words,
            "agreed_by_stakeholder_group": rows(self.agreed_by_group),
            "agreed_by_region": rows(self.agreed_by_region),
        }


def authorship_balance(document: Document, *, revision: int | None = None) -> Authorship:
    """Share of the text (by words) contributed through accepted amendments, by the
    amendment authors' stakeholder group and region at the time they proposed it."""
    _refresh_revision(document)
    current = revision is None or revision >= document.revision
    revision = document.revision if current else revision
    versions = _versions_at(document, revision)
    live = set(_live_paragraphs(document, revision).values_list("pk", flat=True))
    words: Counter[int] = Counter()
    agreed: Counter[int] = Counter()
    for paragraph_id, version in versions.items():
        if paragraph_id not in live:
            continue
        keys = expand_origins(version.origins)
        for option in version.alternatives or []:
            keys.extend(expand_origins(option.get("origins", [])))
        counts = Counter(keys)
        words.update(counts)
        if version.status == ParagraphStatus.AGREED:
            agreed.update(counts)
    amendments = {
        a["pk"]: a
        for a in Amendment.objects.filter(pk__in=[k for k in words if k]).values(
            "pk", "stakeholder_group_id", "region_id"
        )
    }
    groups = list(StakeholderGroup.objects.all())
    regions = list(Region.objects.all())

    def shares(counter: Counter[int], attr: str, categories: list[Any]) -> list[Share]:
        total = sum(counter.values())
        per: Counter[Any] = Counter()
        for key, count in counter.items():
            if key and key in amendments:
                per[amendments[key][attr]] += count
        rows = [
            Share(
                c.display_name, c.slug, per.get(c.pk, 0), per.get(c.pk, 0) / total if total else 0
            )
            for c in categories
        ]
        if per.get(None):
            rows.append(Share(_("not recorded"), "", per[None], per[None] / total if total else 0))
        return rows

    total = sum(words.values())
    direct = words.get(0, 0) + sum(c for k, c in words.items() if k and k not in amendments)
    return Authorship(
        document=document,
        revision=revision,
        total_words=total,
        amended_words=total - direct,
        direct_words=direct,
        by_group=shares(words, "stakeholder_group_id", groups),
        by_region=shares(words, "region_id", regions),
        agreed_words=sum(agreed.values()),
        agreed_by_group=shares(agreed, "stakeholder_group_id", groups),
        agreed_by_region=shares(agreed, "region_id", regions),
    )


def open_silences(document: Document) -> QuerySet[SilenceProcedure]:
    return document.silence_procedures.filter(status=SilenceStatus.OPEN).select_related(
        "paragraph", "section"
    )
