from django.urls import path

from voting import views

app_name = "voting"

urlpatterns = [
    path("<int:candidate_id>/", views.vote_page, name="vote"),
]
