"""Routes ``/embed/…`` requests through ``config.embed_urls`` (see bookings_app/web/embedding.py)."""

from django.utils import translation

from bookings_app.web.embedding import EMBED_PREFIX

EMBED_URLCONF = "config.embed_urls"


class EmbedUrlconfMiddleware:
    """Chooses the embedded URL map for ``/embed/`` addresses, before the address is resolved, so
    that every address the request makes (``reverse()``) for the flow's pages stays embedded.

    ``/embed/<language>/…`` also speaks that language, whatever the browser asks for (the owner's
    snippet chose it, ``data-rendez-lang``); it comes after ``LocaleMiddleware`` to have the last
    word."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith(EMBED_PREFIX):
            from .embed_urls import BY_LANGUAGE

            code = request.path_info[len(EMBED_PREFIX) :].split("/", 1)[0]
            if code in BY_LANGUAGE:
                request.urlconf = BY_LANGUAGE[code]
                translation.activate(code)
                request.LANGUAGE_CODE = code
            else:
                request.urlconf = EMBED_URLCONF
        return self.get_response(request)
