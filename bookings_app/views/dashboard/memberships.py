"""Dashboard: what the owner does with a client's membership (docs/plans.md, "Memberships"):
extend, freeze, cancel, a renewal paid at the desk. Each answers by going back to the client's
Plans page, or shows it again (400) with the reason next to the field."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from ...models import ClientPlan, PlanKind
from ...services.memberships import (
    cancel_membership,
    extend_membership,
    freeze_membership,
    record_desk_renewal,
)
from ...services.plans import PlanError
from ...web.access import owner_required
from .membership_panel import ACTION_FORMS, action_form
from .plans import client_plans_page

FIRST_FIELD = {"extend": "days", "freeze": "starts_on", "cancel": "when", "renew": "amount"}


@owner_required
@require_POST
def membership_action(request: HttpRequest, pk: int, membership_pk: int, action: str) -> HttpResponse:
    membership = get_object_or_404(
        ClientPlan.objects.select_related("plan", "client"),
        pk=membership_pk,
        client_id=pk,
        plan__kind=PlanKind.MEMBERSHIP,
    )
    if action not in ACTION_FORMS:
        raise Http404
    form = action_form(action, membership.pk, request.POST)
    if form.is_valid():
        try:
            done = _act(action, membership, form, request.user)
        except PlanError as error:
            form.add_error(FIRST_FIELD[action], error.message)
        else:
            messages.success(request, done)
            return redirect("dashboard:client_plans", pk=membership.client_id)
    return client_plans_page(request, membership.client, failed=(membership.pk, action, form), status=400)


def _cancelled(changed) -> str:
    """ " N bookings it paid for are cancelled …", when the change cancelled any."""
    count = len(getattr(changed, "cancelled_bookings", []))
    if not count:
        return ""
    return " " + ngettext(
        "%(count)d booking it paid for is cancelled; the client is told by e-mail.",
        "%(count)d bookings it paid for are cancelled; the client is told by e-mail.",
        count,
    ) % {"count": count}


def _act(action: str, membership: ClientPlan, form, user) -> str:
    now = timezone.now()
    name = {"name": membership.plan.name}
    if action == "extend":
        extend_membership(membership=membership, days=form.cleaned_data["days"])
        return _("“%(name)s” extended.") % name
    if action == "freeze":
        starts_at, ends_at = form.span()
        freeze = freeze_membership(
            membership=membership, starts_at=starts_at, ends_at=ends_at, by=user, now=now
        )
        return (_("“%(name)s” frozen; its end moved by the freeze.") % name) + _cancelled(freeze)
    if action == "cancel":
        cancelled = cancel_membership(
            membership=membership, at_once=form.cleaned_data["when"] == "now", by=user, now=now
        )
        return (_("“%(name)s” cancelled.") % name) + _cancelled(cancelled)
    record_desk_renewal(membership=membership, amount=form.cleaned_data["amount"], by=user, now=now)
    return _("Renewal of “%(name)s” recorded.") % name
