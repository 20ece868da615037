"""Whom a message goes to, and in which language: the same answer for every app."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import translation

from ..models import Business, Client
from ..web.roles import OWNER


def language_for(client: Client | None, business: Business) -> str:
    """The client's language if Rendez speaks it, else the business's, else the site default."""
    for candidate in (client.language if client else "", business.language):
        try:
            return translation.get_supported_language_variant(candidate)
        except LookupError:
            continue
    return settings.LANGUAGE_CODE


def owner_addresses() -> list[str]:
    """The e-mail addresses of the active owners (superusers count), each once, sorted."""
    owners = get_user_model().objects.filter(Q(is_superuser=True) | Q(groups__name=OWNER), is_active=True)
    return sorted(set(owners.exclude(email="").values_list("email", flat=True)))
