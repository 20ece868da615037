"""The headers htmx adds to the requests it sends, for tests that play it."""

HTMX = {"HX-Request": "true"}


def htmx(**headers) -> dict:
    """An htmx request's headers as WSGI environ keys, for ``Client.get(url, **htmx())``."""
    return {"HTTP_HX_REQUEST": "true", **headers}
