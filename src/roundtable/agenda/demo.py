"""The agenda part of the demo: ~40 policy issues, four clusters, ratings and rankings.

All wording is invented, loosely modelled on the issues the WGIG identified in
2004-05. Loading is idempotent: issues are found by title, clusters by title,
and members who already rated or ranked are left alone. The ratings are made
so that the government group, the largest, would decide the top issue if votes
were simply counted; the balanced ranking gives every group the same weight
and puts a development issue first.
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from roundtable.people.models import Person
from roundtable.processes.demo import DOMAIN, DemoContext
from roundtable.processes.models import Membership

from . import services
from .models import Cluster, IssueCall, IssueStatus, PolicyIssue, RankingEntry, Rating

CLUSTERS = [
    (
        "Infrastructure and critical Internet resources",
        "The root zone, addressing, interconnection and the networks everything else runs on.",
    ),
    (
        "Use of the Internet",
        "Spam, network security, cybercrime and the safety of people online.",
    ),
    (
        "Issues wider than the Internet",
        "Intellectual property, trade, rights and jurisdiction where the Internet meets older law.",
    ),
    (
        "Development",
        "Capacity building, affordable access and the meaningful participation of developing "
        "countries.",
    ),
]

# (key, cluster index, proposing member number, language, title, description)
ISSUES: list[tuple[str, int, int, str, str, str]] = [
    ("root-zone", 0, 3, "en", "Oversight of root zone changes",
     "A single government authorises every change to the root zone file. Who should "
     "oversee the root zone, and how would other governments and stakeholders take part?"),
    ("root-servers", 0, 35, "en", "Resilience of the root server system",
     "The root name servers are run by a dozen operators, most in one region. Anycast "
     "instances help, but there is no agreed plan for their distribution or funding."),
    ("ip-addresses", 0, 36, "en", "Allocation of IP addresses",
     "Regional registries allocate address blocks by need. Latecomers fear that IPv4 "
     "space is running out unevenly, and that allocation policy favours early adopters."),
    ("interconnection", 0, 2, "en", "International interconnection costs",
     "Operators in developing countries pay the full cost of links to the main backbones, "
     "while traffic flows both ways. Who should pay for international interconnection?"),
    ("ixp", 0, 17, "en", "Local Internet exchange points",
     "Without a local exchange, traffic between two neighbouring networks crosses an ocean "
     "and back. How can exchange points be encouraged where there are none?"),
    ("ipv6", 0, 38, "ru", "Переход на IPv6",
     "Внедрение IPv6 идёт медленно. Нужны ли координированные сроки и поддержка операторов "
     "в развивающихся странах?"),
    ("dns-security", 0, 39, "en", "Security of the domain name system",
     "Cache poisoning and hijacked registrations put users at risk. Signing the zones "
     "(DNSSEC) is possible but costly to deploy and to operate."),
    ("idn", 0, 4, "zh-hans", "多语种域名",
     "用户应能用本国文字注册和使用完整的域名，包括顶级域。需要解决技术标准和管理协调问题。"),
    ("universal-access", 0, 10, "en", "Universal access to telecommunications",
     "Backbone and last-mile infrastructure remain thin in rural areas; universal service "
     "funds are often unspent or diverted."),
    ("voip", 0, 16, "en", "Regulation of voice over IP",
     "Internet telephony blurs the line between telecommunications and data services. Which "
     "rules apply to numbering, emergency calls and interception?"),
    ("spam", 1, 12, "en", "Spam",
     "Unsolicited bulk e-mail makes up most mail traffic, costs operators and users money, "
     "and carries fraud. National laws differ and rarely reach across borders."),
    ("cybersecurity", 1, 8, "en", "Cybersecurity and the protection of critical networks",
     "Attacks on networks and critical infrastructure cross borders in seconds. How should "
     "incident response teams and governments cooperate?"),
    ("cybercrime", 1, 5, "en", "Cooperation against cybercrime",
     "Investigating crime online needs evidence held in other countries. Mutual legal "
     "assistance is slow, and not every country has laws against computer crime."),
    ("child-protection", 1, 26, "en", "Protection of children online",
     "Children need protection from abuse and exploitation online without blanket "
     "filtering that limits everyone's access to information."),
    ("fraud", 1, 19, "en", "Online fraud and phishing",
     "Fake banking sites and advance-fee scams target new users in particular. Takedown "
     "across borders is slow."),
    ("certs", 1, 37, "es", "Equipos de respuesta a incidentes en países en desarrollo",
     "Muchos países no tienen un equipo nacional de respuesta a incidentes informáticos, ni "
     "personal formado para crearlo."),
    ("stability", 1, 13, "en", "Stability and security of the Internet as a whole",
     "Who is responsible when a routing error or a worm threatens the network as a whole? "
     "There is no forum where all those concerned meet."),
    ("surveillance", 1, 24, "ar", "المراقبة واعتراض الاتصالات",
     "تتوسع صلاحيات المراقبة على الإنترنت دون رقابة قضائية كافية، مما يهدد الخصوصية "
     "وحرية التعبير."),
    ("ip-rights", 2, 20, "en", "Intellectual property rights online",
     "Copying is free and instant online. How can creators be paid without limiting access "
     "to knowledge, especially in developing countries?"),
    ("ecommerce", 2, 14, "es", "Comercio electrónico y reglas del comercio internacional",
     "Las ventas en línea cruzan fronteras sin reglas claras sobre impuestos, aduanas y "
     "protección del consumidor."),
    ("consumer", 2, 18, "en", "Consumer protection in cross-border purchases",
     "A buyer in one country has little recourse against a seller in another."),
    ("expression", 2, 21, "fr", "Liberté d'expression en ligne",
     "Le blocage de sites et les poursuites contre des blogueurs se multiplient. Les normes "
     "internationales sur la liberté d'expression doivent s'appliquer en ligne."),
    ("data-protection", 2, 29, "en", "Data protection and privacy",
     "Personal data moves across borders between regimes with very different protections. "
     "Users rarely know who holds what about them."),
    ("competition", 2, 34, "en", "Competition policy and market dominance",
     "A few firms dominate key services. Competition authorities work nationally, markets "
     "are global."),
    ("jurisdiction", 2, 11, "fr", "Compétence juridictionnelle et droit applicable",
     "Quel tribunal est compétent, et quel droit s'applique, quand le serveur, l'auteur et "
     "le lecteur sont dans trois pays différents ?"),
    ("dispute-resolution", 2, 33, "en", "Resolution of disputes over domain names",
     "The existing procedure serves trademark holders well; others find it costly and one-sided."),
    ("content", 2, 25, "ru", "Культурное многообразие и местный контент",
     "Большая часть контента создаётся на нескольких языках. Как поддержать создание "
     "контента на местных языках?"),
    ("capacity", 3, 1, "fr", "Renforcement des capacités",
     "Les pays en développement manquent d'experts pour participer aux négociations "
     "techniques et politiques. Il faut des programmes de formation durables."),
    ("affordable-access", 3, 27, "en", "Affordable access and its financing",
     "Access costs many times more, as a share of income, in the poorest countries. "
     "How should infrastructure there be financed?"),
    ("participation", 3, 22, "es", "Participación efectiva en los foros de gobernanza",
     "Las reuniones se celebran lejos, en inglés y con poca financiación para viajar. La "
     "participación de los países en desarrollo es más formal que real."),
    ("multilingualism", 3, 30, "en", "Multilingualism of content and tools",
     "Software, standards and most content are in a few languages; billions of people are "
     "left out."),
    ("education", 3, 32, "en", "Education and e-learning",
     "Schools and universities need connectivity and open learning resources."),
    ("gender", 3, 23, "en", "Gender and the digital divide",
     "Women are less often online, and less often present where policy is made."),
    ("open-standards", 3, 31, "es", "Estándares abiertos y software libre para el desarrollo",
     "Los estándares abiertos y el software libre reducen costos y dependencia tecnológica."),
    ("spectrum", 3, 15, "ar", "الطيف الترددي للنفاذ في المناطق الريفية",
     "يمكن للتراخيص المرنة للطيف الترددي أن توصل الإنترنت إلى القرى بتكلفة منخفضة."),
    ("measurement", 3, 40, "en", "Measuring the digital divide",
     "Comparable indicators are missing, so progress cannot be tracked."),
    ("local-industry", 3, 28, "en", "Local ICT industry and entrepreneurship",
     "Local firms struggle to grow when hosting, payment and software come from abroad."),
    ("disability", 3, 9, "es", "Accesibilidad para personas con discapacidad",
     "Los sitios y servicios públicos deben ser accesibles para todas las personas."),
]  # fmt: skip

# Duplicates proposed separately, then merged by the secretariat (provenance kept).
# (proposing member number, language, title, description, merged into key)
DUPLICATES = [
    (22, "es", "Correo basura (spam)",
     "El correo no deseado satura los buzones y las redes de los países en desarrollo.", "spam"),
    (21, "fr", "Noms de domaine internationalisés",
     "Les noms de domaine doivent pouvoir s'écrire dans toutes les écritures.", "idn"),
    (6, "en", "Who controls the root?",
     "The authority over the root zone rests with one government; this should be shared.",
     "root-zone"),
]  # fmt: skip

# Members of the public who answered the open call (self-declared groups).
PUBLIC = [
    ("Nour Khalil", "civil-society", "ar", "حماية الصحفيين والمدونين على الإنترنت",
     "يتعرض المدونون للملاحقة بسبب ما ينشرونه. يجب أن تشمل الحماية الصحفيين على الإنترنت."),
    ("Tomás Rivera", "private-sector", "es", "Costos de los certificados y la confianza en línea",
     "Las pequeñas empresas pagan caro por certificados de seguridad para sus sitios."),
]  # fmt: skip

# What each stakeholder group cares about: a base rating per cluster, and favourites.
PREFERENCES: dict[str, tuple[list[float], dict[str, float]]] = {
    "government": ([3.0, 3.0, 1.5, 0.5], {"root-zone": 1.5, "cybersecurity": 0.5}),
    "private-sector": ([2.5, 2.0, 2.5, 1.0], {"root-zone": 1.5, "ip-rights": 1, "ecommerce": 1}),
    "civil-society": ([1.0, 1.5, 2.5, 3.2], {"expression": 1, "affordable-access": 1,
                                            "root-zone": -0.5}),
    "academia": ([1.5, 1.5, 2.0, 3.0], {"affordable-access": 1, "capacity": 0.5,
                                       "root-zone": -0.5}),
    "technical-community": ([2.5, 2.0, 1.0, 2.5], {"ipv6": 1, "ixp": 1, "root-zone": 0.5,
                                                  "affordable-access": 1}),
    "intergovernmental": ([2.0, 2.0, 1.5, 3.0], {"affordable-access": 1, "capacity": 1}),
}  # fmt: skip


def _public_person(name: str, language: str, context: DemoContext) -> Person:
    index = PUBLIC.index(next(p for p in PUBLIC if p[0] == name)) + 1
    person, _created = Person.objects.get_or_create(
        email=f"public{index}@{DOMAIN}",
        defaults={
            "name": name,
            "password": context.admin.password,
            "preferred_language": language,
        },
    )
    return person


def load(context: DemoContext) -> None:
    process = context.process
    secretariat = context.secretariat[0]
    members = context.members
    now = timezone.now()
    start = now - dt.timedelta(days=45)

    call = IssueCall.objects.filter(process=process).first()
    if call is None:
        call = services.call_set(
            actor=secretariat,
            process=process,
            opens_at=start,
            closes_at=now + dt.timedelta(days=10),
            introduction=(
                "The working group invites everyone to name the **public policy issues** "
                "relevant to Internet stewardship. One issue per proposal, please, with a "
                "short explanation and any supporting references."
            ),
        )

    def at(index: int) -> dt.datetime:
        return start + dt.timedelta(hours=7 + index * 23)

    issues: dict[str, PolicyIssue] = {}
    for index, (key, _cluster, member, language, title, description) in enumerate(ISSUES):
        issue = PolicyIssue.objects.filter(process=process, title=title).first()
        if issue is None:
            issue = services.issue_propose(
                actor=members[member - 1],
                process=process,
                title=title,
                description=description,
                language=language,
                now=at(index),
            )
        issues[key] = issue

    for index, (name, group, language, title, description) in enumerate(PUBLIC):
        if not PolicyIssue.objects.filter(process=process, title=title).exists():
            services.issue_propose(
                actor=_public_person(name, language, context),
                process=process,
                title=title,
                description=description,
                language=language,
                stakeholder_group=group,
                now=at(len(ISSUES) + index) if at(len(ISSUES) + index) < now else now,
            )

    for index, (member, language, title, description, into) in enumerate(DUPLICATES):
        duplicate = PolicyIssue.objects.filter(process=process, title=title).first()
        if duplicate is None:
            duplicate = services.issue_propose(
                actor=members[member - 1],
                process=process,
                title=title,
                description=description,
                language=language,
                now=at(3 + index * 5),
            )
        if duplicate.status != IssueStatus.MERGED:
            services.issue_merge(actor=secretariat, issue=duplicate, into=issues[into])

    clusters = []
    for position, (title, description) in enumerate(CLUSTERS):
        cluster = Cluster.objects.filter(process=process, title=title).first()
        if cluster is None:
            coordinator = members[[11, 34, 28, 31][position]]
            cluster = services.cluster_create(
                actor=secretariat,
                process=process,
                title=title,
                description=description,
                coordinator=coordinator,
            )
            team = [members[i] for i in ([1, 15, 35, 25], [7, 18, 23, 37], [13, 20, 33, 8],
                                         [0, 26, 29, 39])[position]]  # fmt: skip
            services.cluster_set_team(actor=secretariat, cluster=cluster, people=team)
        clusters.append(cluster)
    for key, cluster_index, *_rest in ISSUES:
        issue = issues[key]
        if issue.cluster_id is None and issue.is_active:
            services.issues_assign_cluster(
                actor=secretariat,
                process=process,
                issue_ids=[issue.pk],
                cluster=clusters[cluster_index],
            )
        if issue.status == IssueStatus.PROPOSED:
            services.issue_set_status(actor=secretariat, issue=issue, status=IssueStatus.ACCEPTED)

    _ratings(context, issues)

    if not process.cluster_suggestions.exists():
        services.suggestion_create(actor=secretariat, process=process, clusters=4)


def _ratings(context: DemoContext, issues: dict[str, PolicyIssue]) -> None:
    """Ratings from 36 of the 40 members (and rankings from 20) that follow each group's
    preferences with some noise; the same every time (seeded)."""
    process = context.process
    rng = random.Random(2005)  # noqa: S311 - demo data, not security
    clusters = {key: cluster for key, cluster, *_rest in ISSUES}
    groups = dict(
        Membership.objects.filter(process=process, person__in=context.members).values_list(
            "person_id", "stakeholder_group__slug"
        )
    )
    for number, person in enumerate(context.members, start=1):
        scores: dict[int, int] = {}
        base, favourites = PREFERENCES[groups[person.pk]]
        for key, issue in issues.items():
            value = base[clusters[key]] + favourites.get(key, 0.0) + rng.choice((-1, 0, 0, 0.5))
            scores[issue.pk] = max(0, min(4, round(value)))
        if number % 10 == 0:
            continue  # a few members have not rated yet
        if not Rating.objects.filter(person=person, issue__process=process).exists():
            services.ratings_set_many(actor=person, process=process, scores=scores)
        if (
            number % 2 == 0
            and not RankingEntry.objects.filter(person=person, process=process).exists()
        ):
            ordered = sorted(scores, key=lambda pk: (-scores[pk], rng.random()))
            services.ranking_set(actor=person, process=process, issue_ids=ordered[:5])
