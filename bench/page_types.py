"""The public page types of the demo, one URL each, with the SQL query bound of an uncached
render: the one place these bounds live.

``tests/campaign_pages/test_query_bounds.py`` asserts them (``django_assert_max_num_queries``)
and ``bench/pages.py`` prints the measured count next to them. A bound is the count of a
page-cache miss in steady state (renditions made, the site's root paths cached), with a
little headroom; it must not grow with the number of candidates, reports or entries.
"""

# name: (URL in the demo, max queries of an uncached render, served from the page cache)
PAGE_TYPES = {
    "home": ("/", 22, True),
    "campaign": ("/2016/", 52, True),
    "article": ("/2016/notice/", 33, True),
    "candidate index": ("/2016/candidates/", 48, True),
    "candidate page": ("/2016/candidates/pa2016-00024/", 42, True),
    "report index": ("/2016/reports/", 39, True),
    "report page": ("/2016/reports/wuma-gate/", 38, True),
    "live coverage": ("/2016/live/", 38, True),
    "event page": ("/2016/visit-wuma/", 44, False),  # sign-up form open: never cached
    "registration page": ("/2016/register/", 34, False),  # a form: never cached
    "leaderboard": ("/2016/leaderboard/", 42, True),
    "public notice": ("/2016/public-notice/", 40, True),  # the form only while objections run
    "winners": ("/2016/winners/", 36, True),
    "search": ("/search/?q=%E5%B9%B3%E5%AE%89", 20, False),  # not a page: never cached
}
