from django.contrib import admin

from .models import DigestLog, DiscussionSettings, Message, Subscription, Thread


@admin.register(Thread)
class ThreadAdmin(admin.ModelAdmin):
    list_display = ("title", "process", "cluster", "last_message_at", "locked_at")
    list_filter = ("process",)
    search_fields = ("title",)


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ("pk", "thread", "author", "status", "source", "created_at")
    list_filter = ("status", "source")
    raw_id_fields = ("thread", "author", "parent")


admin.site.register(DiscussionSettings)
admin.site.register(Subscription)
admin.site.register(DigestLog)
