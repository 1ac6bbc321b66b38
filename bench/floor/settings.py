"""The production settings, with the floor's URLs in front of the site's (benchmarks only)."""

from pingan.settings.production import *  # noqa: F403

ROOT_URLCONF = "floor.urls"
