"""Charging a membership's saved card off-session, once per renewal attempt.

The test provider has no card: the membership's ``test_card`` says whether its renewals go
through. Stripe charges the customer's saved payment method with a PaymentIntent confirmed
off-session; the idempotency key names the renewal and the attempt, so a worker that died
after Stripe charged and before Rendez recorded it gets the same PaymentIntent back.
"""

import logging

import stripe
from django.conf import settings
from django.utils.translation import gettext as _

from .base import ProviderError, to_minor_units

log = logging.getLogger("rendez.payments")


class RenewalDeclined(ProviderError):
    """The provider did not take the money; ``message`` says why, for the owner."""


def charge_renewal(membership, renewal) -> str:
    """Take ``renewal.amount`` from the membership's saved card; the provider's reference.

    Raises RenewalDeclined."""
    if membership.provider == "test":
        if membership.test_card != "renews":
            raise RenewalDeclined(_("The test card declines renewals."))
        return f"pi_test_renewal_{renewal.pk}_{renewal.failures}"
    if membership.provider == "stripe":
        return _charge_with_stripe(membership, renewal)
    raise RenewalDeclined(_("This membership is not renewed through a payment provider."))


def _charge_with_stripe(membership, renewal) -> str:
    try:
        intent = stripe.PaymentIntent.create(
            api_key=settings.STRIPE_SECRET_KEY,
            idempotency_key=f"rendez-renewal-{renewal.pk}-{renewal.failures}",
            amount=to_minor_units(renewal.amount, renewal.currency),
            currency=renewal.currency.lower(),
            customer=membership.provider_customer,
            payment_method=membership.provider_payment_method,
            off_session=True,
            confirm=True,
            metadata={"rendez_membership": str(membership.pk), "rendez_renewal": str(renewal.pk)},
        )
    except stripe.StripeError as error:
        log.warning("stripe renewal %s declined: %s", renewal.pk, error)
        message = getattr(error, "user_message", None) or str(error) or error.__class__.__name__
        raise RenewalDeclined(message[:450]) from error
    if getattr(intent, "status", "") != "succeeded":
        raise RenewalDeclined(
            _("The card needs the client's confirmation (status %(status)s).") % {"status": intent.status}
        )
    return intent.id
