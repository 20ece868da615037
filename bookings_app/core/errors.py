"""Business errors of the booking app: each carries a message a person can read."""

from django.utils.translation import gettext_lazy as _


class BookingError(Exception):
    """Base of the family; views turn it into a form error or a 409, never a 500."""

    default_message = _("This booking could not be made.")

    def __init__(self, message=None):
        self.message = message or self.default_message
        super().__init__(str(self.message))


class SlotUnavailable(BookingError):
    default_message = _("Sorry, this time is no longer available. Please choose another one.")


class SessionFull(SlotUnavailable):
    default_message = _("Sorry, this session is full.")


class AlreadyBooked(BookingError):
    default_message = _("You already have a place in this session.")


class OutsidePolicy(BookingError):
    default_message = _("This change is no longer possible online. Please contact us.")


class NotBookable(BookingError):
    default_message = _("This service cannot be booked online.")


class InvalidTransition(BookingError):
    default_message = _("This booking cannot be changed that way any more.")


class PaymentRefused(BookingError):
    """An online payment at checkout was refused; nothing is booked. ``field`` names the form field."""

    default_message = _("This payment could not be made.")

    def __init__(self, message=None, *, field: str | None = None, status: int = 400):
        super().__init__(message)
        self.field = field
        self.status = status


class OnlinePaymentNotOffered(PaymentRefused):
    default_message = _("Clients cannot pay online for such a service.")
