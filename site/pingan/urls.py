"""URL configuration: admin and machine URLs first, then the localised page tree.

Chinese is served without a prefix and English under /en/ (``prefix_default_language=False``).
"""

from captcha import views as captcha_views
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail import views as wagtail_views
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.views.account import LoginView as WagtailLoginView
from wagtail.admin.views.account import PasswordResetView
from wagtail.documents import urls as wagtaildocs_urls
from wagtail.documents.views import serve as document_views

from campaign_pages import views as campaign_views
from campaign_pages.logins import rate_limited_login
from campaign_pages.ratelimits import rate_limited
from media_reports import live as live_views
from media_reports import views as report_views

# A database or storage outage raised outside a view is a 503 too (campaign_pages/unavailable.py).
handler500 = "campaign_pages.unavailable.server_error"
captcha_limit = rate_limited("captcha", "CAPTCHA_RATE", methods=("GET", "HEAD", "POST"))
# Wagtail's password forms for private pages and documents (none is set today, but an
# administrator may set one) are sign-ins too: the same per-address limit.
password_limit = rate_limited("private-password", "LOGIN_RATE")

urlpatterns = [
    # Both admins' sign-in forms get the per-address limit of every login (axes locks too).
    path("django-admin/login/", rate_limited_login(admin.site.login)),
    path("django-admin/", admin.site.urls),
    path("admin/login/", rate_limited_login(WagtailLoginView.as_view()), name="wagtailadmin_login"),
    # Each reset post sends an e-mail: limited per address, so the form cannot mail-bomb.
    path(
        "admin/password_reset/",
        rate_limited("password-reset", "PASSWORD_RESET_RATE")(PasswordResetView.as_view()),
        name="wagtailadmin_password_reset",
    ),
    path("admin/", include(wagtailadmin_urls)),
    path(
        "documents/authenticate_with_password/<int:restriction_id>/",
        password_limit(document_views.authenticate_with_password),
        name="wagtaildocs_authenticate_with_password",
    ),
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
        r"^captcha/audio/(?P<key>\w+)\.wav$",
        captcha_limit(captcha_views.captcha_audio),
        name="captcha-audio",
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
    # Wagtail's own front-end sign-in and page password forms, with the sign-in limit.
    path(
        "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/",
        password_limit(wagtail_views.authenticate_with_password),
        name="wagtailcore_authenticate_with_password",
    ),
    path(
        "_util/login/",
        rate_limited_login(auth_views.LoginView.as_view(template_name="wagtailcore/login.html")),
        name="wagtailcore_login",
    ),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
