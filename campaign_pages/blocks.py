"""StreamField blocks shared by the campaign's text pages (notice, rules, reports)."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock


class HeadingBlock(blocks.StructBlock):
    """A section heading (一、组织机构) or a sub-heading (（一）前期宣传)."""

    text = blocks.CharBlock(label=_("text"), max_length=200)
    level = blocks.ChoiceBlock(
        label=_("level"),
        choices=[("h2", _("Section")), ("h3", _("Sub-section"))],
        default="h2",
    )

    class Meta:
        icon = "title"
        template = "blocks/heading_block.html"
        label = _("Heading")


class ImageBlock(blocks.StructBlock):
    """A picture with the alt text a screen reader speaks and an optional caption."""

    image = ImageChooserBlock(label=_("image"))
    alt_text = blocks.CharBlock(
        label=_("alt text"),
        max_length=200,
        help_text=_("What the picture shows, for readers who cannot see it."),
    )
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=200)

    class Meta:
        icon = "image"
        template = "blocks/image_block.html"
        label = _("Image")


class DocumentBlock(blocks.StructBlock):
    """An attachment (附件) offered for download, e.g. a printable registration form."""

    document = DocumentChooserBlock(label=_("document"))
    title = blocks.CharBlock(label=_("link text"), required=False, max_length=200)

    class Meta:
        icon = "doc-full"
        template = "blocks/document_block.html"
        label = _("Attachment")


class OrganiserBlock(blocks.StructBlock):
    """A body named in a notice's 组织机构: a host (主办单位) or an implementer (承办单位)."""

    HOST = "host"
    IMPLEMENTER = "implementer"

    role = blocks.ChoiceBlock(
        label=_("role"),
        choices=[(HOST, _("Host")), (IMPLEMENTER, _("Implementing organisation"))],
        default=HOST,
    )
    name = blocks.CharBlock(label=_("name"), max_length=120)

    class Meta:
        icon = "group"
        label = _("Organiser")


class ParagraphBlock(blocks.RichTextBlock):
    """A paragraph of rich text with the few features a news text needs."""

    def __init__(self, **kwargs):
        kwargs.setdefault("features", ["bold", "italic", "link", "ol", "ul"])
        super().__init__(**kwargs)

    class Meta:
        icon = "pilcrow"
        label = _("Paragraph")
        template = "blocks/paragraph_block.html"


class TextBodyBlock(blocks.StreamBlock):
    """The body of an article: headings, paragraphs, images, tables and attachments."""

    heading = HeadingBlock()
    paragraph = ParagraphBlock()
    image = ImageBlock()
    table = TableBlock(label=_("Table"))
    document = DocumentBlock()
