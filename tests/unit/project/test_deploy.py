"""The deployment files in deploy/ (not run here: no Docker engine, no cluster).

Parsed as YAML; every local file they name exists; every environment variable they set or need is
documented in common/settings.py (so in docs/configuration.md, generated from it) and read by the code (or by
the command or endpoints file that uses it); the load balancer points at the services the compose file
defines; the Dockerfile installs what scripts/install.sh installs.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[3]
DEPLOY = ROOT / "deploy"
#: Set by images or charts we do not build: the postgres image's own variables, the Rasa chart's token.
EXTERNAL = {"POSTGRES_USER", "POSTGRES_DB", "POSTGRES_PASSWORD", "RASA_TOKEN"}
#: Set in deploy/Dockerfile for every process (Rasa's and TensorFlow's own settings, Python's, the venv).
IMAGE_ENV = {
    "PYTHONDONTWRITEBYTECODE",
    "PYTHONUNBUFFERED",
    "RASA_TELEMETRY_ENABLED",
    "TF_CPP_MIN_LOG_LEVEL",
    "VIRTUAL_ENV",
    "PATH",
}
OUR_IMAGE = "reintegratie-assistent"


def load(name: str) -> Any:
    return yaml.safe_load((DEPLOY / name).read_text())


@pytest.fixture(scope="module")
def compose() -> dict:
    return load("docker-compose.yml")


@pytest.fixture(scope="module")
def helm() -> dict:
    return load("helm-values.yml")


@pytest.fixture(scope="module")
def k8s() -> list[dict]:
    return [doc for doc in yaml.safe_load_all((DEPLOY / "k8s.yml").read_text()) if doc]


@pytest.fixture(scope="module")
def documented() -> set[str]:
    """The variables of common/settings.py, the source of docs/configuration.md (a test there checks the two agree)."""
    from common.settings import VARIABLES

    return set(VARIABLES)


@pytest.fixture(scope="module")
def read_by_code() -> set[str]:
    """Every quoted UPPER_CASE name in the project's Python code and scripts (outside the tests)."""
    names: set[str] = set()
    folders = (
        "actions",
        "common",
        "console",
        "handoff",
        "kennisbank",
        "ops",
        "reintegratie",
        "web",
        "tools",
        "scripts",
    )
    for folder in folders:
        for path in (ROOT / folder).rglob("*"):
            if path.suffix in {".py", ".sh"} and "node_modules" not in path.parts:
                text = path.read_text()
                names |= set(re.findall(r"[\"']([A-Z][A-Z0-9_]+)[\"']", text))
                names |= set(re.findall(r"\$\{?([A-Z][A-Z0-9_]+)", text))
    return names


def substitutions(text: str) -> set[str]:
    """``${VAR}``, ``${VAR:-default}``, ``${VAR:?message}`` as compose and Rasa read them (not ``$${...}``)."""
    code = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    return set(re.findall(r"(?<!\$)\$\{([A-Z][A-Z0-9_]*)", code))


def command_text(spec: dict) -> str:
    command = spec.get("command", "")
    return " ".join(command) if isinstance(command, list) else str(command)


def test_the_files_parse_and_name_only_existing_files(compose: dict, helm: dict, k8s: list[dict]) -> None:
    for name, service in compose["services"].items():
        build = service.get("build")
        if build:
            context = (DEPLOY / build["context"]).resolve()
            assert context == ROOT and (context / build["dockerfile"]).is_file(), name
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith("."):
                assert (DEPLOY / source).is_file(), f"{name}: {source} does not exist"
    for path in re.findall(r"^COPY (?!--from)(.+) \S+$", (DEPLOY / "Dockerfile").read_text(), re.M):
        for source in path.split():
            assert source == "." or (ROOT / source).exists(), f"Dockerfile copies missing {source}"
    assert {doc["kind"] for doc in k8s} == {"Deployment", "Service", "CronJob"}
    assert helm["rasa-action-server"]["install"] is True


def test_rasa_reads_the_action_server_url_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Rasa substitutes ${VAR} only in unquoted YAML values: a quoted one stays literally "${...}"."""
    from rasa.core.utils import read_endpoints_from_path

    monkeypatch.setenv("ACTION_SERVER_URL", "http://lb:5055/webhook")
    monkeypatch.setenv("ACTION_SERVER_TOKEN", "gedeeld-geheim")
    endpoints = read_endpoints_from_path(DEPLOY / "endpoints.yml")
    assert endpoints.action.url == "http://lb:5055/webhook"
    assert endpoints.action.headers == {"X-Action-Token": "gedeeld-geheim"}
    assert endpoints.tracker_store.type == "reintegratie.stores.tracker_store.EnvSQLTrackerStore"
    assert endpoints.lock_store.type == "reintegratie.stores.lock_store.EnvLockStore"


def test_every_command_runs_something_that_exists(compose: dict, helm: dict, k8s: list[dict]) -> None:
    commands = [command_text(s) for s in compose["services"].values()]
    actions = helm["rasa-action-server"]
    commands += [" ".join(helm["command"] + helm["args"]), " ".join(actions["command"] + actions["args"])]
    commands += [" ".join(c["command"]) for doc in k8s for c in containers(doc)]
    commands += [(DEPLOY / "Dockerfile").read_text().rsplit("CMD", 1)[1]]
    checked: dict[str, set[str]] = {
        "python -m": set(),
        "--endpoints": set(),
        "--credentials": set(),
        "--actions": set(),
        "python *.py": set(),
    }
    for command in commands:
        for module in re.findall(r"python -m ([\w.]+)", command):
            checked["python -m"].add(module)
            path = ROOT / module.replace(".", "/")
            assert path.with_suffix(".py").is_file() or (path / "__main__.py").is_file(), command
        for option, expected in (("--endpoints", "file"), ("--credentials", "file"), ("--actions", "dir")):
            for value in re.findall(rf"{option} (\S+)", command):
                checked[option].add(value)
                target = ROOT / value
                assert target.is_file() if expected == "file" else target.is_dir(), command
        for script in re.findall(r"python (\S+\.py)", command):
            checked["python *.py"].add(script)
            assert (ROOT / script).is_file(), command
    # the patterns found what they are for: every entry point, and each option at least once
    assert checked["python -m"] >= {
        "reintegratie.launch",
        "reintegratie.action_server",
        "handoff.worker",
        "console",
        "ops.retention",
    }, checked
    assert all(checked.values()), f"a pattern matched no command: {checked}"


def containers(doc: dict) -> list[dict]:
    spec = doc.get("spec", {})
    if doc["kind"] == "CronJob":
        spec = spec["jobTemplate"]["spec"]
    return spec.get("template", {}).get("spec", {}).get("containers", [])


def test_every_variable_is_documented_and_read(
    compose: dict, helm: dict, k8s: list[dict], documented: set[str], read_by_code: set[str]
) -> None:
    endpoints = substitutions((DEPLOY / "endpoints.yml").read_text())
    used: dict[str, set[str]] = {}  # variable -> where
    for name, service in compose["services"].items():
        ours = OUR_IMAGE in str(service.get("image", "")) or "build" in service
        command = command_text(service)
        for variable in service.get("environment", {}):
            used.setdefault(variable, set()).add(f"compose:{name}")
            if ours:
                assert variable in read_by_code or f"$${variable}" in command or variable in endpoints, (
                    f"compose service {name} sets {variable}, which nothing reads"
                )
    for variable in substitutions((DEPLOY / "docker-compose.yml").read_text()) | endpoints:
        used.setdefault(variable, set()).add("substitution")
    helm_env = {e["name"] for e in helm["extraEnv"]} | {e["name"] for e in helm["rasa-action-server"]["extraEnv"]}
    k8s_env = {e["name"] for doc in k8s for c in containers(doc) for e in c.get("env", [])}
    for variable in helm_env | k8s_env:
        used.setdefault(variable, set()).add("kubernetes")
        assert variable in read_by_code or variable in " ".join(helm["args"]), f"{variable} is set but never read"
    for variable in re.findall(r"\$\(([A-Z_]+)\)", " ".join(helm["args"])):
        assert variable in helm_env or variable in EXTERNAL, f"helm args use $({variable}), which nothing sets"
    assert len(used) > 20, f"the deploy files set only {sorted(used)}: has their layout changed?"
    missing = {v: sorted(w) for v, w in used.items() if v not in documented}
    assert not missing, f"not in common/settings.py (docs/configuration.md): {missing}"
    assert not (set(used) - IMAGE_ENV) - documented


def test_the_example_env_file_sets_every_required_variable(compose: dict) -> None:
    text = (DEPLOY / "docker-compose.yml").read_text()
    required = set(re.findall(r"(?<!\$)\$\{([A-Z_]+):\?", text))
    example = {
        line.split("=", 1)[0]
        for line in (DEPLOY / "example.env").read_text().splitlines()
        if line and not line.startswith("#")
    }
    assert required <= example, required - example
    assert set(re.findall(r"(?<!\$)\$\{([A-Z_]+)", text)) <= example


def test_scale_out_shares_one_postgres_and_one_redis(compose: dict, helm: dict) -> None:
    services = compose["services"]
    rasa = [s for n, s in services.items() if n.startswith("rasa-")]
    actions = [s for n, s in services.items() if n.startswith("actions-")]
    assert len(rasa) >= 2 and len(actions) >= 2
    for variable in ("TRACKER_STORE_URL", "LOCK_STORE_URL"):
        values = {s["environment"][variable] for s in rasa}
        assert len(values) == 1, f"the Rasa servers do not share {variable}: {values}"
    assert next(iter({s["environment"]["LOCK_STORE_URL"] for s in rasa})).startswith("redis://")
    assert next(iter({s["environment"]["TRACKER_STORE_URL"] for s in rasa})).startswith("postgresql://")
    assert len({s["environment"]["HANDOFF_DATABASE_URL"] for s in actions}) == 1
    assert services["handoff-worker"]["deploy"]["replicas"] == 1
    assert helm["replicaCount"] >= 2 and helm["rasa-action-server"]["replicaCount"] >= 2
    assert "--endpoints" in helm["args"] and "deploy/endpoints.yml" in helm["args"]


def test_the_load_balancer_knows_every_server(compose: dict) -> None:
    nginx = (DEPLOY / "nginx.conf").read_text()
    upstreams = dict(re.findall(r"upstream (\w+) \{(.*?)\}", nginx, re.S))
    servers = {name: set(re.findall(r"server ([\w-]+):(\d+)", body)) for name, body in upstreams.items()}
    names = set(compose["services"])
    assert servers["rasa"] == {(n, "5005") for n in names if n.startswith("rasa-")}
    assert servers["actions"] == {(n, "5055") for n in names if n.startswith("actions-")}
    assert "ip_hash" in upstreams["rasa"], "Socket.IO long-polling needs a sticky upstream"
    assert "Upgrade $http_upgrade" in nginx, "WebSockets need the Upgrade header passed on"
    rasa = [s for n, s in compose["services"].items() if n.startswith("rasa-")]
    assert {s["environment"]["ACTION_SERVER_URL"] for s in rasa} == {"http://lb:5055/webhook"}
    assert compose["services"]["console"]["environment"]["RASA_URL"] == "http://lb:5005"


def test_the_image_installs_like_make_install() -> None:
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    install = (ROOT / "scripts" / "install.sh").read_text()
    uv = re.search(r"^UV_VERSION=(\S+)", install, re.M)
    model_url = re.search(r'^OFFICIAL_MODEL_URL="(\S+)"', install, re.M)
    assert uv and f"ARG UV_VERSION={uv.group(1)}" in dockerfile
    assert model_url and f"ARG OFFICIAL_MODEL_URL={model_url.group(1)}" in dockerfile
    assert "FROM python:3.10-slim" in dockerfile
    assert "--require-hashes -r requirements.lock" in dockerfile
    assert "tools/build_dutch_model.py" in dockerfile  # the offline fallback, as in scripts/install.sh


def test_the_action_servers_need_the_token_and_rasa_sends_it(compose: dict, helm: dict) -> None:
    """Review H2: every action server runs reintegratie.action_server (token check) and listens on 0.0.0.0 only
    inside its container; every Rasa server gets the same token for deploy/endpoints.yml."""
    services = compose["services"]
    actions = [s for n, s in services.items() if n.startswith("actions-")]
    rasa = [s for n, s in services.items() if n.startswith("rasa-")]
    for service in actions:
        assert service["command"][:3] == ["python", "-m", "reintegratie.action_server"]
        assert service["environment"]["ACTION_SERVER_HOST"] == "0.0.0.0"
    tokens = {s["environment"]["ACTION_SERVER_TOKEN"] for s in actions + rasa}
    assert tokens == {"${ACTION_SERVER_TOKEN:?set ACTION_SERVER_TOKEN}"}
    sub_chart = helm["rasa-action-server"]
    assert sub_chart["command"] == ["python", "-m", "reintegratie.action_server"]
    action_env = {e["name"]: e for e in sub_chart["extraEnv"]}
    rasa_env = {e["name"]: e for e in helm["extraEnv"]}
    assert action_env["ACTION_SERVER_HOST"]["value"] == "0.0.0.0"
    assert action_env["ACTION_SERVER_TOKEN"]["valueFrom"] == rasa_env["ACTION_SERVER_TOKEN"]["valueFrom"]
    assert "X-Action-Token: ${ACTION_SERVER_TOKEN}" in (DEPLOY / "endpoints.yml").read_text()
    assert not [port for port in services["lb"]["ports"] if "5055" in port], "the action servers' port is published"


def test_no_command_puts_the_api_token_on_the_command_line(compose: dict, helm: dict) -> None:
    """Review L3: ``--auth-token`` shows the token in ps; Rasa starts through reintegratie.launch instead."""
    commands = [command_text(s) for s in compose["services"].values()]
    commands += [" ".join(helm["command"] + helm["args"]), (DEPLOY / "Dockerfile").read_text().rsplit("CMD", 1)[1]]
    assert not [c for c in commands if "--auth-token" in c or "rasa run" in c], commands
    rasa = [command_text(s) for n, s in compose["services"].items() if n.startswith("rasa-")]
    assert all("python -m reintegratie.launch run" in c and "--enable-api" in c for c in rasa)
    assert helm["command"] == ["python", "-m", "reintegratie.launch"] and "--enable-api" in helm["args"]
    assert {e["name"] for e in helm["extraEnv"]} >= {"RASA_API_TOKEN", "ACTION_SERVER_TOKEN"}
