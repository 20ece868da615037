"""The loyalty tables in the admin. Money and points change only through the services,
so the ledger, balances, cards and payments are read-only here."""

from django.contrib import admin
from django.http import HttpRequest

from .models import (
    Balance,
    GiftCard,
    GiftCardProduct,
    GiftCardRedemption,
    LedgerEntry,
    Program,
    ServicePoints,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Viewable, never added, changed or deleted by hand."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ("__str__", "is_enabled", "credit_delay_hours")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not Program.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(ServicePoints)
class ServicePointsAdmin(admin.ModelAdmin):
    list_display = ("service", "is_enabled", "points")
    list_filter = ("is_enabled",)
    autocomplete_fields = ("service",)


@admin.register(Balance)
class BalanceAdmin(ReadOnlyAdmin):
    list_display = ("client", "points", "updated_at")
    search_fields = ("client__email", "client__first_name", "client__last_name")
    list_select_related = ("client",)


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "client", "kind", "points", "balance_after", "description", "created_by")
    list_filter = ("kind",)
    search_fields = ("client__email", "client__first_name", "client__last_name", "description")
    list_select_related = ("client", "created_by")
    date_hierarchy = "created_at"
    show_full_result_count = False  # a million entries: no COUNT(*) on every page


@admin.register(GiftCardProduct)
class GiftCardProductAdmin(admin.ModelAdmin):
    list_display = ("name", "value", "validity_days", "points_price", "is_active")
    list_filter = ("is_active",)


@admin.register(GiftCard)
class GiftCardAdmin(ReadOnlyAdmin):
    list_display = (
        "display_code",
        "initial_value",
        "remaining_value",
        "currency",
        "expires_at",
        "owner",
        "created_at",
    )
    search_fields = ("code", "owner__email")
    list_select_related = ("owner",)


@admin.register(GiftCardRedemption)
class GiftCardRedemptionAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "gift_card", "booking", "amount", "refunded_at")
    list_select_related = ("gift_card", "booking")
