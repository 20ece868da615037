"""Automations in the Django admin, for the site's operators (owners use the dashboard's
builder); the run log is read-only. State changes go through ``services``."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.forms import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .models import Action, ActionOutcome, Automation, EmailOptOut, FrequencyMark, Run, Task
from .triggers import triggers


class ReadOnlyAdmin(admin.ModelAdmin):
    """A record the engine writes: people look, nobody edits."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ActionFormSet(BaseInlineFormSet):
    def save_new(self, form, commit=True):
        form.instance.position = services.next_action_number(automation=self.instance)
        return super().save_new(form, commit=commit)

    def clean(self) -> None:
        super().clean()
        kept = [form for form in self.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")]
        if not kept:
            raise ValidationError(_("Add at least one action."))


class ActionInline(admin.TabularInline):
    model = Action
    formset = ActionFormSet
    fields = ("order", "kind", "settings")
    extra = 0
    min_num = 1
    ordering = ["order"]


@admin.register(Automation)
class AutomationAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "trigger_label",
        "is_active",
        "delay_amount",
        "delay_unit",
        "frequency",
        "updated_at",
    )
    list_filter = ("is_active", "trigger", ("deleted_at", admin.EmptyFieldListFilter))
    search_fields = ("name",)
    filter_horizontal = ("services",)
    readonly_fields = ("deleted_at", "created_at", "updated_at")
    inlines = [ActionInline]
    actions = ["turn_on", "turn_off", "delete_keeping_history", "duplicate"]

    @admin.display(description=_("trigger"))
    def trigger_label(self, automation: Automation) -> str:
        trigger = triggers.get(automation.trigger)
        return str(trigger.label) if trigger else automation.trigger

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # deleting is soft (the action below): the runs keep their history

    @admin.action(description=_("Turn on"))
    def turn_on(self, request, queryset) -> None:
        for automation in queryset:
            services.set_active(automation=automation, active=True)

    @admin.action(description=_("Turn off (scheduled runs are skipped)"))
    def turn_off(self, request, queryset) -> None:
        skipped = sum(services.set_active(automation=automation, active=False) for automation in queryset)
        self.message_user(
            request,
            ngettext("%d scheduled run skipped.", "%d scheduled runs skipped.", skipped) % skipped,
            messages.INFO,
        )

    @admin.action(description=_("Delete (keeping the run log)"))
    def delete_keeping_history(self, request, queryset) -> None:
        for automation in queryset:
            services.delete_automation(automation=automation)

    @admin.action(description=_("Duplicate (the copy is off)"))
    def duplicate(self, request, queryset) -> None:
        for automation in queryset:
            services.duplicate_automation(automation=automation)


class ActionOutcomeInline(admin.TabularInline):
    model = ActionOutcome
    extra = 0
    can_delete = False
    readonly_fields = ("position", "kind", "status", "detail", "finished_at")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Run)
class RunAdmin(ReadOnlyAdmin):
    list_display = ("automation", "client", "status", "reason", "due_at", "finished_at", "attempts")
    list_filter = ("status", "reason", "automation")
    search_fields = ("key", "client__email", "client__first_name", "client__last_name")
    date_hierarchy = "due_at"
    list_select_related = ("automation", "client")
    inlines = [ActionOutcomeInline]


@admin.register(FrequencyMark)
class FrequencyMarkAdmin(ReadOnlyAdmin):
    list_display = ("automation", "client", "last_run_at")
    list_filter = ("automation",)
    list_select_related = ("automation", "client")


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ("title", "client", "assignee", "due_date", "done_at")
    list_filter = (("done_at", admin.EmptyFieldListFilter), "assignee")
    search_fields = ("title", "client__email", "client__first_name")
    raw_id_fields = ("client",)
    list_select_related = ("client", "assignee")
    actions = ["tick_off"]

    @admin.action(description=_("Mark as done"))
    def tick_off(self, request, queryset) -> None:
        for task in queryset:
            services.complete_task(task=task)


@admin.register(EmailOptOut)
class EmailOptOutAdmin(admin.ModelAdmin):
    list_display = ("client", "created_at")
    search_fields = ("client__email", "client__first_name", "client__last_name")
    raw_id_fields = ("client",)
    list_select_related = ("client",)

    def has_change_permission(self, request, obj=None) -> bool:
        return False
