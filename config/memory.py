"""What a process made while starting stays out of the garbage collector's way.

Once Django, the apps and the URL configuration are loaded a process holds about 150,000
objects that live as long as it does, and every full collection walked them all: on the
dashboard's calendar week (a page that makes many objects, hence collections) one request in
ten took 180 ms against a median of 69 ms, each of them a full collection. ``gc.freeze()``
moves them into the permanent generation, which collections skip (it also keeps their memory
pages shared between forked processes).
"""

import gc


def freeze_startup_objects() -> None:
    """Load the URL configuration (every view module with it), then freeze what exists."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (imports every URL module now rather than on the first request)
    gc.collect()
    gc.freeze()
