from django.contrib import admin

from .models import (
    CompositionTarget,
    DeclarationOfInterests,
    Deliverable,
    Invitation,
    Membership,
    Process,
)


class DeliverableInline(admin.TabularInline):
    model = Deliverable
    extra = 0


@admin.register(Process)
class ProcessAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "start_date", "end_date", "access"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [DeliverableInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    """Read-only here: roles change through the secretariat's pages so they are audited."""

    list_display = ["person", "process", "role", "stakeholder_group", "region"]
    list_filter = ["process", "role", "stakeholder_group", "region"]
    search_fields = ["person__name", "person__email"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "process", "role", "created_at", "expires_at", "accepted_at"]
    readonly_fields = ["token_hash"]


admin.site.register(CompositionTarget)
admin.site.register(DeclarationOfInterests)
