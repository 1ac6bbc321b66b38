"""Snippet choosers that only people with a right on the model may open.

Wagtail's chooser modals (``/admin/snippets/choose/<app>/<model>/``) list every object of a
model to any account that may enter the admin: without this a street officer could read the
registrations, the objections, the event sign-ups and the vote tallies (hidden from the
public until counts are shown) through a chooser, although the model's own list refuses
them. The permission matrix (tests/security/test_permission_matrix.py) requests every
chooser as every role.

A snippet whose data is not public sets ``chooser_viewset_class =
PermissionCheckedChooserViewSet``; the district's public reference lists (streets, 社区)
keep Wagtail's open choosers, which other models' forms use.

``answer_malformed_ids_with_404`` (called from ``CampaignPagesConfig.ready``) makes every
chooser's "chosen" view answer 404 to an id that cannot be one, where Wagtail answers 500.
"""

from functools import wraps

from django.core.exceptions import PermissionDenied
from wagtail.permissions import policy_registry
from wagtail.snippets.views.chooser import SnippetChooserViewSet

ANY_RIGHT = ["add", "change", "delete", "view"]


def may_choose(user, model):
    """Whether ``user`` holds any right on ``model`` under its permission policy."""
    return policy_registry.get_by_type(model).user_has_any_permission(user, ANY_RIGHT)


class PermissionCheckedChooserViewSet(SnippetChooserViewSet):
    """Every view of the chooser answers 403 to an account without a right on the model."""

    def construct_view(self, view_class, **kwargs):
        view = super().construct_view(view_class, **kwargs)
        model = self.model

        @wraps(view)
        def checked(request, *args, **view_kwargs):
            if not may_choose(request.user, model):
                raise PermissionDenied
            return view(request, *args, **view_kwargs)

        return checked


def answer_malformed_ids_with_404():
    """Make every chooser's "chosen" view answer 404, not 500, to an id that cannot be one.

    Wagtail's ``ChosenViewMixin`` (images, documents, every snippet chooser) takes the id as
    text from the URL and turns only ``ObjectDoesNotExist`` into a 404: ``chosen/x/`` on an
    integer key raises ``ValueError`` in the lookup and the admin answers 500. Wagtail has no
    setting or hook for this, so the lookup is wrapped once at start-up (``ready``); the
    sweep in tests/security/test_malformed_ids.py requests every such route.
    """
    from django.core.exceptions import ObjectDoesNotExist, ValidationError
    from wagtail.admin.views.generic.chooser import ChosenViewMixin

    lookup = ChosenViewMixin.get_object
    if getattr(lookup, "answers_malformed_ids", False):
        return

    @wraps(lookup)
    def get_object(self, pk):
        try:
            return lookup(self, pk)
        except (ValueError, TypeError, ValidationError) as error:
            raise ObjectDoesNotExist(f"not an id: {pk!r}") from error

    get_object.answers_malformed_ids = True
    ChosenViewMixin.get_object = get_object
