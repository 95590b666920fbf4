from django.contrib import admin

from .models import Call, PaperSeries, Submission, WorkingPaper


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = ("title", "process", "opens_at", "closes_at", "received_count")
    list_filter = ("process",)
    readonly_fields = ("received_count",)


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    """Read-only: decisions go through the pages so they are audited."""

    list_display = ("reference", "call", "status", "received_at")
    list_filter = ("status", "call__process")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.register(PaperSeries)
admin.site.register(WorkingPaper)
