"""Django started in a fresh interpreter, for tests of what settings do at start-up."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_django(settings_module, code="print('started')", *, drop=lambda name: False, **env):
    """Run ``code`` after ``django.setup()`` with ``settings_module`` in a new interpreter.

    The environment is this process's without the variables ``drop`` selects, plus ``env``
    (a value of ``None`` leaves the variable out). Returns the ``CompletedProcess``.
    """
    environ = {k: v for k, v in os.environ.items() if not drop(k) and k not in env}
    environ.update(
        {k: v for k, v in env.items() if v is not None},
        DJANGO_SETTINGS_MODULE=settings_module,
        PYTHONPATH=f"{ROOT}:{ROOT / 'site'}",
    )
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env=environ,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
