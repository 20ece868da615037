"""The configured e-mail provider's django-anymail webhooks, a 404 while it is not set up.

anymail builds a provider's view on every call and raises ImproperlyConfigured when that
provider's settings or package are missing (boto3, a signing key): left alone, any visitor
could make the site answer 500 at will.
"""

from functools import wraps

from anymail.urls import urlpatterns as provider_webhooks
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import Http404
from django.urls import URLPattern

app_name = "anymail"


def _not_found_unless_set_up(view):
    @wraps(view)  # keeps anymail's csrf_exempt: providers sign their calls instead
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except ImproperlyConfigured as e:
            raise Http404("This e-mail provider is not set up.") from e

    return wrapper


def webhooks_for(provider: str) -> list[URLPattern]:
    """The tracking and inbound webhooks of one provider (``ANYMAIL_PROVIDER``); none for ""."""
    return [
        URLPattern(
            webhook.pattern, _not_found_unless_set_up(webhook.callback), webhook.default_args, webhook.name
        )
        for webhook in provider_webhooks
        if provider and webhook.name.startswith(f"{provider}_")
    ]


urlpatterns = webhooks_for(settings.ANYMAIL_PROVIDER)
