"""``make run``'s server (``manage.py runserver``) queues a burst of connections."""

import socket

from django.core.management import get_commands, load_command_class
from django.core.servers.basehttp import WSGIRequestHandler

from campaign_pages.management.commands.runserver import BurstWSGIServer


def test_runserver_is_ours_and_still_serves_static_files():
    assert get_commands()["runserver"] == "campaign_pages"
    command = load_command_class("campaign_pages", "runserver")
    assert command.server_cls is BurstWSGIServer
    assert "--nostatic" in command.create_parser("manage.py", "runserver").format_help()


def test_a_burst_of_connections_is_queued_not_refused():
    # Django's own server queues 10; a hundred clients connecting before it accepts any
    # must all get through the handshake (each connect would time out otherwise).
    server = BurstWSGIServer(("127.0.0.1", 0), WSGIRequestHandler)
    clients = []
    try:
        for _ in range(100):
            clients.append(socket.create_connection(server.server_address, timeout=2))
    finally:
        for client in clients:
            client.close()
        server.server_close()
    assert len(clients) == 100
