"""The loyalty schema: program, points ledger, gift cards. Import from here."""

from .exports import ExportFormat, ExportStatus, PointsExport
from .gift_card_orders import GIFT_CARD_ORDER, GiftCardOrder, GiftCardOrderStatus
from .gift_cards import GiftCard, GiftCardProduct, GiftCardRedemption
from .ledger import Balance, EntryKind, LedgerEntry
from .program import Program, ServicePoints

__all__ = [
    "Balance",
    "EntryKind",
    "ExportFormat",
    "ExportStatus",
    "GIFT_CARD_ORDER",
    "GiftCard",
    "GiftCardOrder",
    "GiftCardOrderStatus",
    "GiftCardProduct",
    "GiftCardRedemption",
    "LedgerEntry",
    "PointsExport",
    "Program",
    "ServicePoints",
]
