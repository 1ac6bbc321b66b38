"""Values read from a query string: ids and search text, made safe before any query sees them.

A query string is whatever a reader, a shared link or a scanner sent: ``?street=²`` passes
``str.isdigit`` and then fails ``int()``; twenty digits overflow the database's integer
(SQLite raises ``OverflowError``); a NUL character is refused by PostgreSQL ("A string
literal cannot contain NUL") and breaks SQLite's full-text search. Each of these was a 500
or a 503 for a bad link. Every view that puts a query parameter into a query reads it
through these two functions; a value they cannot read is treated as absent.
"""

import re

ID = re.compile(r"[0-9]{1,18}")  # ASCII digits only, and always below 2**63


def as_id(value):
    """``value`` (text or a number) as a positive database id, or None when it cannot be one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 < value < 2**63 else None
    text = str(value).strip()
    if not ID.fullmatch(text):
        return None
    number = int(text)
    return number or None


def search_text(value, limit):
    """The text of a search box, at most ``limit`` characters.

    A character that is not printable (NUL, control characters, and the ideographic space
    U+3000 that Chinese keyboards type between words) becomes a plain space, so words stay
    apart; then the text is stripped and cut.
    """
    text = "".join(ch if ch.isprintable() else " " for ch in str(value))
    return text.strip()[:limit]
