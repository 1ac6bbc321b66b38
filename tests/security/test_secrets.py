"""Secrets come only from the environment: none in the repository, none missing in production."""

import base64
import os
import re
import subprocess
from pathlib import Path

import pytest

from tests.fresh_django import run_django

ROOT = Path(__file__).resolve().parents[2]

# The documented public values of dev.py and test.py (README, "Operator interface"), which
# production refuses (pingan/settings/production.py).
ALLOWED = {
    "ZGV2LW9ubHkta2V5LWZvci1waW5nYW4tZGV2LWRhdGE=",
    "dGVzdC1vbmx5LWtleS1mb3ItcGluZ2FuLXRlc3RzISE=",
}
BEGIN = "-----BEGIN "  # split so that this file does not match itself
PATTERNS = {
    "private key": re.compile(BEGIN + r"(?:RSA |EC |DSA |OPENSSH |ENCRYPTED )?PRIVATE KEY-----"),
    "AWS access key": re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"),
    "GitHub token": re.compile(r"\bgh[pousr]_[A-Za-z0-9]{36,}\b"),
    "Slack token": re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}"),
    "API secret key": re.compile(r"\bsk-[A-Za-z0-9]{32,}\b"),
    "Fernet key": re.compile(r"(?<![A-Za-z0-9_\-])[A-Za-z0-9_\-]{43}=(?![A-Za-z0-9_\-=])"),
    "password in a URL": re.compile(r"\b[a-z][a-z0-9+.-]*://[^/\s:@'\"]+:([^@\s/'\"<>…]{6,})@"),
    "assigned secret": re.compile(
        r"(?i)\b(?:SECRET_KEY|VOTER_HASH_KEY|SMS_GATEWAY_TOKEN|PASSWORD)\s*=\s*['\"]"
        r"(?!dev-only|test-only|ci-dummy|bench-only)[A-Za-z0-9+/_\-]{24,}['\"]"
    ),
}
PLACEHOLDERS = ("PASSWORD", "…", "...", "<", "$")


def is_fernet_key(text):
    try:
        return len(base64.urlsafe_b64decode(text)) == 32
    except ValueError:
        return False


def find_secrets(text):
    """(kind, value) for every secret-looking string in ``text`` outside the allowed ones."""
    found = []
    for kind, pattern in PATTERNS.items():
        for match in pattern.finditer(text):
            value = match.group(0)
            if value in ALLOWED:
                continue
            if kind == "Fernet key" and not is_fernet_key(value):
                continue
            if kind == "password in a URL" and any(p in match.group(1) for p in PLACEHOLDERS):
                continue
            found.append((kind, value))
    return found


def tracked_files():
    listing = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout
    return [ROOT / name for name in listing.decode().split("\0") if name]


def test_the_scanner_finds_each_kind_of_secret():
    fernet = base64.urlsafe_b64encode(os.urandom(32)).decode()
    planted = "\n".join(
        [
            BEGIN + "PRIVATE KEY-----",
            "AKIA" + "ABCDEFGHIJKLMNOP",
            "ghp_" + "a" * 36,
            f'FIELD_ENCRYPTION_KEYS = "{fernet}"',
            "postgres://pingan:" + "s3cr3t-pass@db/pingan",
            'SECRET_KEY = "' + "x9" * 20 + '"',
        ]
    )
    kinds = {kind for kind, _ in find_secrets(planted)}
    assert kinds == {
        "private key",
        "AWS access key",
        "GitHub token",
        "Fernet key",
        "password in a URL",
        "assigned secret",
    }
    # The documented placeholders and public dev/test values are not secrets.
    harmless = "postgres://pingan:PASSWORD@127.0.0.1/pingan postgres://pingan:…@h/p " + " ".join(
        ALLOWED
    )
    assert find_secrets(harmless) == []


def test_no_tracked_file_holds_a_secret():
    findings = []
    for path in tracked_files():
        if not path.is_file() or path.suffix in (".mo", ".png", ".jpg", ".otc", ".ttf"):
            continue
        try:
            text = path.read_text()
        except UnicodeDecodeError:
            continue
        findings += [(str(path.relative_to(ROOT)), kind) for kind, _ in find_secrets(text)]
    assert findings == []


def production(code="print('started')", **env):
    required = {
        "SECRET_KEY": "k" * 60,
        "ALLOWED_HOSTS": "pingan.example.cn",
        "FIELD_ENCRYPTION_KEYS": base64.urlsafe_b64encode(os.urandom(32)).decode(),
        "VOTER_HASH_KEY": "v" * 40,
        "DATABASE_URL": "sqlite:////nonexistent/pingan-security-test.sqlite3",
    }
    required.update(env)
    return run_django(
        "pingan.settings.production",
        code,
        drop=lambda name: name.startswith("SMS_"),
        **required,
    )


def test_production_starts_with_every_secret_from_the_environment():
    result = production()
    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout


@pytest.mark.parametrize(
    "name", ["SECRET_KEY", "ALLOWED_HOSTS", "FIELD_ENCRYPTION_KEYS", "VOTER_HASH_KEY"]
)
def test_production_refuses_to_start_without_each_secret(name):
    result = production(**{name: None})
    assert result.returncode != 0
    assert f"{name} must be set" in result.stderr
    assert "started" not in result.stdout


@pytest.mark.parametrize(
    "name, value",
    [
        ("SECRET_KEY", "dev-only-secret-key-not-for-production"),
        ("FIELD_ENCRYPTION_KEYS", "dGVzdC1vbmx5LWtleS1mb3ItcGluZ2FuLXRlc3RzISE="),
        ("VOTER_HASH_KEY", "test-only-voter-hash-key"),
    ],
)
def test_production_refuses_the_public_dev_and_test_values(name, value):
    result = production(**{name: value})
    assert result.returncode != 0
    assert "public development/test values" in result.stderr


def test_production_refuses_an_encryption_key_that_is_not_a_fernet_key():
    result = production(FIELD_ENCRYPTION_KEYS="not-a-key")
    assert result.returncode != 0
    assert "must be Fernet keys" in result.stderr


def test_production_needs_the_gateway_token_for_the_http_sms_backend():
    result = production(SMS_BACKEND="http", SMS_GATEWAY_URL="https://sms.example.cn/send")
    assert result.returncode != 0
    assert "SMS_GATEWAY_TOKEN must be set" in result.stderr


def test_production_sends_hsts_and_the_other_headers_over_https():
    code = (
        "from django.test import Client;"
        "r = Client().get('/healthz', HTTP_HOST='pingan.example.cn',"
        " HTTP_X_FORWARDED_PROTO='https');"
        "print(r['Strict-Transport-Security']); print(r['Referrer-Policy']);"
        "print('unsafe-inline' in r['Content-Security-Policy'])"
    )
    result = production(code)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.split("\n")
    assert lines[-4:] == [
        "max-age=31536000; includeSubDomains; preload",
        "strict-origin-when-cross-origin",
        "False",
        "",
    ]
