"""Community accounts' front end, under /community/ (and /en/community/)."""

from django.contrib.auth import views as auth_views
from django.urls import path

from registrations import views

app_name = "community"

urlpatterns = [
    path("login/", views.CommunityLoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(next_page="community:login"), name="logout"),
    path("activate/<uidb64>/<token>/", views.CommunityActivateView.as_view(), name="activate"),
    path("", views.dashboard, name="dashboard"),
    path("registrations/<int:pk>/", views.registration_detail, name="registration"),
    path("registrations/<int:pk>/media/", views.residence_media, name="media"),
    path("registrations/<int:pk>/media/photos/", views.upload_photos, name="upload_photos"),
    path("registrations/<int:pk>/media/video/", views.upload_video, name="upload_video"),
]
