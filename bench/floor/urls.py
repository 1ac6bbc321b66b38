"""``POST /api/v1/votes/`` answered by the floor view; every other URL is the site's."""

from django.urls import path

from floor import views
from pingan.urls import urlpatterns as site_urlpatterns

urlpatterns = [path("api/v1/votes/", views.vote), *site_urlpatterns]
