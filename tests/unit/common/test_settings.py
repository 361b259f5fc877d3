"""common/settings.py: the one place that reads the environment, and the source of docs/configuration.md."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

from common import settings
from common.settings import VARIABLES

ROOT = Path(__file__).resolve().parents[3]
#: The project packages: only common/settings.py among them may read the environment.
PACKAGES = ("actions", "common", "console", "handoff", "kennisbank", "eligibility", "ops", "reintegratie")
SETTINGS_FILE = ROOT / "common" / "settings.py"
_OS_ENVIRONMENT = {"environ", "environb", "getenv", "getenvb", "putenv", "unsetenv"}


def environment_reads(source: str) -> list[int]:
    """Line numbers where ``source`` touches the process environment through ``os`` (any alias)."""
    tree = ast.parse(source)
    os_names = {"os"} | {
        alias.asname
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
        if alias.name == "os" and alias.asname
    }
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "os":
            if any(alias.name in _OS_ENVIRONMENT for alias in node.names):
                lines.append(node.lineno)
        elif isinstance(node, ast.Attribute) and node.attr in _OS_ENVIRONMENT:
            if isinstance(node.value, ast.Name) and node.value.id in os_names:
                lines.append(node.lineno)
    return lines


def test_the_scan_finds_every_way_of_reading_the_environment() -> None:
    assert environment_reads("import os\nos.environ.get('A')\n") == [2]
    assert environment_reads("import os\nx = os.getenv('A', '')\n") == [2]
    assert environment_reads("import os as o\no.environ['A']\n") == [2]
    assert environment_reads("from os import environ\n") == [1]
    assert environment_reads("from os import getenv as g\n") == [1]
    # a WSGI-style ``environ`` of another object, and os.open, are not the process environment
    assert environment_reads("import os\nenviron = sio.get_environ(1)\nenviron.get('x')\nos.open('f', 0)\n") == []


def test_only_common_settings_reads_the_environment() -> None:
    readers = {
        f"{path.relative_to(ROOT)}:{line}"
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
        if path != SETTINGS_FILE
        for line in environment_reads(path.read_text(encoding="utf-8"))
    }
    assert not readers, f"read the environment through common/settings.py, not directly: {sorted(readers)}"
    assert environment_reads(SETTINGS_FILE.read_text(encoding="utf-8")), "the scan does not see settings.py's reads"


def test_docs_configuration_is_generated_from_the_module() -> None:
    committed = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    assert committed == settings.markdown(), (
        "docs/configuration.md is out of date: .venv/bin/python -m common.settings --markdown > docs/configuration.md"
    )
    for name in VARIABLES:
        assert f"| `{name}` |" in committed


def test_every_variable_has_a_name_meaning_and_reader() -> None:
    assert len(VARIABLES) >= 25
    for name, variable in VARIABLES.items():
        assert re.fullmatch(r"[A-Z][A-Z0-9_]+", name) and variable.name == name
        assert variable.meaning.strip() and "\n" not in variable.meaning, name
        assert variable.read_by.strip(), name
        assert getattr(settings, name) is variable, f"settings.{name} is not the variable"


def test_blank_means_the_default_and_whitespace_is_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HANDOFF_DATABASE_URL", raising=False)
    assert settings.HANDOFF_DATABASE_URL.value() == "sqlite:///var/handoff.db"
    assert not settings.HANDOFF_DATABASE_URL.is_set()
    monkeypatch.setenv("HANDOFF_DATABASE_URL", "   ")
    assert settings.HANDOFF_DATABASE_URL.value() == "sqlite:///var/handoff.db"
    monkeypatch.setenv("HANDOFF_DATABASE_URL", " postgresql://u@db/handoff \n")
    assert settings.HANDOFF_DATABASE_URL.value() == "postgresql://u@db/handoff"
    assert settings.HANDOFF_DATABASE_URL.is_set()


def test_values_are_read_when_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HANDOFF_WORKER_INTERVAL", "0.5")
    assert settings.HANDOFF_WORKER_INTERVAL.value() == 0.5
    monkeypatch.setenv("HANDOFF_WORKER_INTERVAL", "7")
    assert settings.HANDOFF_WORKER_INTERVAL.value() == 7.0


@pytest.mark.parametrize(
    ("variable", "bad", "message", "error"),
    [
        ("MAX_MESSAGE_CHARS", "0", "MAX_MESSAGE_CHARS must be 1 or more, not 0", ValueError),
        (
            "RATE_LIMIT_PER_MINUTE",
            "veel",
            "RATE_LIMIT_PER_MINUTE must be a whole number (0 = off), not 'veel'",
            ValueError,
        ),
        (
            "HANDOFF_MAX_OPEN_PER_CLIENT",
            "-1",
            "HANDOFF_MAX_OPEN_PER_CLIENT must be 0 (no limit) or more, not -1",
            ValueError,
        ),
        ("HANDOFF_RETRY_BASE", "tien", "HANDOFF_RETRY_BASE='tien' is not a number of seconds", ValueError),
        ("HANDOFF_RETRY_MAX", "-3", "HANDOFF_RETRY_MAX='-3' is negative", ValueError),
        ("HANDOFF_WEBHOOK_CONTACT", "Misschien", "HANDOFF_WEBHOOK_CONTACT='misschien': use true or false", ValueError),
        ("RETENTION_DAYS", "0", "RETENTION_DAYS='0' is geen geldig aantal dagen", ValueError),
        ("CONSOLE_PROXIES_COUNT", "een", "CONSOLE_PROXIES_COUNT moet een heel getal van 0 of meer zijn", SystemExit),
        ("CONSOLE_REAL_IP_HEADER", "X Real", "CONSOLE_REAL_IP_HEADER moet de naam van een header zijn", SystemExit),
        ("CONSOLE_PORT", "70000", "CONSOLE_PORT must be a port number, 1 to 65535, not 70000", ValueError),
        ("RASA_PORT", "poort", "RASA_PORT must be a whole number, not 'poort'", ValueError),
    ],
)
def test_a_bad_value_is_a_clear_error_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, variable: str, bad: str, message: str, error: type[BaseException]
) -> None:
    monkeypatch.setenv(variable, bad)
    with pytest.raises(error, match=re.escape(message)):
        VARIABLES[variable].value()


@pytest.mark.parametrize(
    ("variable", "given", "expected"),
    [
        ("HANDOFF_WEBHOOK_CONTACT", "JA", True),
        ("HANDOFF_WEBHOOK_CONTACT", "off", False),
        ("HANDOFF_WEBHOOK_CONTACT", None, False),
        ("CONSOLE_SECURE_COOKIE", "yes", True),
        ("CONSOLE_SECURE_COOKIE", "on", False),
        ("CORS_ORIGINS", "https://a.example,https://b.example  c", ["https://a.example", "https://b.example", "c"]),
        ("CORS_ORIGINS", None, []),
        ("RATE_LIMIT_PER_CLIENT_PER_MINUTE", None, 120),
        ("RETENTION_DAYS", None, 90),
        ("CONSOLE_PUBLIC_URL", "https://console.example/", "https://console.example"),
        ("HANDOFF_OPENINGSTIJDEN", None, "ma-vr 09:00-17:00"),
        ("ACTION_SERVER_HOST", None, "127.0.0.1"),
    ],
)
def test_typed_values(monkeypatch: pytest.MonkeyPatch, variable: str, given: str | None, expected: object) -> None:
    if given is None:
        monkeypatch.delenv(variable, raising=False)
    else:
        monkeypatch.setenv(variable, given)
    assert VARIABLES[variable].value() == expected


def test_a_default_can_follow_another_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RASA_URL", raising=False)
    monkeypatch.delenv("RASA_PORT", raising=False)
    assert settings.RASA_URL.value() == "http://localhost:5005"
    monkeypatch.setenv("RASA_PORT", "6005")
    assert settings.RASA_URL.value() == "http://localhost:6005"
    monkeypatch.setenv("RASA_URL", "http://lb:5005/")
    assert settings.RASA_URL.value() == "http://lb:5005"


def test_the_older_interface_still_works(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TRACKER_STORE_URL", raising=False)
    monkeypatch.setenv("LOCK_STORE_URL", "redis://r:6379/1")
    assert settings.get("TRACKER_STORE_URL") == settings.DEFAULTS["TRACKER_STORE_URL"] == "sqlite:///var/tracker.db"
    assert settings.StoreSettings.from_env() == settings.StoreSettings("sqlite:///var/tracker.db", "redis://r:6379/1")
    monkeypatch.setenv("RATE_LIMIT_PER_MINUTE", "-2")
    with pytest.raises(ValueError, match=r"RATE_LIMIT_PER_MINUTE must be 0 \(0 = off\) or more, not -2"):
        settings.whole_number("RATE_LIMIT_PER_MINUTE", meaning_of_zero="0 = off")


def test_a_library_default_goes_into_the_environment_only_when_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SANIC_REQUEST_MAX_SIZE", raising=False)
    settings.SANIC_REQUEST_MAX_SIZE.set_default_in_environment()
    assert settings.SANIC_REQUEST_MAX_SIZE.is_set() and settings.SANIC_REQUEST_MAX_SIZE.value() == 1_500_000
    monkeypatch.setenv("SANIC_REQUEST_MAX_SIZE", "2000")
    settings.SANIC_REQUEST_MAX_SIZE.set_default_in_environment()
    assert settings.SANIC_REQUEST_MAX_SIZE.value() == 2000


# --- scripts/run.sh ---------------------------------------------------------------------------------------------


def shell_values(output: str) -> dict[str, str]:
    """Run the ``NAME=value`` lines in bash and read the values back (so the quoting is tested, too)."""
    names = re.findall(r"^([A-Z][A-Z0-9_]*)=", output, re.M)
    script = output + "".join(f'printf "%s\\0" "${name}"\n' for name in names)
    values = subprocess.run(["bash", "-c", script], capture_output=True, text=True, check=True).stdout.split("\0")
    return dict(zip(names, values[:-1], strict=True))  # each value ends in NUL


def test_run_sh_gets_validated_values_with_its_own_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    for variable in VARIABLES.values():
        if variable.in_run_sh:
            monkeypatch.delenv(variable.name, raising=False)
    monkeypatch.setenv("WEB_PORT", "9000")
    values = shell_values(settings.shell())
    assert set(values) == {v.name for v in VARIABLES.values() if v.in_run_sh}
    assert values["CORS_ORIGINS"] == "http://localhost:5005 http://localhost:9000"
    assert values["PUBLIC_URL"] == "http://localhost:5005"
    assert values["TF_INTRA_OP_PARALLELISM_THREADS"] == "1" and values["RASA_TELEMETRY_ENABLED"] == "false"
    assert values["RASA_MODEL"] == "" and values["RASA_CONFIG"] == "config.yml" and values["CONSOLE_PORT"] == "8081"
    monkeypatch.setenv("RASA_PORT", "6005")
    monkeypatch.setenv("CORS_ORIGINS", "https://site.example/'$(touch x)' https://b.example")
    values = shell_values(settings.shell())
    assert values["PUBLIC_URL"] == "http://localhost:6005"
    assert values["CORS_ORIGINS"] == "https://site.example/'$(touch x)' https://b.example"


def test_a_bad_run_sh_value_stops_with_a_message(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WEB_PORT", "acht")
    result = subprocess.run(
        [sys.executable, "-m", "common.settings", "--shell"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 2 and result.stdout == ""
    assert "WEB_PORT must be a whole number, not 'acht'" in result.stderr


def test_run_sh_asks_the_settings_module_and_uses_only_documented_variables() -> None:
    lines = (ROOT / "scripts" / "run.sh").read_text().replace("\\\n", " ").splitlines()
    run_sh = "\n".join(line.split(" #")[0] for line in lines if not line.lstrip().startswith("#"))
    assert 'settings="$($PY -m common.settings --shell)"' in run_sh and 'eval "$settings"' in run_sh
    used = set(re.findall(r"\$\{?([A-Z][A-Z0-9_]*)", run_sh))
    exported = {name for line in re.findall(r"^\s*export ([A-Z0-9_ ]+)$", run_sh, re.M) for name in line.split()}
    unused = {v.name for v in VARIABLES.values() if v.in_run_sh} - used - exported
    assert not unused, f"run.sh gets these from common.settings but does not use them: {unused}"
    own = {"PY", "ACTION_PORT", "RESTART_LIMIT", "RESTART_WINDOW"}
    assert used - own <= set(VARIABLES), f"run.sh uses variables common/settings.py does not know: {used - own}"
