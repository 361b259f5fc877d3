"""The domain vocabulary is defined once, in eligibility/vocabulary.py, and everyone uses those objects.

The scan reads the project's source with ``ast``: a class with a vocabulary name, or a literal collection with
two or more values of one vocabulary enum, outside ``eligibility/vocabulary.py`` is a second definition.
"""

from __future__ import annotations

import ast

import pytest
import yaml

from actions import antwoorden
from eligibility import load_parameters
from eligibility.vocabulary import ADDRESS, Audience, Authority, Source, Uitkering
from kennisbank import loader, render, verdicts
from tests.conftest import ROOT

PACKAGES = ("common", "eligibility", "kennisbank", "handoff", "reintegratie", "ops", "actions", "console", "tools")
VOCABULARY_FILE = ROOT / "eligibility" / "vocabulary.py"
CLASS_NAMES = {"Audience", "Authority", "Source", "SourceRef", "Uitkering"}
VALUES = {
    "Audience": {audience.value for audience in Audience},
    "Authority": {authority.value for authority in Authority},
    "Uitkering": {uitkering.value for uitkering in Uitkering},
}
#: No copies are allowed (the team chat's names and the console's formal audiences are built from the enum).
KNOWN_COPIES: dict[str, set[str]] = {}


def copies_in(source: str) -> set[str]:
    """The vocabulary terms that ``source`` defines again."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ClassDef) and node.name in CLASS_NAMES:
            found.add(node.name)
        elements = node.keys if isinstance(node, ast.Dict) else getattr(node, "elts", None)
        if isinstance(node, (ast.Dict, ast.Set, ast.List, ast.Tuple)) and elements:
            strings = {e.value for e in elements if isinstance(e, ast.Constant) and isinstance(e.value, str)}
            found |= {term for term, values in VALUES.items() if len(strings & values) >= 2}
    return found


def project_copies() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "node_modules" in path.parts or path == VOCABULARY_FILE:
                continue
            terms = copies_in(path.read_text(encoding="utf-8"))
            if terms:
                found[path.relative_to(ROOT).as_posix()] = terms
    return found


@pytest.mark.parametrize(
    ("source", "terms"),
    [
        ('AUTHORITIES = {"wet", "uwv-2017", "gemeente"}', {"Authority"}),
        ('AUDIENCES = ("werkgever", "ouder")', {"Audience"}),
        ('UITKERING_NAMES = {"wajong": "Wajong", "ww": "WW"}', {"Uitkering"}),
        ("class SourceRef:\n    doc: str", {"SourceRef"}),
        ('STEPS = ("vraag_uwv_jobcoach", "gemeente")', set()),
    ],
)
def test_the_scan_finds_a_second_definition(source: str, terms: set[str]) -> None:
    assert copies_in(source) == terms


def test_the_vocabulary_is_defined_once() -> None:
    found = project_copies()
    unexpected = {path: terms for path, terms in found.items() if not terms <= KNOWN_COPIES.get(path, set())}
    assert unexpected == {}
    assert copies_in(VOCABULARY_FILE.read_text(encoding="utf-8")) >= {"Audience", "Authority", "Source", "Uitkering"}


def test_the_known_copies_agree_with_the_enum() -> None:
    from console.rasa_api import FORMAL_AUDIENCES
    from handoff.webhook import AUDIENCES

    assert set(AUDIENCES) == VALUES["Audience"]
    assert FORMAL_AUDIENCES == {audience.value for audience in Audience if ADDRESS[audience] == "u"}


def test_audiences_are_the_audience_slot_values_in_the_domain() -> None:
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    assert set(domain["slots"]["audience"]["values"]) == VALUES["Audience"]
    assert set(ADDRESS) == {None, *Audience}


def test_every_benefit_has_a_name_and_words() -> None:
    assert [uitkering.naam for uitkering in Uitkering] == ["Wajong", "WW", "WIA", "Ziektewet", "bijstand", "geen"]
    assert list(antwoorden.UITKERINGEN) == list(Uitkering)
    assert verdicts.uitkering_naam("ww") == "WW" and verdicts.uitkering_naam("iets") == "iets"


def test_loader_render_verdicts_and_parameters_use_the_same_objects() -> None:
    assert loader.Article.__fields__["authority"].type_ is Authority
    assert loader.Article.__fields__["sources"].type_ is Source
    assert render.Source is Source and verdicts.Audience is Audience and loader.Audience is Audience
    parameters = load_parameters()
    for rule in parameters.rules.values():
        assert type(rule.authority) is Authority and type(rule.source) is Source
    assert {type(reason.source) for reason in [parameters.reason(name) for name in parameters.rules]} == {Source}


def test_the_kennisbank_readme_lists_the_authorities() -> None:
    readme = (ROOT / "kennisbank" / "README.md").read_text(encoding="utf-8")
    assert "# " + " | ".join(authority.value for authority in Authority) + "\n" in readme
