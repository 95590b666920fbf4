"""Give every issue created before provenance existed its own first proposal."""

from django.db import migrations


def forwards(apps, schema_editor):
    PolicyIssue = apps.get_model("agenda", "PolicyIssue")
    IssueProposal = apps.get_model("agenda", "IssueProposal")
    Membership = apps.get_model("processes", "Membership")
    for issue in PolicyIssue.objects.filter(original_proposals__isnull=True).iterator():
        membership = (
            Membership.objects.filter(person_id=issue.proposer_id, process_id=issue.process_id)
            .first()
            if issue.proposer_id
            else None
        )
        IssueProposal.objects.create(
            issue_id=issue.merged_into_id or issue.pk,
            original_issue_id=issue.pk,
            proposer_id=issue.proposer_id,
            proposer_role=membership.role if membership else "public",
            stakeholder_group_id=issue.proposer_stakeholder_group_id,
            region_id=membership.region_id if membership else None,
            title=issue.title,
            description=issue.description,
            references=issue.references,
            created_at=issue.created_at,
        )


class Migration(migrations.Migration):
    dependencies = [("agenda", "0002_provenance_calls_ratings")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
