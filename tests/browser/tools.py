"""What the browser tests need from the machine (Chromium, axe-core from npm)."""

import os

import pytest


def missing(message):
    """A tool is not installed: a failure under CI, which must install it; a skip elsewhere."""
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)
