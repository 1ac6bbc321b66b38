"""The community accounts' front end: sign-in, invitation, dashboard (not the Wagtail admin)."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django_ratelimit.decorators import ratelimit

from registrations.models import Registration


@method_decorator(ratelimit(key="ip", rate="10/m", method="POST", block=False), name="post")
class CommunityLoginView(auth_views.LoginView):
    """Sign-in for community accounts; a client that tries too often is told to wait."""

    template_name = "registrations/community/login.html"
    redirect_authenticated_user = True
    next_page = reverse_lazy("community:dashboard")

    def post(self, request, *args, **kwargs):
        if getattr(request, "limited", False):
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
