"""axe-core, from npm (package.json, installed by ``make install``), run in a Playwright page.

The site's Content-Security-Policy refuses any script it did not serve, so axe is not added as
a ``<script>`` tag and the test context does not use ``bypass_csp``: its source is evaluated
through the DevTools protocol (Playwright's ``page.evaluate``), which the page's policy does
not govern. The page under test keeps exactly the policy it has in production.
"""

import json
from functools import cache
from pathlib import Path

from .tools import missing

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
REPORTS = ROOT / "test-artifacts" / "axe"
# What fails a page: WCAG 2.x A/AA and axe's best practices, at these impacts. "moderate" and
# "minor" findings are written to the report but do not fail.
BLOCKING = ("serious", "critical")
RUN_OPTIONS = {"resultTypes": ["violations"]}


@cache
def axe_source():
    """The axe-core script; skipped without it locally, a failure under CI (like Chromium)."""
    if not AXE_JS.exists():
        missing(f"axe-core not found at {AXE_JS}: run `make install` (needs npm)")
    return AXE_JS.read_text(encoding="utf-8")


def audit(page):
    """axe's violations on the page as it is now (every impact)."""
    # Wagtail's admin has an axe of its own, configured for its checker: ours is kept apart.
    if not page.evaluate("typeof window.__pinnedAxe === 'object'"):
        page.evaluate(axe_source())
        page.evaluate("window.__pinnedAxe = window.axe")
    return page.evaluate("options => __pinnedAxe.run(document, options)", RUN_OPTIONS)["violations"]


def blocking(violations):
    return [v for v in violations if v["impact"] in BLOCKING]


def describe(violations, url=""):
    """One line per rule, with the first elements it found, for an assertion message."""
    lines = []
    for v in violations:
        targets = ", ".join(" ".join(node["target"]) for node in v["nodes"][:3])
        lines.append(
            f"{url} [{v['impact']}] {v['id']}: {v.get('help')} ({len(v['nodes'])}: {targets})"
        )
    return "\n".join(lines)


def save_report(name, results):
    """Every finding (url -> violations) as JSON under test-artifacts/axe/, for reading later."""
    REPORTS.mkdir(parents=True, exist_ok=True)
    slim = {
        url: [
            {
                "id": v["id"],
                "impact": v["impact"],
                "help": v.get("help", ""),
                "nodes": [
                    {"target": n["target"], "summary": n.get("failureSummary", "")}
                    for n in v["nodes"]
                ],
            }
            for v in violations
        ]
        for url, violations in results.items()
    }
    path = REPORTS / f"{name}.json"
    path.write_text(json.dumps(slim, ensure_ascii=False, indent=1), encoding="utf-8")
    return path
