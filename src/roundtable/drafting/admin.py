"""Read-mostly admin: drafting changes go through the pages and the API so they are audited."""

from django.contrib import admin

from .models import Amendment, ConsensusCall, Document, ExportJob, SilenceProcedure


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "process", "kind", "status", "revision", "updated_at"]
    list_filter = ["process", "kind", "status"]
    readonly_fields = ["revision", "final_revision", "finalised_at", "status"]


@admin.register(Amendment)
class AmendmentAdmin(admin.ModelAdmin):
    list_display = ["number", "document", "kind", "status", "created_at"]
    list_filter = ["status", "kind"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ConsensusCall)
class ConsensusCallAdmin(admin.ModelAdmin):
    list_display = ["document", "finding", "created_at"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SilenceProcedure)
class SilenceProcedureAdmin(admin.ModelAdmin):
    list_display = ["document", "status", "deadline"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ExportJob)
class ExportJobAdmin(admin.ModelAdmin):
    list_display = ["document", "format", "revision", "status", "created_at"]
    list_filter = ["status", "format"]
