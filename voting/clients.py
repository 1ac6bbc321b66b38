"""Who is asking: the client address (from a trusted proxy header only), its block and agent.

Behind a proxy, ``RATELIMIT_IP_META_KEY`` names the header the proxy sets (as for the
registration form); otherwise the connection's address is used, which a client cannot forge.
Only keyed hashes of these are stored.
"""

import ipaddress
import logging
import time
import zlib

from django.conf import settings
from django.core.cache import caches
from django_ratelimit.core import get_usage

from campaign_pages.ratelimits import window_seconds
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


def rate_period(rate):
    """``(count, seconds)`` of a rate such as ``"20/m"`` or ``"600/5m"``."""
    return int(rate.split("/", 1)[0]), window_seconds(rate)


# One command for all of a vote's counters: each INCR, and an expiry set on a counter's first
# count (atomic with it: no counter is ever left without one). Returns the counts in order.
COUNT_SCRIPT = """
local counts = {}
for i, key in ipairs(KEYS) do
  local count = redis.call('INCR', key)
  if count == 1 then redis.call('EXPIRE', key, ARGV[i]) end
  counts[i] = count
end
return counts
"""
_count_script = {}


def over_any_limit(request, limits):
    """Count one request against each ``(group, key, rate)`` of ``limits``; True when any is
    over its rate.

    With Redis (django-redis) every counter is counted in one round trip and one command (a
    small Lua script, ``COUNT_SCRIPT``, sent by its SHA once loaded) instead of one or two
    round trips per counter through ``get_usage``. Windows are fixed per key, as
    django-ratelimit's: they start at a multiple of the period shifted by a stable per-key
    offset, so keys do not all reset at the same second. Other caches (local memory in
    development and tests) go through ``over_limit`` one by one. Either way a cache outage
    counts nothing and refuses nothing: the database still enforces every voting rule.
    """
    cache = caches["default"]
    client = redis_client(cache)
    if client is None:
        # Every limit is counted, as with the script (no short-circuit).
        results = [over_limit(request, group, key, rate) for group, key, rate in limits]
        return any(results)
    now = int(time.time())
    keys, ttls, ceilings = [], [], []
    for group, key, rate in limits:
        limit, period = rate_period(rate)
        offset = zlib.crc32(f"{group}:{key}".encode()) % period
        window = (now - offset) // period
        keys.append(cache.make_key(f"rl:vote:{group}:{limit}/{period}:{key}:{window}"))
        ttls.append(period + 5)  # to the end of its window, and a little more (clock skew)
        ceilings.append(limit)
    try:
        script = _count_script.get("script")
        if script is None:
            script = _count_script["script"] = client.register_script(COUNT_SCRIPT)
        counts = script(keys=keys, args=ttls, client=client)
    except Exception:  # noqa: BLE001 - a cache outage must never refuse or lose a vote
        logger.warning("vote rate limits not checked: cache unavailable", exc_info=True)
        return False
    return any(int(count) > limit for count, limit in zip(counts, ceilings, strict=True))


def redis_client(cache):
    """The raw Redis client behind ``cache``, or None when it is not django-redis."""
    if not type(cache).__module__.startswith("django_redis"):
        return None
    get_client = getattr(getattr(cache, "client", None), "get_client", None)
    if get_client is None:
        return None
    try:
        return get_client(write=True)
    except Exception:  # noqa: BLE001 - no connection yet: counted as an outage by the caller
        logger.warning("vote rate limits not checked: cache unavailable", exc_info=True)
        return None
