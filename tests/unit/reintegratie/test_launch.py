"""Review L3: no secret in ``ps``. How reintegratie/launch.py passes the API token to Rasa, without starting it.

That no command line of the running stack shows a token: tests/integration/security/test_processes.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest


def test_the_launcher_never_puts_the_token_on_the_command_line(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """reintegratie.launch adds --auth-token only to its own sys.argv, and refuses an open API or a token in argv."""
    from reintegratie import launch

    monkeypatch.chdir(tmp_path)  # no var/api_token here
    monkeypatch.delenv("RASA_API_TOKEN", raising=False)
    with pytest.raises(SystemExit, match="--enable-api needs a token"):
        launch.rasa_arguments(["run", "--enable-api"])
    with pytest.raises(SystemExit, match="would show the token in ps"):
        launch.rasa_arguments(["run", "--enable-api", "--auth-token", "x"])
    (tmp_path / "var").mkdir()
    (tmp_path / "var" / "api_token").write_text("uit-het-bestand\n")
    assert launch.rasa_arguments(["run", "--enable-api"]) == ["run", "--enable-api", "--auth-token=uit-het-bestand"]
    monkeypatch.setenv("RASA_API_TOKEN", "uit-de-omgeving")
    assert launch.rasa_arguments(["run", "--enable-api"])[-1] == "--auth-token=uit-de-omgeving"
    assert launch.rasa_arguments(["shell"]) == ["shell"]


def test_a_token_that_starts_with_a_dash_reaches_rasa(monkeypatch: pytest.MonkeyPatch) -> None:
    """secrets.token_urlsafe starts with "-" one time in 64; Rasa then stopped with "expected one argument"."""
    from rasa.__main__ import create_argument_parser

    from reintegratie import launch

    monkeypatch.setenv("RASA_API_TOKEN", "-Xb3kQ")
    arguments = launch.rasa_arguments(["run", "--enable-api"])
    assert create_argument_parser().parse_args(arguments).auth_token == "-Xb3kQ"
