"""Business errors of the loyalty app: each carries a message a person can read."""

from django.utils.translation import gettext_lazy as _


class LoyaltyError(Exception):
    """Base of the family; views turn it into a form error or a 409, never a 500."""

    default_message = _("This could not be done.")

    def __init__(self, message=None):
        self.message = message or self.default_message
        super().__init__(str(self.message))


class LoyaltyDisabled(LoyaltyError):
    default_message = _("The loyalty program is switched off.")


class InvalidAmount(LoyaltyError):
    default_message = _("Enter a whole number of points other than zero, such as 50 or -20.")


class DescriptionRequired(LoyaltyError):
    default_message = _("Add a description: the client sees it in their history.")


class InsufficientPoints(LoyaltyError):
    default_message = _("There are not enough points for this.")


class NotForSale(LoyaltyError):
    default_message = _("This gift card cannot be bought with points.")


class GiftCardNotFound(LoyaltyError):
    default_message = _("This gift card code is not valid. Check it and try again.")


class GiftCardExpired(LoyaltyError):
    default_message = _("This gift card has expired.")


class GiftCardRefunded(LoyaltyError):
    default_message = _("This gift card was refunded to its buyer and can no longer be used.")


class GiftCardEmpty(LoyaltyError):
    default_message = _("This gift card has been spent in full.")


class AlreadyPaid(LoyaltyError):
    default_message = _("Nothing is left to pay for this booking.")


class GiftCardAlreadyApplied(LoyaltyError):
    default_message = _("This gift card already pays for this booking.")


class BookingNotPayable(LoyaltyError):
    default_message = _("This booking cannot be paid with a gift card.")


class BookingStillLive(LoyaltyError):
    default_message = _("Only a cancelled or declined booking returns its gift card payment.")


class LedgerIsAppendOnly(RuntimeError):
    """A programming error, not a business one: ledger entries are never changed or deleted."""

    def __init__(self):
        super().__init__("Ledger entries are never changed or deleted; write a new entry instead.")


class ExportTooLarge(LoyaltyError):
    default_message = _("Too many entries for one Excel sheet. Narrow the filters or export to CSV.")


class GiftCardSalesClosed(LoyaltyError):
    default_message = _("Gift cards are not sold online at the moment.")


class OrderRefused(LoyaltyError):
    """An order's detail that cannot be: ``field`` names the form field it belongs to."""

    default_message = _("This gift card cannot be bought.")

    def __init__(self, message=None, *, field: str | None = None):
        super().__init__(message)
        self.field = field
