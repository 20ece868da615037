"""Routes ``/embed/…`` requests through ``config.embed_urls`` (see bookings_app/web/embedding.py)."""

from bookings_app.web.embedding import EMBED_PREFIX

EMBED_URLCONF = "config.embed_urls"


class EmbedUrlconfMiddleware:
    """Chooses the embedded URL map for ``/embed/`` addresses, before the address is resolved, so
    that every address the request makes (``reverse()``) for the flow's pages stays embedded."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith(EMBED_PREFIX):
            request.urlconf = EMBED_URLCONF
        return self.get_response(request)
