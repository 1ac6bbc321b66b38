"""Who is asking: the client address (from a trusted proxy header only), its block and agent.

Behind a proxy, ``RATELIMIT_IP_META_KEY`` names the header the proxy sets (as for the
registration form); otherwise the connection's address is used, which a client cannot forge.
Only keyed hashes of these are stored.
"""

import ipaddress
import logging

from django.conf import settings
from django_ratelimit.core import get_usage

from voting.models.voters import keyed_hash

logger = logging.getLogger("pingan.voting")


def client_address(request):
    key = getattr(settings, "RATELIMIT_IP_META_KEY", None) or "REMOTE_ADDR"
    value = request.META.get(key, "") or request.META.get("REMOTE_ADDR", "")
    return value.split(",")[0].strip()


def address_block(address):
    """The /24 of an IPv4 address or the /48 of an IPv6 one: a household, a campus, a farm."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


def fingerprint(request):
    address = client_address(request)
    return {
        "client_hash": keyed_hash(address, "client"),
        "client_block_hash": keyed_hash(address_block(address), "block"),
        "user_agent_hash": keyed_hash(request.META.get("HTTP_USER_AGENT", "")[:500], "agent"),
    }


def over_limit(request, group, key, rate, increment=True):
    """Count one request of ``group`` for ``key``; True once over ``rate``.

    Counted in the cache (Redis in production). When the cache is down the limit is not
    applied rather than refusing a vote: the database still enforces every voting rule.
    """
    try:
        usage = get_usage(
            request, group=group, key=lambda _group, _request: key, rate=rate, increment=increment
        )
    except Exception:  # noqa: BLE001 - a cache outage must never refuse or lose a vote
        logger.warning("rate limit %s not checked: cache unavailable", group, exc_info=True)
        return False
    return bool(usage and usage["should_limit"])
