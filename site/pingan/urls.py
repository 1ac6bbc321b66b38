"""URL configuration: admin and machine URLs first, then the localised page tree.

Chinese is served without a prefix and English under /en/ (``prefix_default_language=False``).
"""

from captcha import views as captcha_views
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.views.account import LoginView as WagtailLoginView
from wagtail.documents import urls as wagtaildocs_urls

from campaign_pages import views as campaign_views
from campaign_pages.logins import rate_limited_login
from campaign_pages.ratelimits import rate_limited
from media_reports import live as live_views
from media_reports import views as report_views

# A database or storage outage raised outside a view is a 503 too (campaign_pages/unavailable.py).
handler500 = "campaign_pages.unavailable.server_error"
captcha_limit = rate_limited("captcha", "CAPTCHA_RATE", methods=("GET", "HEAD", "POST"))

urlpatterns = [
    # Both admins' sign-in forms get the per-address limit of every login (axes locks too).
    path("django-admin/login/", rate_limited_login(admin.site.login)),
    path("django-admin/", admin.site.urls),
    path("admin/login/", rate_limited_login(WagtailLoginView.as_view()), name="wagtailadmin_login"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("sitemap.xml", campaign_views.sitemap, name="sitemap"),
    path("robots.txt", campaign_views.robots_txt, name="robots_txt"),
    path("healthz", campaign_views.healthz, name="healthz"),
    # Captcha images cost a drawing each and a refresh a new row: limited per address.
    re_path(
        r"^captcha/image/(?P<key>\w+)/$",
        captcha_limit(captcha_views.captcha_image),
        {"scale": 1},
        name="captcha-image",
    ),
    re_path(
        r"^captcha/image/(?P<key>\w+)@2/$",
        captcha_limit(captcha_views.captcha_image),
        {"scale": 2},
        name="captcha-image-2x",
    ),
    re_path(
        r"^captcha/refresh/$", captcha_limit(captcha_views.captcha_refresh), name="captcha-refresh"
    ),
    path("captcha/", include("captcha.urls")),
    path("api/v1/", include("voting.urls", namespace="api")),
]

if settings.BENCH_VIEWS:  # bench/live.py's yardstick; off unless the environment asks for it
    urlpatterns.append(path("bench/trivial/", report_views.trivial, name="bench_trivial"))

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    from pingan.media import serve_media

    urlpatterns += staticfiles_urlpatterns()
    # Uploaded files with the headers nginx gives them in production (pingan/media.py).
    urlpatterns += static(settings.MEDIA_URL, view=serve_media)

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
