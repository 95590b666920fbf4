"""Demo consultations on the demo process: one open call, one closed call, working papers.

Everything goes through the services, so counts, receipts, audit entries and
the analysis are what a real run would produce. All names are fictional; the
receipts addressed to them are marked delivered so the demo sends no e-mail.
Idempotent: calls and papers are found by title.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Q
from django.utils import timezone

from roundtable.agenda.models import PolicyIssue
from roundtable.core.models import OutboundMessage
from roundtable.processes.demo import DemoContext

from . import services
from .models import Call, PaperSeries, Submission, WorkingPaper
from .tokens import author_link_token

CLOSED_TITLE = "Call for input: a working definition of Internet stewardship"
OPEN_TITLE = "Call for input: spam and unsolicited communications"

FORM_LETTER = (
    "As a user of the Internet I ask the Working Group to keep the Internet open and "
    "governed by all stakeholders on an equal footing. No single government or company "
    "should control the core resources of the network. Decisions about names, numbers "
    "and protocols must be transparent, accountable and open to public comment."
)

# (name, e-mail, group, region, organisation, language, text, addition or None)
CLOSED_SUBMISSIONS: list[tuple[str, str, str, str, str, str, str]] = [
    (
        "Bruno Tavares",
        "bruno.tavares@example.net",
        "civil-society",
        "latin-america-caribbean",
        "Associação Rede Livre",
        "en",
        "The definition should name the **stakeholders** explicitly and say that their "
        "roles differ by issue. A definition that only lists governments misses how the "
        "network is actually run.",
    ),
    (
        "Aïcha Konaté",
        "aicha.konate@example.net",
        "civil-society",
        "africa",
        "",
        "fr",
        "La définition doit inclure le développement : pour les pays africains, la "
        "gouvernance d'Internet concerne d'abord l'accès, le coût de la connexion et le "
        "renforcement des capacités.",
    ),
    (
        "Javier Morales",
        "javier.morales@example.net",
        "academia",
        "latin-america-caribbean",
        "Universidad del Pacífico Sur",
        "es",
        "Proponemos una definición amplia que incluya tanto la infraestructura técnica "
        "como las cuestiones de uso: spam, ciberdelito y protección de datos personales.",
    ),
    (
        "Layla Mansour",
        "layla.mansour@example.net",
        "civil-society",
        "asia-pacific",
        "Arab Digital Rights Collective",
        "ar",
        "يجب أن يشمل التعريف حقوق الإنسان وحرية التعبير على الإنترنت، وأن يضمن مشاركة "
        "المجتمع المدني من جميع المناطق على قدم المساواة مع الحكومات.",
    ),
    (
        "Chen Jing",
        "chen.jing@example.net",
        "academia",
        "asia-pacific",
        "East Coast Institute of Network Policy",
        "zh-hans",
        "互联网治理的定义应当兼顾技术管理与公共政策两个层面，并明确各国政府在公共政策方面的"
        "作用，同时尊重私营部门和技术社群的专业职能。",
    ),
    (
        "Sergei Morozov",
        "sergei.morozov@example.net",
        "technical-community",
        "eastern-europe",
        "Regional Operators Forum",
        "ru",
        "Определение должно отражать техническую координацию: адреса, имена и протоколы "
        "управляются сообществом, и это работает. Не следует смешивать её с вопросами "
        "содержания.",
    ),
    (
        "Margaret Collins",
        "margaret.collins@example.net",
        "private-sector",
        "weog",
        "Small Business Internet Alliance",
        "en",
        "Small businesses need predictability. A definition that is too broad invites "
        "regulation of everything online; keep it to the coordination of shared resources "
        "and the policies that directly depend on them.",
    ),
    (
        "Ousmane Sow",
        "ousmane.sow@example.net",
        "government",
        "africa",
        "Autorité de régulation des télécommunications",
        "fr",
        "Nous soutenons une définition qui reconnaît le rôle souverain des États en "
        "matière de politiques publiques, en coopération avec les autres parties prenantes.",
    ),
]
CAMPAIGN_ADDITIONS = [
    ("Kofi Boateng", "kofi.boateng@example.net", "africa", "Our community network in the "
     "Volta region depends on affordable address space; please say so in the report."),
    ("Ingrid Larsen", "ingrid.larsen@example.net", "weog", ""),
    ("Tomás Rivera", "tomas.rivera@example.net", "latin-america-caribbean", ""),
    ("Mei Tanaka", "mei.tanaka@example.net", "asia-pacific", "I also ask that meetings be "
     "held in Asia at least once, so that people from our region can attend."),
    ("Ahmed Farouk", "ahmed.farouk@example.net", "africa", ""),
    ("Paula Nowicka", "paula.nowicka@example.net", "eastern-europe", ""),
    ("Daniel Okafor", "daniel.okafor@example.net", "africa", "Translation of the documents "
     "into French and Arabic matters as much as the definition itself."),
    ("Sophie Martin", "sophie.martin@example.net", "weog", ""),
]  # fmt: skip

OPEN_SUBMISSIONS = [
    (
        "Rahul Verma",
        "rahul.verma@example.net",
        "private-sector",
        "asia-pacific",
        "Mumbai Hosting Co-operative",
        "en",
        "Spam from compromised servers costs small hosting providers real money. The group "
        "should recommend shared blocklists with a clear process to get delisted.",
    ),
    (
        "Fatima Zahra Benali",
        "fatima.benali@example.net",
        "civil-society",
        "africa",
        "",
        "ar",
        "البريد المزعج يستهلك جزءاً كبيراً من سعة الشبكات في البلدان النامية. نطلب تعاون "
        "دولياً وبناء القدرات لمكافحته.",
    ),
    (
        "Lucas Pereira",
        "lucas.pereira@example.net",
        "technical-community",
        "latin-america-caribbean",
        "Rede Técnica do Sul",
        "es",
        "El filtrado de spam debe respetar la neutralidad: bloquear por contenido es "
        "peligroso; mejor autenticar el origen de los mensajes.",
    ),
    (
        "Anna Kowalski",
        "anna.kowalski@example.net",
        "academia",
        "eastern-europe",
        "Institute for Information Law",
        "en",
        "Anti-spam laws differ widely. A model law with opt-in consent and cross-border "
        "enforcement cooperation would help.",
    ),
    (
        "Wang Fang",
        "wang.fang@example.net",
        "government",
        "asia-pacific",
        "",
        "zh-hans",
        "建议建立跨境合作机制，共同打击垃圾邮件，并帮助发展中国家提高技术能力。",
    ),
]


def _silence_demo_mail() -> None:
    """Fictional recipients: mark their messages delivered so nothing is actually sent."""
    OutboundMessage.objects.filter(
        Q(to__endswith="@example.net") | Q(to__endswith="@example.org"),
        kind__startswith="consultation.",
        sent_at__isnull=True,
    ).update(sent_at=timezone.now(), last_error="demo: fictional recipient, not sent")


def _submit_public(
    call: Call,
    *,
    name: str,
    email: str,
    group: str,
    region: str,
    organisation: str,
    language: str,
    text: str,
    **extra: Any,
) -> Submission:
    _verification, secret = services.verification_request(call=call, email=email, language="en")
    submission, _secret, _created = services.submission_create(
        call=call,
        verification_secret=secret,
        name=name,
        organisation=organisation,
        stakeholder_group=group,
        region=region,
        language=language,
        text=text,
        interface_language=language,
        **extra,
    )
    return submission


def _txt(name: str, text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/plain")


def _pdf(name: str, title: str, body: str) -> SimpleUploadedFile:
    from django.utils.html import escape

    from roundtable.core.pdf import html_to_pdf

    html = (
        f"<html><body><h1>{escape(title)}</h1>"
        + "".join(f"<p>{escape(p)}</p>" for p in body.split("\n\n"))
        + "</body></html>"
    )
    return SimpleUploadedFile(name, html_to_pdf(html), content_type="application/pdf")


def _closed_call(context: DemoContext) -> None:
    if Call.objects.filter(process=context.process, title=CLOSED_TITLE).exists():
        return
    secretariat = context.secretariat[0]
    now = timezone.now()
    call = services.call_create(
        actor=secretariat,
        process=context.process,
        title=CLOSED_TITLE,
        description=(
            "The Working Group invites comments on its draft **working definition of Internet "
            "stewardship**. What should the definition include? What should it leave out? "
            "Comments in any of the six UN languages are welcome."
        ),
        opens_at=now - dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(days=1),
        time_zone="Europe/Zurich",
        languages=["en", "fr", "es", "ar", "ru", "zh-hans"],
        publication="author_choice",
        moderation_rules=(
            "We publish every comment on the subject of the call, whatever its view. We do "
            "not publish spam, advertising, personal attacks or personal data about others."
        ),
        questions=[
            {"text": "Which elements must the definition include?", "required": False},
        ],
        publish=True,
    )
    submissions: list[Submission] = []
    for name, email, group, region, org, language, text in CLOSED_SUBMISSIONS:
        extra: dict[str, Any] = {}
        if name == "Margaret Collins":
            extra["attachments"] = [
                _txt(
                    "SBIA position (summary).txt",
                    "Small Business Internet Alliance\n\nPosition on the working definition: "
                    "keep it narrow, predictable and technology-neutral.\n",
                )
            ]
        if name == "Ousmane Sow":
            extra["show_name"] = False
        submissions.append(
            _submit_public(
                call,
                name=name,
                email=email,
                group=group,
                region=region,
                organisation=org,
                language=language,
                text=text,
                **extra,
            )
        )
    campaign: list[Submission] = []
    for name, email, region, addition in CAMPAIGN_ADDITIONS:
        text = FORM_LETTER + (f"\n\n{addition}" if addition else "")
        campaign.append(
            _submit_public(
                call,
                name=name,
                email=email,
                group="civil-society",
                region=region,
                organisation="",
                language="en",
                text=text,
            )
        )
    spam = _submit_public(
        call,
        name="Best Deals",
        email="deals@example.net",
        group="",
        region="",
        organisation="",
        language="en",
        text="Cheap domain names!!! Visit our shop for 90% off web hosting today only.",
    )
    private = _submit_public(
        call,
        name="Helena Costa",
        email="helena.costa@example.net",
        group="government",
        region="weog",
        organisation="",
        language="en",
        text="Speaking for myself: the definition should be short enough to quote.",
        consent_to_publish=False,
    )
    withdrawn = _submit_public(
        call,
        name="Peter Young",
        email="peter.young@example.net",
        group="academia",
        region="weog",
        organisation="",
        language="en",
        text="A first draft of my comment, which I later withdrew.",
    )
    services.submission_withdraw(submission=withdrawn, token=author_link_token(withdrawn))
    for submission in [*submissions, *campaign, private]:
        services.submission_moderate(actor=secretariat, submission=submission, decision="approve")
    services.submission_moderate(
        actor=secretariat, submission=spam, decision="reject", reason="spam"
    )
    issues = list(PolicyIssue.objects.filter(process=context.process)[:2])
    links = [("agenda.policyissue", issue.pk) for issue in issues]
    outcomes = [
        ("accepted", "The definition now lists the stakeholder groups and their roles."),
        ("partly_accepted", "Development is named in the preamble rather than the definition."),
        ("accepted", "Spam, cybercrime and data protection are covered under “use”."),
        ("partly_accepted", "Human rights are referenced; participation is in Section 3."),
        ("noted", "The balance of public policy and technical roles is in Section 4."),
        ("not_accepted", "The group chose a broad definition; see the reasoning in Section 2."),
    ]  # fmt: skip
    for submission, (outcome, response) in zip(submissions, outcomes, strict=False):
        services.disposition_set(
            actor=secretariat,
            submission=submission,
            outcome=outcome,
            response=response,
            links=links[:1] if outcome in ("accepted", "partly_accepted") else [],
        )
    services.disposition_set(
        actor=secretariat,
        submission=private,
        outcome="noted",
        response="Brevity was a shared concern; the definition is one sentence long.",
    )
    # The campaign, decided once for the group; the analysis finds it.
    services.analysis_run(call_id=call.pk, force=True)
    from .selectors import campaign_by_number

    groups = campaign_by_number(call)
    group = groups.get(campaign[0].number)
    if group is not None:
        services.disposition_apply_to_group(
            actor=secretariat,
            call=call,
            numbers=group["members"],
            representative_number=group["representative"],
            outcome="accepted",
            response=(
                "The report states that no single actor should control the core resources, and "
                "recommends transparent, open processes for names, numbers and protocols."
            ),
            links=links,
        )
    services.disposition_react(
        submission=submissions[0], token=author_link_token(submissions[0]), reaction="accepts"
    )
    services.disposition_react(
        submission=submissions[5],
        token=author_link_token(submissions[5]),
        reaction="objects",
        comment="A broad definition blurs technical coordination with content regulation.",
    )
    # Time passes: the call ran for three weeks and closed ten days ago.
    opened = now - dt.timedelta(days=31)
    closed = now - dt.timedelta(days=10)
    Call.objects.filter(pk=call.pk).update(
        opens_at=opened, closes_at=closed, published_at=opened - dt.timedelta(days=2)
    )
    for index, submission in enumerate(call.submissions.order_by("number")):
        Submission.objects.filter(pk=submission.pk).update(
            received_at=opened + dt.timedelta(hours=9 + index * 17)
        )


def _open_call(context: DemoContext) -> None:
    if Call.objects.filter(process=context.process, title=OPEN_TITLE).exists():
        return
    secretariat = context.secretariat[0]
    now = timezone.now()
    spam_issue = PolicyIssue.objects.filter(process=context.process, title__iexact="spam").first()
    call = services.call_create(
        actor=secretariat,
        process=context.process,
        title=OPEN_TITLE,
        description=(
            "Spam clogs networks and costs developing countries dearly. How should providers, "
            "governments and users share the work of fighting it? Answer the questions, or "
            "write freely. Attachments (PDF, Word, OpenDocument or text) are welcome."
        ),
        opens_at=now - dt.timedelta(days=5),
        closes_at=now + dt.timedelta(days=16),
        time_zone="Africa/Nairobi",
        languages=["en", "fr", "es", "ar", "ru", "zh-hans"],
        publication="author_choice",
        moderation_rules="Comments on the subject of the call are published, whatever their view.",
        questions=[
            {"text": "What should Internet providers do about spam?", "required": False},
            {"text": "What international cooperation is needed?", "required": False},
        ],
        target_label="agenda.policyissue" if spam_issue else "",
        target_id=spam_issue.pk if spam_issue else None,
        publish=True,
    )
    made = []
    for name, email, group, region, org, language, text in OPEN_SUBMISSIONS:
        made.append(
            _submit_public(
                call,
                name=name,
                email=email,
                group=group,
                region=region,
                organisation=org,
                language=language,
                text=text,
            )
        )
    members = context.members
    services.submission_create(
        call=call,
        author=members[20],
        name=members[20].name,
        organisation="Citizens' Digital Rights Network",
        stakeholder_group="civil-society",
        region="africa",
        language="fr",
        text="Les utilisateurs doivent être protégés sans que leurs communications soient "
        "surveillées. Priorité à l'éducation et à l'authentification des expéditeurs.",
        answers={},
    )
    for submission in made[:3]:
        services.submission_moderate(actor=secretariat, submission=submission, decision="approve")
    services.disposition_set(
        actor=secretariat,
        submission=made[0],
        outcome="accepted",
        response="Shared blocklists with a delisting process are now a draft recommendation.",
        links=[("agenda.policyissue", spam_issue.pk)] if spam_issue else [],
    )
    services.analysis_run(call_id=call.pk, force=True)


PAPERS = [
    (
        "The technical coordination of names and numbers",
        "Sofia Andersson, Ravi Shankar",
        "en",
        "How addresses, names and protocols are coordinated today, and by whom.",
        [("fr", "La coordination technique des noms et des numéros")],
        "final",
    ),
    (
        "Spam and developing countries",
        "Joseph Okonkwo",
        "en",
        "The cost of spam for networks in Africa and what cooperation could reduce it.",
        [("fr", "Le spam et les pays en développement"), ("ar", "البريد المزعج والبلدان النامية")],
        "for_comment",
    ),
    (
        "Gobernanza de Internet y desarrollo",
        "Carlos Mendoza, Ana Lima",
        "es",
        "Propuestas para que la agenda de desarrollo ocupe su lugar en el informe.",
        [("en", "Internet governance and development")],
        "draft",
    ),
]


def _papers(context: DemoContext) -> None:
    process = context.process
    secretariat = context.secretariat[0]
    series = PaperSeries.objects.filter(process=process, prefix="WGIS/WP").first()
    if series is None:
        series = services.series_create(
            actor=secretariat, process=process, prefix="WGIS/WP", title="Working papers"
        )
    issues = list(PolicyIssue.objects.filter(process=process)[:3])
    for index, (title, authors, language, abstract, versions, status) in enumerate(PAPERS):
        if WorkingPaper.objects.filter(process=process, title=title).exists():
            continue
        author = context.members[30 + index]
        paper = services.paper_submit(
            actor=author,
            process=process,
            title=title,
            authors=authors,
            language=language,
            abstract=abstract,
            file=_pdf(f"{title}.pdf", title, abstract),
        )
        for version_language, version_title in versions:
            services.paper_add_version(
                actor=secretariat,
                paper=paper,
                language=version_language,
                title=version_title,
                file=_pdf(f"{version_title}.pdf", version_title, abstract),
            )
        services.paper_update(
            actor=secretariat,
            paper=paper,
            series=series,
            status=status,
            issues=issues[index : index + 1],
        )
        services.paper_publish(actor=secretariat, paper=paper)
    pending_title = "Remote participation for members from developing countries"
    if not WorkingPaper.objects.filter(process=process, title=pending_title).exists():
        services.paper_submit(
            actor=context.observers[1],
            process=process,
            title=pending_title,
            authors="Leila Karimi",
            language="en",
            abstract="Lessons from online participation in the first two meetings.",
            file=_txt("remote-participation.txt", "Remote participation worked when..."),
        )


def load(context: DemoContext) -> None:
    _closed_call(context)
    _open_call(context)
    _papers(context)
    _silence_demo_mail()
