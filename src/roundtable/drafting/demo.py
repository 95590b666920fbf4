"""The demo process's draft report, built through the services (so history and audit are real).

Fictional text modelled on the shape of the WGIG report: a working definition,
public policy issues by cluster, roles, an oversight section with four
alternative models sponsored across stakeholder groups, recommendations;
amendments accepted, declined and open; consensus calls of each kind; a
minority statement; an open silence procedure. Idempotent: nothing is added
if the report already exists.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from roundtable.processes.models import Membership

from . import services
from .models import Document

TITLE = "Report of the Working Group on Internet Stewardship"

CLUSTER_WORDS = {
    "infrastructure": ("infrastructure", "critical"),
    "use": ("use of", "spam", "security"),
    "wider": ("wider", "beyond", "intellectual", "trade"),
    "development": ("development", "capacity"),
}


def _cluster(process: Any, key: str) -> Any:
    from roundtable.agenda.models import Cluster

    for cluster in Cluster.objects.filter(process=process):
        if any(word in cluster.title.lower() for word in CLUSTER_WORDS[key]):
            return cluster
    return None


def load(context: Any) -> None:
    process = context.process
    if Document.objects.filter(process=process, title=TITLE).exists():
        return
    secretariat = context.secretariat[0]
    chair = context.chair
    m = context.members  # see roundtable.processes.demo.MEMBERS for who is who

    def membership(person: Any) -> Membership:
        return Membership.objects.get(person=person, process=process)

    report = services.document_create(
        actor=secretariat,
        process=process,
        title=TITLE,
        kind="report",
        summary=(
            "Draft of the report to the Summit. Text in square brackets is not agreed; where "
            "members could not agree, the options stand side by side with their sponsors."
        ),
    )

    def section(title: str, cluster: str | None = None) -> Any:
        return services.section_create(
            actor=secretariat,
            document=report,
            title=title,
            cluster=_cluster(process, cluster) if cluster else None,
        )

    def paragraph(where: Any, text: str, recommendation: bool = False) -> Any:
        return services.paragraph_create(
            actor=secretariat, section=where, text=text, is_recommendation=recommendation
        )

    def refresh(item: Any) -> Any:
        item.refresh_from_db()
        return item

    # 1. Introduction, agreed by consensus.
    intro = section("Introduction")
    paragraph(
        intro,
        "The Working Group on Internet Stewardship was set up to study how the Internet is "
        "governed and to report on it. Its members served in their personal capacity and came "
        "from governments, the private sector, civil society, academia and the technical "
        "community, from every region.",
    )
    paragraph(
        intro,
        "The Group met four times. Each meeting was preceded by an open consultation, and "
        "members worked together online between meetings. Its discussions were held under the "
        "Chatham House Rule.",
    )
    services.consensus_call(actor=chair, document=report, section=intro, finding="consensus")

    # 2. The working definition, amended by civil society, agreed by rough consensus.
    definition_section = section("A working definition of Internet stewardship")
    definition = paragraph(
        definition_section,
        "Internet stewardship is the development and application by governments and the "
        "private sector of shared principles, norms, rules, decision-making procedures and "
        "programmes that shape the evolution and use of the Internet.",
    )
    amendment = services.amendment_propose(
        actor=m[21],  # Carlos Mendoza, civil society
        document=report,
        kind="replace",
        paragraph=definition,
        base_version=1,
        text="Internet stewardship is the development and application by governments, the "
        "private sector and civil society, in their respective roles, of shared principles, "
        "norms, rules, decision-making procedures and programmes that shape the evolution and "
        "use of the Internet.",
        rationale="A definition that leaves out civil society does not describe how the "
        "Internet is actually run.",
    )
    for supporter in (m[25], m[30], m[35]):
        services.position_set(actor=supporter, amendment=amendment, stance="support")
    services.position_set(
        actor=m[3],
        amendment=amendment,
        stance="oppose",
        comment="Roles differ; the definition should say so more clearly.",
    )
    services.amendment_accept(actor=chair, amendment=amendment, reason="Broad support.")
    services.consensus_call(
        actor=chair,
        document=report,
        paragraph=refresh(definition),
        finding="rough_consensus",
        objections=[
            (
                membership(m[3]),
                "The sovereign role of governments in public policy is not explicit.",
            )
        ],
        note="Agreed, with one objection recorded.",
    )

    # 3-6. Public policy issues, one section per cluster.
    infrastructure = section("Infrastructure and critical Internet resources", "infrastructure")
    networks = paragraph(
        infrastructure,
        "Interconnection costs weigh most on countries far from the main Internet exchange "
        "points, which often pay for the full cost of international links.",
    )
    paragraph(
        infrastructure,
        "The administration of the root zone and of Internet protocol addresses must remain "
        "stable, secure and accountable to all who depend on it.",
    )
    amendment = services.amendment_propose(
        actor=m[16],  # Grace Wanjiru, private sector, Africa
        document=report,
        kind="replace",
        paragraph=networks,
        base_version=1,
        text="Interconnection costs weigh most on countries far from the main Internet exchange "
        "points, which often pay for the full cost of international links; mobile networks now "
        "carry most of their traffic and face the same costs.",
        rationale="Most new users in Africa come online through mobile networks.",
    )
    services.amendment_accept(actor=secretariat, amendment=amendment)

    use = section("Use of the Internet: spam, security and cybercrime", "use")
    security = paragraph(
        use,
        "Spam, attacks on networks and cybercrime cross borders. No single country or "
        "organisation can address them alone; cooperation between operators, law enforcement "
        "and users is needed.",
    )
    services.comment_create(
        actor=m[2],  # Hoda El-Sayed, government (Arabic)
        paragraph=security,
        text="ينبغي أن تشير الفقرة أيضاً إلى حماية البيانات الشخصية للمستخدمين.",
    )

    wider = section("Issues wider than the Internet: intellectual property and trade", "wider")
    bracketed = paragraph(
        wider,
        "Rules on intellectual property and trade in digital goods should be reviewed in the "
        "light of the development needs of developing countries.",
    )
    services.brackets_request(
        actor=m[15],  # Peter Lindqvist, private sector
        paragraph=bracketed,
        reason="Trade rules are negotiated elsewhere; reviewing them is beyond our mandate.",
    )
    services.brackets_request(
        actor=m[5],  # Kenji Sato, government
        paragraph=refresh(bracketed),
        reason="Wording to be checked with capital.",
    )

    development = section("Development and capacity building", "development")
    paragraph(
        development,
        "Capacity building should let people in developing countries take part in Internet "
        "policy on an equal footing, not only use the network.",
    )
    insertion = services.amendment_propose(
        actor=m[22],  # Aisha Rahman, civil society
        document=report,
        kind="insert",
        section=development,
        text="Women, rural communities and people with disabilities are the least connected "
        "everywhere; programmes should measure whether they reach them.",
        rationale="Development issues are crowded out unless inclusion is named.",
    )
    services.amendment_accept(actor=secretariat, amendment=insertion)

    # 7. Roles: one paragraph agreed ad referendum, awaiting two members' capitals.
    roles = section("Roles and responsibilities")
    governments = paragraph(
        roles,
        "Governments are responsible for public policy, including international public policy, "
        "and for an enabling environment; they exercise it in consultation with the other "
        "stakeholders.",
    )
    paragraph(
        roles,
        "The private sector invests in and operates networks and services; civil society "
        "brings the voice of users and of the public interest; the technical and academic "
        "communities keep the network working and understood.",
    )
    services.consensus_call(
        actor=chair,
        document=report,
        paragraph=refresh(governments),
        finding="consensus",
        ad_referendum=[membership(m[0]), membership(m[4])],
        note="Agreed in the room, pending confirmation by two members with their principals.",
    )

    # 8. Oversight: four alternative models, no consensus, a minority statement.
    oversight = section("Oversight")
    paragraph(
        oversight,
        "The Group discussed at length who should oversee the core functions of the Internet. "
        "It could not agree, and presents the models proposed side by side.",
    )
    models = paragraph(
        oversight, "A Global Internet Council of governments sets public policy for the Internet."
    )
    services.alternatives_set(
        actor=secretariat,
        paragraph=refresh(models),
        base_version=1,
        lead="Four models were proposed for the oversight of core Internet functions:",
        options=[
            "**Model 1.** A Global Internet Council, anchored in the United Nations and made up "
            "of governments with other stakeholders in an advisory role, sets international "
            "Internet public policy and oversees core functions.",
            "**Model 2.** No new body: the accountability of existing organisations is "
            "strengthened, and governments advise through the existing advisory committees.",
            "**Model 3.** An International Internet Council with a narrow mandate on "
            "international public policy, open to all stakeholders, replaces any role of a "
            "single government in overseeing core functions.",
        ],
        reason="The three models as they stood after the third meeting.",
    )
    model_four = services.amendment_propose(
        actor=m[20],  # Fatou Ndiaye, civil society
        document=report,
        kind="alternative",
        paragraph=refresh(models),
        base_version=refresh(models).version_number,
        text="**Model 4.** A Global Internet Stewardship Forum for policy dialogue among all "
        "stakeholders, with the coordination of technical functions kept separate and "
        "accountable to the global community.",
        rationale="Dialogue first: none of the three models gives all stakeholders a voice.",
    )
    services.amendment_accept(actor=chair, amendment=model_four)
    for person, label in [
        (m[3], "A"),
        (m[2], "A"),
        (m[6], "A"),
        (m[12], "B"),
        (m[19], "B"),
        (m[35], "B"),
        (m[10], "C"),
        (m[25], "C"),
        (m[33], "C"),
        (m[30], "D"),
        (m[13], "D"),
    ]:
        services.alternative_sponsor(actor=person, paragraph=refresh(models), label=label)
    services.consensus_call(
        actor=chair,
        document=report,
        paragraph=refresh(models),
        finding="no_consensus",
        note="Members could not agree on one model. The four models are presented as proposed, "
        "with their sponsors, for the Summit to consider.",
    )
    statement = services.minority_statement_create(
        actor=m[23],  # Yusuf Al-Amin, civil society
        section=oversight,
        title="Oversight without the people it affects",
        text="Some members regret that none of the models gives users a direct voice in the "
        "oversight of core functions. Any model chosen should publish its decisions, explain "
        "them, and answer to those affected.",
    )
    for person in (m[22], m[21]):
        services.minority_statement_join(actor=person, statement=statement)

    # 9. Recommendations: one agreed, one with open amendments, one under silence.
    recommendations = section("Recommendations")
    forum = paragraph(
        recommendations,
        "Create a forum, open to all stakeholders on an equal footing, for dialogue on public "
        "policy issues of the Internet. The forum should not take binding decisions.",
        recommendation=True,
    )
    services.consensus_call(
        actor=chair, document=report, paragraph=refresh(forum), finding="consensus"
    )
    capacity = paragraph(
        recommendations,
        "Fund the participation of members from developing countries in international Internet "
        "policy meetings.",
        recommendation=True,
    )
    open_amendment = services.amendment_propose(
        actor=m[26],  # Joseph Okonkwo, civil society, Africa
        document=report,
        kind="replace",
        paragraph=capacity,
        base_version=1,
        text="Fund the participation of members from developing countries in international "
        "Internet policy meetings, in person and remotely, including the cost of connectivity.",
        rationale="Remote participation is only equal if the connection is paid for too.",
    )
    for person, stance in [
        (m[20], "support"),
        (m[34], "support"),
        (m[1], "support"),
        (m[15], "oppose"),
    ]:
        services.position_set(actor=person, amendment=open_amendment, stance=stance)
    declined = services.amendment_propose(
        actor=m[17],  # Dmitri Volkov, private sector
        document=report,
        kind="delete",
        paragraph=refresh(capacity),
        base_version=refresh(capacity).version_number,
        rationale="Funding is for donors to decide, not for this report.",
    )
    services.amendment_decline(
        actor=chair,
        amendment=declined,
        reason="Most members want the report to say who should be funded to take part.",
    )
    services.amendment_propose(
        actor=m[37],  # Nikolai Ivanov, technical community
        document=report,
        kind="alternative",
        paragraph=refresh(security),
        base_version=refresh(security).version_number,
        text="Spam, attacks on networks and cybercrime cross borders; operators' own "
        "cooperation, which already works, should be supported before new treaties are sought.",
        rationale="Technical cooperation is the part that works today.",
    )
    observatory = paragraph(
        recommendations,
        "Set up a voluntary observatory that publishes, each year, how Internet policy "
        "decisions affect developing countries.",
        recommendation=True,
    )
    services.silence_start(
        actor=chair,
        document=report,
        paragraph=refresh(observatory),
        deadline=timezone.now() + dt.timedelta(days=5),
        message="Discussed at the fourth meeting without objection. It will be agreed unless a "
        "member objects by the deadline.",
    )
    services.comment_create(
        actor=m[10],  # Claire Dubois, government (French)
        paragraph=refresh(observatory),
        text="L'observatoire devrait s'appuyer sur les organisations régionales existantes.",
    )
