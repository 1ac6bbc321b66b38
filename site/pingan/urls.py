"""URL configuration: admin and machine URLs first, then the localised page tree.

Chinese is served without a prefix and English under /en/ (``prefix_default_language=False``).
"""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from campaign_pages import views as campaign_views
from media_reports import live as live_views
from media_reports import views as report_views

# A database or storage outage raised outside a view is a 503 too (campaign_pages/unavailable.py).
handler500 = "campaign_pages.unavailable.server_error"

urlpatterns = [
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("sitemap.xml", campaign_views.sitemap, name="sitemap"),
    path("robots.txt", campaign_views.robots_txt, name="robots_txt"),
    path("healthz", campaign_views.healthz, name="healthz"),
    path("captcha/", include("captcha.urls")),
    path("api/v1/", include("voting.urls", namespace="api")),
]

if settings.BENCH_VIEWS:  # bench/live.py's yardstick; off unless the environment asks for it
    urlpatterns.append(path("bench/trivial/", report_views.trivial, name="bench_trivial"))

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += i18n_patterns(
    path("search/", campaign_views.search, name="search"),
    path("community/", include("registrations.urls")),
    path("vote/", include("voting.web_urls")),
    re_path(
        r"^(?P<page_path>(?:[\w-]+/)*)"
        r"(?P<asset>qr\.png|qr\.svg|poster\.png"
        r"|(?:certificate/(?:winner|organisation)|plaque)/\d{1,10}\.pdf)$",
        campaign_views.page_asset,
        name="page_asset",
    ),
    path("live/<int:coverage_id>/updates.json", live_views.live_updates, name="live_updates"),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
