"""Site search that finds Chinese substrings on SQLite and on PostgreSQL alike.

Both database backends of Wagtail search split text into words at spaces and punctuation, and
Chinese has neither: "鹿城区平安小区" is indexed as one word, so a search for 平安 finds
nothing. We index a second copy of each page's text with a space around every CJK character
(``search_segments``) and turn each Chinese term of a query into a phrase of its characters:
a phrase matches only adjacent tokens, so 平安 finds …平安… and not 平…安. Latin words are
left to the backend's ordinary word search.
"""

import re

from wagtail.search import index
from wagtail.search.query import And, Phrase, PlainText

# CJK radicals and punctuation, kana, unified ideographs (with extension A), compatibility
# ideographs and the supplementary ideographic planes.
CJK_CHARACTER = re.compile(
    "[\u2e80-\u2fdf\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]"
)
# Characters the SQLite full-text query syntax gives a meaning to.
QUERY_SYNTAX = re.compile(r'["*^():{}+\-]')


def segment_cjk(text):
    """Return ``text`` with every CJK character standing as a word of its own."""
    return " ".join(CJK_CHARACTER.sub(r" \g<0> ", text).split())


def build_query(text):
    """The search query for what a reader typed, or ``None`` when nothing is left to search."""
    terms = QUERY_SYNTAX.sub(" ", text).split()
    parts = [
        Phrase(segment_cjk(term)) if CJK_CHARACTER.search(term) else PlainText(term)
        for term in terms
    ]
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else And(parts)


def flatten(value):
    """Plain text of an indexed value: strings, lists of them (StreamField), or None."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return " ".join(flatten(item) for item in value)
    return str(value)


class SegmentedSearchMixin:
    """Adds ``search_segments`` to a page's index: its searchable text, CJK-segmented.

    Put ``index.SearchField("search_segments")`` last in the page's ``search_fields``; the
    text comes from the page's other search fields, so a page type only lists its fields once.
    """

    def search_segments(self):
        texts = [
            flatten(field.get_value(self))
            for field in self.get_search_fields()
            if isinstance(field, index.SearchField) and field.field_name != "search_segments"
        ]
        return segment_cjk(" ".join(texts))


SEGMENTS_FIELD = index.SearchField("search_segments")
