"""The admins' inline scripts, turned into data for one static script (no 'unsafe-inline').

Wagtail 8's admin still writes a few inline ``<script>`` elements: every chooser widget
(``new ImageChooser("id", {...});``, rendered in Python by ``BaseChooser.render``), the date
and time widgets (``initDateTimeChooser("id", {...});``), the inline and multiple-chooser
panels (``new InlinePanel(JSON.parse("..."))``), plus copies of these inside ``<template>``
elements that the admin's JavaScript inserts later (new inline-panel rows, the
schedule-publishing dialog). A strict policy blocks them all, which breaks the editor.

Rather than allow inline scripts in the admin, ``rewrite_inline_scripts`` replaces each
inline script of these known shapes by ``<span hidden data-admin-init="…">`` holding the
call as JSON (which function, whether with ``new``, the arguments), and
``static/js/admin-init.js`` (added to every admin page by a Wagtail hook) makes the same
calls from a file, for the spans present on load and for those inserted later. Only the
function names in ``CALLABLES`` are ever called, with JSON arguments: an inline script of
any other shape is left as it is, so the policy blocks it and the browser test
(tests/browser/test_csp.py) reports it.
"""

import json
import re

from django.utils.html import escape

# Functions and constructors of the Wagtail admin (and wagtailmedia) that inline scripts call.
CALLABLES = {
    "ImageChooser": True,
    "DocumentChooser": True,
    "PageChooser": True,
    "SnippetChooser": True,
    "Chooser": True,
    "InlinePanel": True,
    "MultipleChooserPanel": True,
    "initDateChooser": False,
    "initTimeChooser": False,
    "initDateTimeChooser": False,
    "createTaskChooser": False,
    "createMediaChooser": False,
}

SCRIPT = re.compile(r"<script>(?P<body>.*?)</script>", re.S)
# new ImageChooser("id", {...});   initDateChooser("id", {...});   createMediaChooser("id");
CALL = re.compile(r"^\s*(?P<new>new\s+)?(?P<name>[A-Za-z]+)\((?P<args>.*)\);?\s*$", re.S)
# (function() { var panel = new InlinePanel(JSON.parse("…escapejs…")); })();
PANEL = re.compile(
    r"^\s*\(function\(\)\s*\{\s*var panel = new (?P<name>[A-Za-z]+)"
    r"\(JSON\.parse\(\"(?P<options>.*)\"\)\);\s*\}\)\(\);\s*$",
    re.S,
)


def parse_call(body):
    """``(name, use_new, args)`` for an inline script of a known shape, else ``None``."""
    match = PANEL.match(body)
    if match:
        try:
            options = json.loads(json.loads(f'"{match["options"]}"'))
        except ValueError:
            return None
        name, use_new, args = match["name"], True, [options]
    else:
        match = CALL.match(body)
        if not match:
            return None
        try:
            args = json.loads(f"[{match['args']}]")
        except ValueError:
            return None
        name, use_new = match["name"], bool(match["new"])
    if CALLABLES.get(name) is not use_new:
        return None
    return name, use_new, args


def replace_script(match):
    call = parse_call(match["body"])
    if call is None:
        return match[0]
    name, use_new, args = call
    data = json.dumps({"call": name, "new": use_new, "args": args}, separators=(",", ":"))
    return f'<span hidden data-admin-init="{escape(data)}"></span>'


def rewrite_inline_scripts(html):
    return SCRIPT.sub(replace_script, html)
