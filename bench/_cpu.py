"""Where the CPU of a load round goes: the app server, the database, Redis, the load client.

A throughput ratio says how much slower one endpoint is than another; it does not say which
process spends the time. ``CpuMeter`` reads the kernel's per-process counters (utime + stime
in ``/proc/<pid>/stat``, Linux only) before and after a round and sums them by role:

- ``app``: the gunicorn processes (the server's process group);
- ``database``: every ``postgres`` process (the bench database's backends do the work; idle
  backends of other databases add nothing);
- ``redis``: ``redis-server``;
- ``client``: the load generator, a child of this process (``RUSAGE_CHILDREN``, counted once
  it has been waited for);
- ``other``: the rest of the machine's busy time (``/proc/stat``): other jobs on shared cores.

Divided by the requests of the round, the figures are milliseconds of CPU per request.
"""

import os
import resource
from dataclasses import dataclass

TICK = os.sysconf("SC_CLK_TCK")
ROLES = ("app", "database", "redis", "client", "other")


def process_ticks(app_group):
    """{role: CPU ticks} of the processes alive now."""
    ticks = dict.fromkeys(("app", "database", "redis"), 0)
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as stat:
                text = stat.read()
        except OSError:  # gone between the listing and the read
            continue
        name = text[text.index("(") + 1 : text.rindex(")")]
        fields = text[text.rindex(")") + 2 :].split()
        used = int(fields[11]) + int(fields[12])  # utime, stime
        if int(fields[2]) == app_group:  # process group
            ticks["app"] += used
        elif name == "postgres":
            ticks["database"] += used
        elif name == "redis-server":
            ticks["redis"] += used
    return ticks


def machine_busy_ticks():
    """The whole machine's busy CPU ticks (all but idle and I/O wait), from ``/proc/stat``."""
    with open("/proc/stat") as stat:
        values = [int(v) for v in stat.readline().split()[1:]]
    return sum(values) - values[3] - values[4]


def children_seconds():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


@dataclass
class CpuUse:
    """CPU seconds by role over one round."""

    seconds: dict

    def per_request_ms(self, requests):
        return {role: 1000 * self.seconds[role] / max(requests, 1) for role in ROLES}

    def describe(self, requests):
        per = self.per_request_ms(requests)
        total = sum(per.values())
        parts = ", ".join(f"{role} {per[role]:.2f}" for role in ROLES)
        return f"{parts}; total {total:.2f} ms of CPU per request"


class CpuMeter:
    """``with CpuMeter(server_pid) as meter: …`` then ``meter.use`` (a ``CpuUse``)."""

    def __init__(self, app_group):
        self.app_group = app_group
        self.use = None

    def __enter__(self):
        self.start = process_ticks(self.app_group)
        self.start_busy = machine_busy_ticks()
        self.start_children = children_seconds()
        return self

    def __exit__(self, *exc):
        end = process_ticks(self.app_group)
        busy = (machine_busy_ticks() - self.start_busy) / TICK
        seconds = {role: (end[role] - self.start[role]) / TICK for role in end}
        seconds["client"] = children_seconds() - self.start_children
        seconds["other"] = max(busy - sum(seconds.values()), 0.0)
        self.use = CpuUse(seconds)
