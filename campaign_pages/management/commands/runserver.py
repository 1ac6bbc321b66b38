"""``manage.py runserver`` (``make run``) with a listen backlog for a burst of phones.

Django's development server listens with a backlog of 10 connections: fifty clients voting
at once against ``make run`` overflowed it, and the kernel reset the connections it could
not queue (the tests' live server raises it the same way, tests/conftest.py). Otherwise this
is staticfiles' ``runserver``, which serves static files in development.
"""

from django.contrib.staticfiles.management.commands.runserver import Command as StaticRunserver
from django.core.servers.basehttp import WSGIServer


class BurstWSGIServer(WSGIServer):
    # Connections the kernel queues before the server accepts them (capped by somaxconn).
    request_queue_size = 1024


class Command(StaticRunserver):
    server_cls = BurstWSGIServer
