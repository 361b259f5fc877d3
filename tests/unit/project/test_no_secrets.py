"""No secrets in the repository: every tracked file is scanned, and the places secrets live are ignored by git."""

from __future__ import annotations

import re
import subprocess

import pytest

from tests.conftest import ROOT

#: What a real secret looks like in a file.
SECRET_PATTERNS = {
    "private key": re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----"),
    "AWS access key": re.compile(r"\bAKIA[0-9A-Z]{16}\b"),
    "GitHub token": re.compile(r"\bgh[pousr]_[A-Za-z0-9]{36,}\b"),
    "Slack token": re.compile(r"\bxox[abprs]-[A-Za-z0-9-]{10,}"),
    # a password in a connection URL; ${VAR} and the obvious examples ("geheim", "wachtwoord") are fine
    "password in a URL": re.compile(
        r"\b[a-z0-9+]+://[^/\s:@'\"]*:(?!\$\{|\$[A-Z_]|geheim@|wachtwoord@|changeme@)[^@\s'\"]{6,}@"
    ),
    "password hash": re.compile(r"pbkdf2_sha256\$\d+\$[0-9a-f]{16,}\$[A-Za-z0-9+/=]{20,}"),
}
#: Deliberate test values, each with the file that holds it.
ALLOWED = {
    ("tests/conftest.py", "password hash"),  # hash of the documented test password "console-test-wachtwoord"
    ("scripts/postgres_for_tests.sh", "password in a URL"),  # a throwaway local test database
}
#: Files made at run time that hold secrets or personal data; git must ignore them.
RUNTIME_FILES = ("var/api_token", "var/console_password", "var/tracker.db", "var/handoff.db", ".env", "models/x")


def tracked_files() -> list[str]:
    return subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.splitlines()


def test_no_tracked_file_holds_a_secret() -> None:
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    found = []
    for name in tracked_files():
        path = ROOT / name
        if not path.is_file() or path.stat().st_size > 2_000_000:
            continue
        text = path.read_text(encoding="utf-8", errors="ignore")
        found += [(name, kind) for kind, pattern in SECRET_PATTERNS.items() if pattern.search(text)]
    assert [hit for hit in found if hit not in ALLOWED] == []


@pytest.mark.parametrize("name", RUNTIME_FILES)
def test_runtime_secrets_are_ignored_by_git(name: str) -> None:
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    ignored = subprocess.run(["git", "check-ignore", "-q", "--no-index", name], cwd=ROOT)
    assert ignored.returncode == 0, f"{name} is not in .gitignore"
