from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .models import Business


def business(request: HttpRequest) -> dict:
    """``business`` in every template (name in headers), loaded only when a template uses it."""
    return {"business": SimpleLazyObject(Business.current)}
