from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import (
    Booking,
    Business,
    ClassSchedule,
    Client,
    DateOverride,
    DomainEvent,
    Label,
    OutgoingEmail,
    Question,
    Service,
    Session,
    StaffMember,
    TimeOff,
    User,
    WorkingHours,
)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ("email",)
    list_display = ("email", "first_name", "last_name", "is_staff", "is_active", "last_login")
    list_filter = ("is_staff", "is_superuser", "is_active", "groups")
    search_fields = ("email", "first_name", "last_name")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


@admin.register(Business)
class BusinessAdmin(admin.ModelAdmin):
    list_display = ("name", "time_zone", "currency", "language")

    def has_add_permission(self, request) -> bool:
        return not Business.objects.exists()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class WorkingHoursInline(admin.TabularInline):
    model = WorkingHours
    extra = 0


class DateOverrideInline(admin.TabularInline):
    model = DateOverride
    extra = 0


class TimeOffInline(admin.TabularInline):
    model = TimeOff
    extra = 0


@admin.register(StaffMember)
class StaffMemberAdmin(admin.ModelAdmin):
    list_display = ("name", "email", "is_active", "user")
    list_filter = ("is_active",)
    search_fields = ("name", "email")
    inlines = [WorkingHoursInline, DateOverrideInline, TimeOffInline]


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0


class ClassScheduleInline(admin.TabularInline):
    model = ClassSchedule
    extra = 0


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "duration_minutes", "price", "capacity", "is_online", "is_archived")
    list_filter = ("kind", "is_online", "is_archived")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("staff",)
    inlines = [QuestionInline, ClassScheduleInline]


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ("service", "staff", "start", "end", "seats_taken", "capacity", "status")
    list_filter = ("status", "service", "staff")
    date_hierarchy = "start"
    list_select_related = ("service", "staff")
    readonly_fields = ("seats_taken", "blocked_start", "blocked_end", "started_event_at", "ended_event_at")


@admin.register(Client)
class ClientAdmin(admin.ModelAdmin):
    list_display = ("first_name", "last_name", "email", "phone", "created_at")
    search_fields = ("first_name", "last_name", "email", "phone")
    list_filter = ("labels",)
    filter_horizontal = ("labels",)
    raw_id_fields = ("user",)


@admin.register(Label)
class LabelAdmin(admin.ModelAdmin):
    search_fields = ("name",)


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    """Read mostly: bookings change through the services (dashboard, public pages), not here."""

    list_display = ("code", "client", "service", "session", "status", "attendance", "source", "created_at")
    list_filter = ("status", "attendance", "source", "service")
    search_fields = ("code", "client__email", "client__first_name", "client__last_name")
    list_select_related = ("client", "service", "session")
    raw_id_fields = ("client", "session")
    readonly_fields = (
        "code",
        "status",
        "attendance",
        "attendance_at",
        "attendance_by",
        "session",
        "enrollment",
        "created_at",
        "updated_at",
        "cancelled_at",
    )


@admin.register(DomainEvent)
class DomainEventAdmin(admin.ModelAdmin):
    list_display = ("kind", "occurred_at", "client", "service")
    list_filter = ("kind",)
    date_hierarchy = "occurred_at"
    list_select_related = ("client", "service")

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    list_display = ("subject", "to", "kind", "status", "attempts", "created_at", "sent_at")
    list_filter = ("status", "kind")
    search_fields = ("to", "subject")
    readonly_fields = [f.name for f in OutgoingEmail._meta.fields]
