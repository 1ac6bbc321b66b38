"""ASGI entry point; site/ must be on sys.path."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pingan.settings.production")

application = get_asgi_application()
