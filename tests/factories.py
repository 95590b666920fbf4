"""factory_boy factories and the named personas every permission test uses.

Personas (one process, one person per role):
  chair      Charlotte Chair
  secretariat  Sam Secretariat
  member     Mina Member (civil society, African States)
  observer   Oscar Observer
  public     Pat Public (logged in, no role)
  anonymous  not logged in
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import factory
from django.contrib.auth.models import AnonymousUser

from roundtable.people.defaults import install_defaults
from roundtable.people.models import Organisation, Person, Region, StakeholderGroup
from roundtable.processes.models import Membership, Process, Role

PASSWORD = "correct horse battery staple"


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person
        django_get_or_create = ("email",)

    name = factory.Sequence(lambda n: f"Person {n}")
    email = factory.Sequence(lambda n: f"person{n}@example.net")
    password = factory.django.Password(PASSWORD)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Organisation {n}")


class ProcessFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Process

    name = factory.Sequence(lambda n: f"Working Group {n}")
    slug = factory.Sequence(lambda n: f"wg{n}")
    mandate = "Study the question and report."
    start_date = dt.date(2026, 1, 1)
    working_languages = ["en", "fr"]


def group(slug: str) -> StakeholderGroup:
    return StakeholderGroup.objects.get(slug=slug)


def region(slug: str) -> Region:
    return Region.objects.get(slug=slug)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    person = factory.SubFactory(PersonFactory)
    process = factory.SubFactory(ProcessFactory)
    role = Role.MEMBER
    stakeholder_group = factory.LazyFunction(lambda: group("civil-society"))
    region = factory.LazyFunction(lambda: region("africa"))
    start_date = dt.date(2026, 1, 1)


def make_personas(process: Process | None = None) -> SimpleNamespace:
    # Transactional tests empty every table, the migrated defaults included.
    install_defaults(StakeholderGroup, Region)
    process = process or ProcessFactory(name="Working Group on Testing", slug="wgt")
    chair = PersonFactory(name="Charlotte Chair", email="chair@example.net")
    secretariat = PersonFactory(name="Sam Secretariat", email="secretariat@example.net")
    member = PersonFactory(name="Mina Member", email="member@example.net")
    observer = PersonFactory(name="Oscar Observer", email="observer@example.net")
    public = PersonFactory(name="Pat Public", email="public@example.net")
    memberships = SimpleNamespace(
        chair=MembershipFactory(
            person=chair, process=process, role=Role.CHAIR, stakeholder_group=None, region=None
        ),
        secretariat=MembershipFactory(
            person=secretariat,
            process=process,
            role=Role.SECRETARIAT,
            stakeholder_group=None,
            region=None,
        ),
        member=MembershipFactory(
            person=member,
            process=process,
            role=Role.MEMBER,
            organisation=OrganisationFactory(name="Open Networks Trust"),
        ),
        observer=MembershipFactory(
            person=observer,
            process=process,
            role=Role.OBSERVER,
            stakeholder_group=None,
            region=None,
        ),
    )
    return SimpleNamespace(
        process=process,
        chair=chair,
        secretariat=secretariat,
        member=member,
        observer=observer,
        public=public,
        anonymous=AnonymousUser(),
        memberships=memberships,
    )


ROLES = ["chair", "secretariat", "member", "observer", "public", "anonymous"]
