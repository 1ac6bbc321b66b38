"""The vote's floor: what a vote costs inside Django with nothing but its round trips.

Used by ``bench/votes.py --endpoint floor…`` only, through settings of its own
(``floor.settings``), so the site itself has no such route. It answers how far any Django
vote could get on this machine, whatever its API layer: see docs/performance.md.
"""
