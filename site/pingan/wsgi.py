"""WSGI entry point (gunicorn ``pingan.wsgi``); site/ must be on sys.path."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pingan.settings.production")

application = get_wsgi_application()
