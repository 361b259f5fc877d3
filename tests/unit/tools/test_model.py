"""Models are cached by fingerprint: unchanged inputs never retrain, changed inputs always do."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import ROOT
from tools.model import INPUTS, fingerprint


def copy_project(target: Path) -> Path:
    for entry in ["config.yml", "README.md", *INPUTS]:
        source = ROOT / entry
        (target / entry).parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target / entry, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, target / entry)
    return target


def test_same_inputs_same_fingerprint(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    first = fingerprint(project / "config.yml", project)
    (project / "README.md").write_text("changed docs do not retrain", encoding="utf-8")
    assert fingerprint(project / "config.yml", project) == first


def test_changed_data_domain_or_config_changes_fingerprint(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    seen = {fingerprint(project / "config.yml", project)}
    changed = [
        "data/nlu/basis.yml",
        "domain.yml",
        "config.yml",
        "reintegratie/nlu/spacy_nlp.py",
        "reintegratie/nlu/unknown_words.py",
        "reintegratie/nlu/frustration_guard.py",  # every component, also one added later
        "reintegratie/nlu/phrases.py",
    ]
    for name in changed:
        with (project / name).open("a", encoding="utf-8") as handle:
            handle.write("\n# change\n")
        seen.add(fingerprint(project / "config.yml", project))
    assert len(seen) == 8
    # Python's byte-code cache is no input
    cache = project / "reintegratie" / "nlu" / "__pycache__"
    cache.mkdir(exist_ok=True)
    (cache / "phrases.cpython-310.pyc").write_bytes(b"\x00")
    assert fingerprint(project / "config.yml", project) in seen
