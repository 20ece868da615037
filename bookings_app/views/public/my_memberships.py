"""A signed-in client's memberships on "My bookings": status, next renewal, and cancelling
with the plan's notice (docs/plans.md, "Memberships")."""

from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from ...models import MEMBER_STATUSES, ClientPlan, MembershipStatus, PlanKind
from ...selectors import client_of
from ...selectors.memberships import notice_end_for, shown_status
from ...services.memberships import cancel_membership
from ...services.plans import PlanError


def describe_membership(membership: ClientPlan, now: datetime) -> None:
    """What the client's card says: the status shown, whether they may cancel, when it would end."""
    membership.shown_status = shown_status(membership, now)
    membership.shown_status_label = MembershipStatus(membership.shown_status).label
    membership.may_cancel = membership.status == MembershipStatus.ACTIVE
    membership.is_over = membership.status not in MEMBER_STATUSES
    membership.cancel_takes_effect = notice_end_for(membership, now) if membership.may_cancel else None
    membership.freezes_ahead = [freeze for freeze in membership.freezes.all() if freeze.ends_at > now]


@never_cache
@login_required(login_url="account_request_login_code")
@require_POST
def cancel_my_membership(request: HttpRequest, pk: int) -> HttpResponse:
    """Only the signed-in client's own membership; it ends at the first renewal date the notice reaches."""
    client = client_of(request.user)
    membership = ClientPlan.objects.filter(pk=pk, client=client, plan__kind=PlanKind.MEMBERSHIP).first()
    if client is None or membership is None:
        raise Http404
    try:
        cancelled = cancel_membership(membership=membership, now=timezone.now())
    except PlanError as error:
        messages.error(request, error.message)
        return redirect("my_bookings")
    messages.success(
        request,
        _("Your membership is cancelled. It stays active until %(date)s.")
        % {"date": date_format(timezone.localtime(cancelled.cancel_at), "DATE_FORMAT")},
    )
    return redirect("my_bookings")
