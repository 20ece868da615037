"""A client's memberships on the owner's Plans page: each with its status, history and the
forms of what the owner may do with it."""

from django.utils import timezone

from ...forms.memberships import CancelForm, DeskRenewalForm, ExtendForm, FreezeForm
from ...models import MEMBER_STATUSES, Billing, Client, MembershipStatus
from ...selectors.memberships import (
    HISTORY_SHOWN,
    memberships_of_client,
    notice_end_for,
    period_payments,
    shown_status,
)

ACTION_FORMS = {"extend": ExtendForm, "freeze": FreezeForm, "cancel": CancelForm, "renew": DeskRenewalForm}


def action_form(action: str, membership_id: int, data=None):
    return ACTION_FORMS[action](data, prefix=f"m{membership_id}-{action}")


def memberships_of(client: Client, *, failed: tuple | None = None) -> list:
    """The client's memberships, each with ``shown_status``, ``forms`` (by action) and its history;
    ``failed`` = (membership id, action, bound form) puts back the form that was refused."""
    now = timezone.now()
    memberships = list(memberships_of_client(client))
    payments = period_payments(memberships)
    for membership in memberships:
        membership.shown_status = shown_status(membership, now)
        membership.shown_status_label = MembershipStatus(membership.shown_status).label
        membership.is_live = membership.status in MEMBER_STATUSES
        membership.renewed_at_desk = membership.billing == Billing.DESK
        membership.history = list(membership.renewals.all())[:HISTORY_SHOWN]
        membership.freeze_list = list(membership.freezes.all())[:HISTORY_SHOWN]
        membership.cancel_takes_effect = notice_end_for(membership, now) if membership.is_live else None
        membership.forms = {action: action_form(action, membership.pk) for action in ACTION_FORMS}
        membership.period_payment = payments.get(membership.pk)
        if failed and failed[0] == membership.pk:
            membership.forms[failed[1]] = failed[2]
    return memberships
