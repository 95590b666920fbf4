"""The fictional demo process, modelled on the WGIG (2004-05).

All names and organisations are invented. Loading is idempotent: people are
found by e-mail, the process by slug, and memberships by (person, process).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from roundtable.people.defaults import install_defaults
from roundtable.people.models import Organisation, Person, Region, StakeholderGroup

from .models import (
    CompositionTarget,
    DeclarationOfInterests,
    Deliverable,
    Dimension,
    Membership,
    Process,
    Role,
)

DEMO_PASSWORD = "roundtable-demo"  # noqa: S105 - printed on the console on purpose
DEMO_SLUG = "wgis"
DOMAIN = "example.org"

# (name, stakeholder group, region, development status, organisation, language)
MEMBERS = [
    (
        "Amina Diallo",
        "government",
        "africa",
        "developing",
        "Ministry of Posts and Telecommunications, Senegal",
        "fr",
    ),
    (
        "Kwame Mensah",
        "government",
        "africa",
        "developing",
        "National Communications Authority, Ghana",
        "en",
    ),
    (
        "Hoda El-Sayed",
        "government",
        "africa",
        "developing",
        "Ministry of Communications, Egypt",
        "ar",
    ),
    (
        "Li Wei",
        "government",
        "asia-pacific",
        "developing",
        "Ministry of Industry and Information Technology",
        "zh-hans",
    ),
    (
        "Priya Raman",
        "government",
        "asia-pacific",
        "developing",
        "Department of Telecommunications, India",
        "en",
    ),
    (
        "Kenji Sato",
        "government",
        "asia-pacific",
        "developed",
        "Ministry of Internal Affairs, Japan",
        "en",
    ),
    (
        "Olga Petrova",
        "government",
        "eastern-europe",
        "developed",
        "Ministry of Digital Development",
        "ru",
    ),
    (
        "Marek Nowak",
        "government",
        "eastern-europe",
        "developed",
        "Office of Electronic Communications, Poland",
        "en",
    ),
    (
        "Lucía Fernández",
        "government",
        "latin-america-caribbean",
        "developing",
        "Secretaría de Comunicaciones, Argentina",
        "es",
    ),
    (
        "João Carvalho",
        "government",
        "latin-america-caribbean",
        "developing",
        "Ministério das Comunicações, Brazil",
        "en",
    ),
    (
        "Claire Dubois",
        "government",
        "weog",
        "developed",
        "Ministère de l'Économie numérique, France",
        "fr",
    ),
    (
        "Thomas Becker",
        "government",
        "weog",
        "developed",
        "Federal Ministry for Digital Affairs, Germany",
        "en",
    ),
    (
        "Sarah Mitchell",
        "government",
        "weog",
        "developed",
        "Department of Commerce, United States",
        "en",
    ),
    (
        "Rafael Ortiz",
        "private-sector",
        "latin-america-caribbean",
        "developing",
        "Andean Telecom Group",
        "es",
    ),
    ("Nadia Haddad", "private-sector", "asia-pacific", "developing", "Levant Data Services", "ar"),
    ("Peter Lindqvist", "private-sector", "weog", "developed", "Nordic Networks AB", "en"),
    (
        "Grace Wanjiru",
        "private-sector",
        "africa",
        "developing",
        "East African Mobile Money Association",
        "en",
    ),
    ("Dmitri Volkov", "private-sector", "eastern-europe", "developed", "Volga Hosting", "ru"),
    ("Emily Chen", "private-sector", "asia-pacific", "developed", "Pacific Cloud Alliance", "en"),
    (
        "Michael O'Brien",
        "private-sector",
        "weog",
        "developed",
        "International Chamber of Digital Commerce",
        "en",
    ),
    (
        "Fatou Ndiaye",
        "civil-society",
        "africa",
        "developing",
        "Citizens' Digital Rights Network",
        "fr",
    ),
    (
        "Carlos Mendoza",
        "civil-society",
        "latin-america-caribbean",
        "developing",
        "Fundación Acceso Abierto",
        "es",
    ),
    (
        "Aisha Rahman",
        "civil-society",
        "asia-pacific",
        "developing",
        "South Asia Open Knowledge",
        "en",
    ),
    (
        "Yusuf Al-Amin",
        "civil-society",
        "asia-pacific",
        "developing",
        "Gulf Human Rights Forum",
        "ar",
    ),
    (
        "Irina Kovalenko",
        "civil-society",
        "eastern-europe",
        "developing",
        "Open Society Tech Lab",
        "ru",
    ),
    (
        "Hannah Schmidt",
        "civil-society",
        "weog",
        "developed",
        "Privacy International Coalition",
        "en",
    ),
    ("Joseph Okonkwo", "civil-society", "africa", "developing", "African Community Networks", "en"),
    (
        "María José Ríos",
        "civil-society",
        "latin-america-caribbean",
        "developing",
        "Red de Mujeres en Tecnología",
        "es",
    ),
    ("Laura Rossi", "civil-society", "weog", "developed", "Consumer Voice Europe", "fr"),
    (
        "Zhang Min",
        "academia",
        "asia-pacific",
        "developing",
        "Institute of Internet Policy, Tsinghua Hills",
        "zh-hans",
    ),
    (
        "Ana Lima",
        "academia",
        "latin-america-caribbean",
        "developing",
        "Centre for Technology and Society",
        "es",
    ),
    (
        "Samuel Adeyemi",
        "academia",
        "africa",
        "developing",
        "University of Lagos Lagoon Campus",
        "en",
    ),
    (
        "Elena Popescu",
        "academia",
        "eastern-europe",
        "developing",
        "Bucharest School of Governance",
        "en",
    ),
    ("David Cohen", "academia", "weog", "developed", "Oxford Internet Studies Centre", "en"),
    (
        "Ravi Shankar",
        "technical-community",
        "asia-pacific",
        "developing",
        "Asia-Pacific Network Operators Group",
        "en",
    ),
    (
        "Sofia Andersson",
        "technical-community",
        "weog",
        "developed",
        "Internet Protocol Task Group",
        "en",
    ),
    (
        "Pablo García",
        "technical-community",
        "latin-america-caribbean",
        "developing",
        "Latin American Addressing Registry",
        "es",
    ),
    (
        "Nikolai Ivanov",
        "technical-community",
        "eastern-europe",
        "developed",
        "Regional Internet Registry East",
        "ru",
    ),
    (
        "Jean-Luc Martin",
        "technical-community",
        "weog",
        "developed",
        "Root Server Operators Forum",
        "fr",
    ),
    (
        "Mariam Tadesse",
        "intergovernmental",
        "africa",
        "developing",
        "Regional Telecommunications Union",
        "en",
    ),
]

OBSERVERS = [
    ("Oliver Grant", "Global Trade Press", "private-sector"),
    ("Leila Karimi", "Students for an Open Internet", "civil-society"),
    ("Hiroshi Tanaka", "Asian Broadcasting Union", "private-sector"),
    ("Beatriz Souza", "Instituto de Pesquisa Digital", "academia"),
    ("Ahmed Benali", "Maghreb ISP Association", "private-sector"),
]

MANDATE = """The Working Group on Internet Stewardship (a fictional demo modelled on the
UN Working Group on Internet Governance, 2004–05) brings governments, the private
sector, civil society, academia and the technical community together on an equal
footing to:

1. develop a **working definition** of Internet stewardship;
2. identify the **public policy issues** that are relevant to it;
3. develop a **common understanding of the respective roles and responsibilities**
   of governments, intergovernmental organisations, the private sector, civil
   society and the technical and academic communities;
4. prepare a **report** on the results of this activity.

Members serve in their personal capacity. Discussions are held under the
Chatham House Rule; each meeting is preceded by an open consultation."""

DELIVERABLES = [
    ("Working definition", "A short definition all stakeholder groups can accept.", 30),
    ("Public policy issues", "A clustered, prioritised list of issues identified bottom-up.", 75),
    ("Roles and responsibilities", "A common understanding of each stakeholder group's role.", 150),
    (
        "Report",
        "The final report, with agreed text, alternatives where there is divergence, and annexes.",
        230,
    ),
]


@dataclass
class DemoContext:
    """What app-specific demo loaders build on."""

    process: Process
    chair: Person
    secretariat: list[Person]
    members: list[Person]
    observers: list[Person]
    admin: Person
    logins: list[tuple[str, str]] = field(default_factory=list)
    today: dt.date = field(default_factory=timezone.localdate)

    @property
    def everyone(self) -> list[Person]:
        return [self.chair, *self.secretariat, *self.members, *self.observers]


def _email(name: str) -> str:
    import unicodedata

    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    local = ".".join(part for part in ascii_name.lower().replace("'", "").replace("-", " ").split())
    return f"{local}@{DOMAIN}"


def _person(
    email: str, name: str, password_hash: str, language: str = "en", **extra: Any
) -> Person:
    person, _created = Person.objects.get_or_create(
        email=email,
        defaults={"name": name, "password": password_hash, "preferred_language": language, **extra},
    )
    return person


def load_process() -> DemoContext:
    install_defaults(StakeholderGroup, Region)
    groups = {g.slug: g for g in StakeholderGroup.objects.all()}
    regions = {r.slug: r for r in Region.objects.all()}
    # One hash for every demo account: hashing 50 passwords would take a minute.
    password_hash = make_password(DEMO_PASSWORD)
    today = timezone.localdate()

    admin = _person(
        f"admin@{DOMAIN}", "Site Administrator", password_hash, is_staff=True, is_superuser=True
    )
    chair = _person(
        f"chair@{DOMAIN}", "Ambassador Nalini Desai", password_hash, time_zone="Asia/Kolkata"
    )
    secretariat = [
        _person(f"secretariat@{DOMAIN}", "Markus Keller", password_hash, time_zone="Europe/Zurich"),
        _person(
            f"secretariat2@{DOMAIN}", "Wanjiku Kamau", password_hash, time_zone="Africa/Nairobi"
        ),
    ]
    process, _created = Process.objects.get_or_create(
        slug=DEMO_SLUG,
        defaults={
            "name": "Working Group on Internet Stewardship",
            "mandate": MANDATE,
            "start_date": today - dt.timedelta(days=60),
            "end_date": today + dt.timedelta(days=240),
            "working_languages": ["en", "fr", "es", "ar", "ru", "zh-hans"],
        },
    )
    for position, (title, description, days) in enumerate(DELIVERABLES):
        Deliverable.objects.get_or_create(
            process=process,
            title=title,
            defaults={
                "description": description,
                "due_date": process.start_date + dt.timedelta(days=days),
                "position": position,
                "status": "delivered"
                if days < 60
                else ("in_progress" if days < 100 else "planned"),
            },
        )

    def ensure(person: Person, role: str, **fields: Any) -> None:
        Membership.objects.get_or_create(
            person=person,
            process=process,
            defaults={"role": role, "start_date": process.start_date, **fields},
        )

    ensure(chair, Role.CHAIR, capacity="personal")
    for person in secretariat:
        ensure(person, Role.SECRETARIAT)
    members = []
    for index, (name, group, region, status, organisation, language) in enumerate(MEMBERS, start=1):
        person = _person(f"member{index}@{DOMAIN}", name, password_hash, language=language)
        org, _ = Organisation.objects.get_or_create(name=organisation)
        ensure(
            person,
            Role.MEMBER,
            stakeholder_group=groups[group],
            region=regions[region],
            development_status=status,
            organisation=org,
            capacity="personal",
        )
        members.append(person)
    observers = []
    for index, (name, organisation, group) in enumerate(OBSERVERS, start=1):
        person = _person(f"observer{index}@{DOMAIN}", name, password_hash)
        org, _ = Organisation.objects.get_or_create(name=organisation)
        ensure(person, Role.OBSERVER, organisation=org, stakeholder_group=groups[group])
        observers.append(person)

    # Targets that make the balance page tell a story: governments above their
    # ceiling, and the African technical community missing (as in the WGIG).
    targets = [
        (
            Dimension.STAKEHOLDER_GROUP,
            {"stakeholder_group": groups["government"]},
            {"max_percent": 30},
        ),
        (
            Dimension.STAKEHOLDER_GROUP,
            {"stakeholder_group": groups["civil-society"]},
            {"min_percent": 20},
        ),
        (
            Dimension.STAKEHOLDER_GROUP,
            {"stakeholder_group": groups["technical-community"]},
            {"min_count": 6},
        ),
        (Dimension.REGION, {"region": regions["africa"]}, {"min_percent": 20}),
        (Dimension.DEVELOPMENT_STATUS, {"development_status": "developing"}, {"min_percent": 50}),
    ]
    for dimension, category, limits in targets:
        CompositionTarget.objects.get_or_create(
            process=process, dimension=dimension, **category, defaults=limits
        )

    first = Membership.objects.get(person=members[0], process=process)
    if not first.declarations.exists():
        DeclarationOfInterests.objects.create(
            membership=first,
            text="Senior adviser at the national telecommunications ministry. No paid board seats. "
            "Travel to meetings funded by my government.",
        )

    context = DemoContext(process, chair, secretariat, members, observers, admin)
    context.logins = [
        ("site administrator", admin.email),
        ("chair", chair.email),
        ("secretariat", secretariat[0].email),
        ("secretariat", secretariat[1].email),
        ("member (government, Africa, French)", members[0].email),
        ("member (civil society, Arabic)", members[23].email),
        ("member (academia, Chinese)", members[29].email),
        ("observer", observers[0].email),
    ]
    return context
