"""The owner dashboard."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ..access import owner_required


@owner_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "dashboard/home.html")
