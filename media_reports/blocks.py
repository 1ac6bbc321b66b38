"""StreamField blocks of a report: text, pictures, galleries, videos and allow-listed embeds."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtailmedia.blocks import VideoChooserBlock

from campaign_pages.blocks import HeadingBlock, ImageBlock, ParagraphBlock
from media_reports.embeds import validate_embed_url


class AllowListedEmbedBlock(EmbedBlock):
    """An embed (video player, Weibo post) from a provider in ``REPORT_EMBED_PROVIDERS``.

    The URL is checked against the allow-list before Wagtail asks the provider for its
    embed code, so a refused URL never causes an outgoing request.
    """

    def clean(self, value):
        url = getattr(value, "url", value)
        validate_embed_url(url)
        return super().clean(value)

    class Meta:
        icon = "media"
        label = _("Embed")
        template = "blocks/embed_block.html"


class VideoBlock(blocks.StructBlock):
    """A video from the media library (wagtailmedia), played by the browser itself."""

    video = VideoChooserBlock(label=_("video"))
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=200)

    class Meta:
        icon = "media"
        label = _("Video")
        template = "blocks/video_block.html"


class GalleryBlock(blocks.StructBlock):
    """A few pictures shown together, each with its alt text."""

    title = blocks.CharBlock(label=_("title"), required=False, max_length=120)
    images = blocks.ListBlock(ImageBlock(), label=_("pictures"), min_num=2, max_num=24)

    class Meta:
        icon = "image"
        label = _("Gallery")
        template = "blocks/gallery_block.html"


class ReportBodyBlock(blocks.StreamBlock):
    """The body of a field report."""

    heading = HeadingBlock()
    paragraph = ParagraphBlock()
    image = ImageBlock()
    gallery = GalleryBlock()
    video = VideoBlock()
    embed = AllowListedEmbedBlock()
