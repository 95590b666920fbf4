"""Read-only views for site administrators: changes go through the agenda pages and
API so that policy is checked and every decision is audited."""

from django.contrib import admin

from .models import Cluster, ClusterMember, IssueCall, IssueProposal, PolicyIssue


class ReadOnly:
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class IssueProposalInline(ReadOnly, admin.TabularInline):
    model = IssueProposal
    fk_name = "issue"
    extra = 0
    fields = ("title", "proposer", "proposer_role", "stakeholder_group", "original_issue")


@admin.register(PolicyIssue)
class PolicyIssueAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("title", "process", "status", "cluster", "created_at")
    list_filter = ("status", "process")
    search_fields = ("title", "description")
    raw_id_fields = ("proposer", "merged_into", "cluster", "call")
    inlines = [IssueProposalInline]


class ClusterMemberInline(ReadOnly, admin.TabularInline):
    model = ClusterMember
    extra = 0
    raw_id_fields = ("person",)


@admin.register(Cluster)
class ClusterAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("title", "process", "coordinator", "position")
    list_filter = ("process",)
    raw_id_fields = ("coordinator",)
    inlines = [ClusterMemberInline]


@admin.register(IssueCall)
class IssueCallAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("process", "opens_at", "closes_at")
    list_filter = ("process",)
