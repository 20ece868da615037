"""Dashboard: the owner's discount codes — list (searchable, with the uses so far), create, edit, archive."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ...forms.discounts import DiscountCodeFilterForm, DiscountCodeForm
from ...models import Business, DiscountCode
from ...selectors import discount_codes_for_list
from ...services import discounts
from ...web.access import owner_required
from ...web.pages import render_page

PER_PAGE = 25


def _get_discount_code_for_owner(pk: int) -> DiscountCode:
    """Any code, archived ones included: the owner may see and restore them."""
    try:
        return DiscountCode.objects.get(pk=pk)
    except DiscountCode.DoesNotExist:
        raise Http404 from None


@owner_required
def discount_codes(request: HttpRequest) -> HttpResponse:
    filters = DiscountCodeFilterForm(request.GET)
    filters.is_valid()
    query = filters.cleaned_data
    codes = discount_codes_for_list(q=query.get("q", ""), archived=bool(query.get("archived")))
    page = Paginator(codes, PER_PAGE).get_page(request.GET.get("page"))
    context = {"filters": filters, "page": page, "business": Business.current()}
    return render_page(request, "dashboard/discounts/list.html", context, fragment="results")


def _edit_page(request: HttpRequest, code: DiscountCode | None) -> HttpResponse:
    business = Business.current()
    form = DiscountCodeForm(request.POST or None, currency=business.currency, instance=code)
    if request.method == "POST" and form.is_valid():
        try:
            if code is None:
                code = discounts.create_discount_code(**form.terms())
                messages.success(request, _("Discount code %(code)s created.") % {"code": code.code})
            else:
                code = discounts.update_discount_code(discount_code=code, **form.terms())
                messages.success(request, _("Discount code %(code)s saved.") % {"code": code.code})
        except discounts.DiscountError as error:
            form.add_error(error.field, error.message)
        else:
            return redirect("dashboard:discount_codes")
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "discount_code": code, "business": business}
    return render(request, "dashboard/discounts/edit.html", context, status=status)


@owner_required
@require_http_methods(["GET", "POST"])
def discount_code_new(request: HttpRequest) -> HttpResponse:
    return _edit_page(request, None)


@owner_required
@require_http_methods(["GET", "POST"])
def discount_code(request: HttpRequest, pk: int) -> HttpResponse:
    return _edit_page(request, _get_discount_code_for_owner(pk))


@owner_required
@require_POST
def discount_code_archive(request: HttpRequest, pk: int) -> HttpResponse:
    code = _get_discount_code_for_owner(pk)
    discounts.archive_discount_code(discount_code=code)
    messages.success(request, _("%(code)s is archived: clients can no longer use it.") % {"code": code.code})
    return redirect("dashboard:discount_codes")


@owner_required
@require_POST
def discount_code_restore(request: HttpRequest, pk: int) -> HttpResponse:
    code = _get_discount_code_for_owner(pk)
    discounts.restore_discount_code(discount_code=code)
    messages.success(request, _("%(code)s is back.") % {"code": code.code})
    return redirect("dashboard:discount_code", pk=code.pk)
