"""The demo process evaluates itself with the built-in partnership assessment.

Thirty fictional, anonymous responses are already in the results (published
to members), two more wait for the next batch, and the first demo member
has an unanswered invitation with a half-finished draft, so a visitor can
log in and answer. Idempotent: nothing is added if the survey exists.
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from roundtable.processes.demo import DemoContext
from roundtable.processes.models import Membership, Role

from . import services
from .assessment import SLUG as ASSESSMENT_SLUG
from .models import PendingResponse, Response, ResultsAudience, Survey, SurveyDraft

TITLE = "Partnership assessment, mid-term"

GROUPS = {
    "government": "government",
    "private-sector": "private_sector",
    "civil-society": "civil_society",
    "academia": "academia",
    "technical-community": "technical",
    "intergovernmental": "igo",
}

# How each stakeholder group leans, on the 1-5 agreement scale (a fictional story:
# civil society feels less equal, the technical community values the work, and
# everyone finds roles unclear and results hard to measure).
LEANING = {
    "government": {"default": 3.9, "factor_equity": 4.2, "mark_reach": 3.4},
    "private_sector": {"default": 3.5, "mark_value": 4.2, "factor_flexibility": 2.8},
    "civil_society": {"default": 3.2, "factor_equity": 2.1, "factor_openness": 3.9},
    "academia": {"default": 3.7, "mark_sustainability": 2.8},
    "technical": {"default": 4.1, "mark_fit": 4.6},
    "igo": {"default": 3.8},
}
HINDRANCE = {"default": 2.1, "constraint_roles": 3.2, "constraint_evaluation": 3.4,
             "constraint_power": 2.6, "constraint_funding": 2.9}  # fmt: skip

ACHIEVEMENTS = [
    "A working definition that every stakeholder group could accept.",
    "Agreeing on a definition of Internet stewardship across all the groups.",
    "The definition: short, neutral and accepted by governments and civil society alike.",
    "Recommending a new open forum where the discussion can continue.",
    "The proposal for a multistakeholder forum after the working group ends.",
    "The forum recommendation, which was taken up by the summit.",
    "Listing the public policy issues from the bottom up.",
    "The clustered list of public policy issues, built from the open consultations.",
    "Keeping the divergent views on oversight visible as four models instead of forcing one.",
    "Presenting alternative models side by side when we could not agree.",
    "La définition commune, acceptée par tous les groupes.",
    "La recommandation de créer un forum ouvert à tous.",
    "La lista de temas de política pública construida desde abajo.",
    "Haber presentado las divergencias de forma transparente.",
]
CHANGES = [
    "Translate the working documents into all six languages, not only the final report.",
    "Documents should arrive translated before the meetings, not after.",
    "Translation of background papers came too late for non-English speakers.",
    "Better remote participation: the online sessions were hard to follow.",
    "Moderate the online sessions and give remote participants the floor more often.",
    "Remote participants should be able to speak as easily as those in the room.",
    "Far too many e-mails from the consultations; a weekly digest would help.",
    "The mailing list was overwhelming; summaries of the consultations instead.",
    "Make sure no single group dominates the speaking time.",
    "Watch the balance between stakeholder groups in who speaks and who drafts.",
    "Plus de temps pour tenir compte des contributions des consultations ouvertes.",
    "Traduire les documents de travail à temps.",
    "Menos correos electrónicos y más resúmenes.",
    "Más apoyo para viajar a los participantes de países en desarrollo.",
]
REACH = [
    "Our recommendations were not promoted outside the meetings.",
    "Weak public relations: few people outside knew about the consultations.",
    "The report was not translated in time to reach national debates.",
]
FACTORS = ("factor_openness", "factor_equity", "factor_competencies", "factor_flexibility",
           "factor_roles", "factor_respect", "factor_benefit", "factor_champions")  # fmt: skip
HELPERS = ["chatham_house", "consultations", "remote", "secretariat", "chair",
           "between_meetings", "translation"]  # fmt: skip


def _agree(rng: random.Random, mean: float, top: int = 5) -> str:
    if rng.random() < 0.06:
        return "dont_know"
    value = round(rng.gauss(mean, 0.8))
    return str(min(max(value, 1), top))


def _response(rng: random.Random, group: str) -> dict[str, str]:
    leaning = LEANING[group]
    answers: dict[str, str] = {
        "stakeholder_group": group,
        "participation": rng.choices(["in_person", "online", "both"], [4, 2, 3])[0],
    }
    for name in ("mark_purpose", "mark_reach", "mark_sustainability", "mark_value", "mark_fit"):
        value = _agree(rng, leaning.get(name, leaning["default"]))
        # The five marks are required and take no "don't know".
        answers[name] = value if value != "dont_know" else "3"
    for name in FACTORS:
        if rng.random() < 0.92:
            answers[name] = _agree(rng, leaning.get(name, leaning["default"]))
    for name in ("constraint_suspicion", "constraint_cultures", "constraint_roles",
                 "constraint_skills", "constraint_power", "constraint_bureaucracy",
                 "constraint_funding", "constraint_evaluation"):  # fmt: skip
        if rng.random() < 0.9:
            answers[name] = _agree(rng, HINDRANCE.get(name, HINDRANCE["default"]), top=4)
    if answers["mark_reach"] in ("1", "2"):
        answers["reach_why"] = rng.choice(REACH)
    chosen = rng.sample(HELPERS, rng.randint(1, 3))
    answers["helped"] = " ".join(h for h in HELPERS if h in chosen)
    answers["overall_score"] = str(min(10, max(0, round(rng.gauss(7, 1.5)))))
    if rng.random() < 0.85:
        answers["achievement"] = rng.choice(ACHIEVEMENTS)
    if rng.random() < 0.8:
        answers["change"] = rng.choice(CHANGES)
    return {name: value for name, value in answers.items() if value}


def load(context: DemoContext) -> None:
    process = context.process
    context.logins.append(("member, a survey to answer (French)", context.members[0].email))
    if Survey.objects.filter(process=process, title=TITLE).exists():
        return
    secretariat = context.secretariat[0]
    survey = services.survey_create(
        actor=secretariat,
        process=process,
        title=TITLE,
        template=ASSESSMENT_SLUG,
        description=(
            "Halfway through our mandate, the secretariat asks every member how the working "
            "group is doing: what it achieves, how we work together and what holds us back. "
            "It takes about ten minutes. The results will be discussed at the next meeting."
        ),
    )
    services.survey_update(
        actor=secretariat,
        survey=survey,
        closes_on=context.today + dt.timedelta(days=12),
        open_link=False,
    )
    services.survey_open(actor=secretariat, survey=survey)
    services.survey_publish(actor=secretariat, survey=survey, audience=ResultsAudience.MEMBERS)

    rng = random.Random(2005)  # noqa: S311 - fictional data, reproducible on purpose
    sent = timezone.now() - dt.timedelta(days=9)
    memberships = {
        m.person_id: m
        for m in Membership.objects.filter(process=process, role=Role.MEMBER).select_related(
            "stakeholder_group"
        )
    }
    invitations = [
        services.invitation_new(survey=survey, email=person.email, person=person, sent_at=sent)
        for person in context.members
    ]
    # 32 of the 40 members have answered, from every stakeholder group; the first
    # demo member has not (log in as them to answer).
    not_yet = {0, 5, 12, 17, 22, 28, 33, 37}
    answered = [inv for index, inv in enumerate(invitations) if index not in not_yet]
    responses = []
    for invitation in answered:
        membership = memberships[invitation.person_id]
        group = GROUPS.get(membership.stakeholder_group.slug, "government")
        responses.append(_response(rng, group))
        invitation.used = True
    type(invitations[0]).objects.bulk_update(answered, ["used"])
    rng.shuffle(responses)
    Response.objects.bulk_create([Response(survey=survey, answers=a) for a in responses[:30]])
    PendingResponse.objects.bulk_create(
        [PendingResponse(survey=survey, answers=a) for a in responses[30:]]
    )
    Survey.objects.filter(pk=survey.pk).update(results_version=1)
    # The first demo member started and saved the first page.
    SurveyDraft.objects.create(
        survey=survey,
        invitation=invitations[0],
        answers={"stakeholder_group": "government", "participation": "both"},
        page=1,
        language="fr",
    )
