"""Publishing or unpublishing a live coverage (e.g. marking it ended) changes its version."""

from media_reports.live import bump_version


def coverage_changed(sender, instance, **kwargs):
    from media_reports.models import LiveCoveragePage

    if isinstance(instance, LiveCoveragePage):
        bump_version(instance.pk)
        bump_version(instance.source.pk)
