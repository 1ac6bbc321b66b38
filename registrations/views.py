"""The community accounts' front end: sign-in, invitation, dashboard (not the Wagtail admin)."""

import secrets
from functools import partial

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from campaign_pages.logins import login_rate_exceeded
from campaign_pages.ratelimits import rate_limited
from registrations.models import Registration, ResidencePhoto, ResidenceVideo
from registrations.tasks import process_video
from registrations.upload_forms import PhotoUploadForm, VideoUploadForm


class CommunityLoginView(auth_views.LoginView):
    """Sign-in for community accounts; a client that tries too often is told to wait.

    The same protection as the admins' sign-in (campaign_pages/logins.py): the per-address
    ``LOGIN_RATE`` here, and axes' lockout per user name and address in the middleware.
    """

    template_name = "registrations/community/login.html"
    redirect_authenticated_user = True
    next_page = reverse_lazy("community:dashboard")

    def post(self, request, *args, **kwargs):
        if login_rate_exceeded(request):
            form = self.get_form()
            form.add_error(
                None, _("Too many sign-in attempts. Please wait a minute and try again.")
            )
            response = self.render_to_response(self.get_context_data(form=form))
            response.status_code = 429
            response["Retry-After"] = "60"
            return response
        return super().post(request, *args, **kwargs)

    def get_default_redirect_url(self):
        return str(self.next_page)


class CommunityActivateView(auth_views.PasswordResetConfirmView):
    """The invitation link: the community sets its account's password."""

    template_name = "registrations/community/activate.html"
    success_url = reverse_lazy("community:login")
    post_reset_login = False


def own_registrations(user):
    """An account sees its own registrations and nothing else."""
    return Registration.objects.filter(account=user).select_related(
        "campaign", "street", "community", "residence"
    )


@require_safe
@login_required
def dashboard(request):
    return render(
        request,
        "registrations/community/dashboard.html",
        {"registrations": own_registrations(request.user)},
    )


@require_safe
@login_required
def registration_detail(request, pk):
    # Another account's id answers 404, exactly like an id that does not exist.
    registration = get_object_or_404(own_registrations(request.user), pk=pk)
    return render(
        request,
        "registrations/community/registration_detail.html",
        {"registration": registration, "history": registration.status_changes.all()},
    )


# -- uploads for the community's own candidate page ------------------------------------------


def own_candidate(user, pk):
    """The account's own shortlisted registration with a candidate page; 404 otherwise."""
    return get_object_or_404(own_registrations(user).filter(residence__isnull=False), pk=pk)


def uploads_closed(registration):
    """Once the campaign has ended it is an archive: its candidates' media no longer change."""
    return registration.campaign.has_ended()


def closed_response(request, registration):
    message = _("This campaign has ended and its pages are kept as an archive: uploads are closed.")
    if wants_json(request):
        return JsonResponse({"ok": False, "errors": [str(message)]}, status=403)
    messages.error(request, message)
    return redirect("community:media", registration.pk)


def wants_json(request):
    return "application/json" in request.headers.get("Accept", "")


def media_context(registration, **forms):
    photos = registration.residence_photos.select_related("image")
    videos = registration.residence_videos.all()
    room = max(0, settings.CANDIDATE_MAX_PHOTOS - photos.exclude(moderation="rejected").count())
    return {
        "registration": registration,
        "uploads_closed": uploads_closed(registration),
        "photos": photos,
        "videos": videos,
        "photo_form": forms.get("photo_form") or PhotoUploadForm(room=room),
        "video_form": forms.get("video_form") or VideoUploadForm(),
    }


@require_safe
@login_required
def residence_media(request, pk):
    registration = own_candidate(request.user, pk)
    return render(request, "registrations/community/media.html", media_context(registration))


def upload_response(request, registration, form, message, field):
    """JSON for the progress script, the page with the form's errors for a plain post."""
    if form.is_valid():
        if wants_json(request):
            return JsonResponse({"ok": True, "message": str(message)}, status=201)
        messages.success(request, message)
        return redirect("community:media", registration.pk)
    if wants_json(request):
        errors = [str(e) for errors in form.errors.values() for e in errors]
        return JsonResponse({"ok": False, "errors": errors}, status=400)
    context = media_context(registration, **{field: form})
    return render(request, "registrations/community/media.html", context, status=400)


@require_POST
@login_required
@rate_limited("uploads", "UPLOAD_RATE", per_user=True, as_json=wants_json)
def upload_photos(request, pk):
    registration = own_candidate(request.user, pk)
    if uploads_closed(registration):
        return closed_response(request, registration)
    used = registration.residence_photos.exclude(moderation="rejected").count()
    form = PhotoUploadForm(
        request.POST, request.FILES, room=max(0, settings.CANDIDATE_MAX_PHOTOS - used)
    )
    if form.is_valid():
        with transaction.atomic():
            for upload in form.cleaned_data["photos"]:
                save_photo(registration, request.user, upload, form.cleaned_data["caption"])
    message = _("Thank you: your photos wait for an editor's approval.")
    return upload_response(request, registration, form, message, "photo_form")


def save_photo(registration, user, upload, caption):
    from wagtail.images import get_image_model
    from wagtail.models import Collection

    from registrations.tasks import upload_collection

    Image = get_image_model()
    image = Image(
        title=caption or registration.residence_name,
        collection=upload_collection(Collection),
        uploaded_by_user=user,
    )
    # A random name: a pending photo's address cannot be guessed.
    image.file.save(f"{secrets.token_hex(16)}.jpg", upload, save=False)
    image.save()
    return ResidencePhoto.objects.create(
        registration=registration, image=image, caption=caption, uploaded_by=user
    )


@require_POST
@login_required
@rate_limited("uploads", "UPLOAD_RATE", per_user=True, as_json=wants_json)
def upload_video(request, pk):
    registration = own_candidate(request.user, pk)
    if uploads_closed(registration):
        return closed_response(request, registration)
    form = VideoUploadForm(request.POST, request.FILES)
    if form.is_valid():
        with transaction.atomic():
            video = ResidenceVideo(
                registration=registration,
                title=form.cleaned_data["title"],
                container=form.container,
                original_size=form.cleaned_data["video"].size,
                duration=form.probe.duration,
                codecs=form.probe.codecs,
                uploaded_by=request.user,
            )
            video.original.save("upload", form.cleaned_data["video"], save=False)
            video.save()
            # Queued once the upload is committed: a worker never sees a half-saved row.
            transaction.on_commit(partial(process_video.enqueue, video.pk))
    message = _("Thank you: your video is being processed and waits for an editor's approval.")
    return upload_response(request, registration, form, message, "video_form")
