"""The staff tablet at the front desk."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ..access import staff_required


@staff_required
def today(request: HttpRequest) -> HttpResponse:
    return render(request, "staff/today.html")
