"""The least a vote can do in Django: the token, the fingerprint, the rate-limit command and
the vote's transaction (the database function on PostgreSQL), with no DRF, no input checks
and no error handling.

``BENCH_FLOOR`` says which round trips it makes: ``both`` (a real vote's: Redis, then the
database), ``database`` (the vote without its rate limits) or ``redis`` (the rate limits
and nothing written). Never routed by the site: ``floor.settings`` adds it for a benchmark.
"""

import json
import os

from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from voting import casting, clients, codes

MODE = os.environ.get("BENCH_FLOOR", "both")


@csrf_exempt
def vote(request):
    candidate = json.loads(request.body)["candidate"]
    voter_id = codes.voter_id_from_token(request.META["HTTP_AUTHORIZATION"][len("Bearer ") :])
    context = casting.voting_context()
    now = timezone.now()
    fingerprint = clients.fingerprint(request)
    if MODE in ("both", "redis"):
        casting.check_rate_limits(request, voter_id, fingerprint)
    if MODE == "redis":
        return JsonResponse(
            {"candidate": candidate, "votes": None, "remaining_today": 0}, status=201
        )
    recorded = casting._record(
        context.campaign,
        candidate,
        voter_id,
        context.rules,
        casting.voting_day(now),
        now,
        "app",
        fingerprint,
    )
    return JsonResponse(
        {"candidate": candidate, "votes": recorded.tally, "remaining_today": recorded.remaining},
        status=201,
    )
