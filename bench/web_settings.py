"""Rendez's settings with the bench's URLconf: the public site plus one trivial view, the floor."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "web_urls"
