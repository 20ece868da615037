"""A process's startup objects are frozen out of the garbage collector's way (config/memory.py)."""

import gc

from django.urls import get_resolver

from config.memory import freeze_startup_objects


def test_it_loads_the_urls_and_freezes_what_exists():
    gc.unfreeze()
    try:
        freeze_startup_objects()
        assert "url_patterns" in get_resolver().__dict__  # every URL module imported before the freeze
        assert gc.get_freeze_count() > 10_000  # Django and the apps at least
    finally:
        gc.unfreeze()
