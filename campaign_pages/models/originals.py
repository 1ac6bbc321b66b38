"""Pages whose data belongs to the default-language original and is shared by translations."""

from wagtail.models import Locale


class SharedWithTranslationsMixin:
    """A page whose rows (entries, sign-ups, objections, winners) hang off the original.

    A translation shows and counts the original's rows, so there is one list, one seat count,
    one period, whichever language a reader uses; ``source`` is that original (or the page
    itself when it has none).
    """

    @property
    def source(self):
        default = Locale.get_default()
        if self.locale_id == default.pk:
            return self
        return self.get_translation_or_none(default) or self
