"""B1: every term of kennisbank/termen.yml that an answer variant (or a verdict reason in checks.yml) uses is explained
in that same variant (reason), at its first use or at most four sentences later.

The checks of the check are at the end."""

from __future__ import annotations

from pathlib import Path

import pytest

from eligibility.parameters import load_parameters
from eligibility.vocabulary import Kind, Source
from kennisbank import loader
from kennisbank.loader import Article, KennisbankError
from kennisbank.verdicts import Wording
from tests.unit.kennisbank import content_rules as rules

KB = loader.load()
TERMS = loader.load_terms()
#: The subject of each check (key prefix of its reasons in checks.yml -> term): the verdict's first line names it.
CHECK_SUBJECTS = {
    "jc_": "jobcoach",
    "dr_": "doelgroepregister",
    "lks_": "loonkostensubsidie",
    "bw_": "beschut werk",
    "nr_": "no-riskpolis",
}


def report(problems: list[str]) -> str:
    return "\n" + "\n".join(problems)


@pytest.mark.parametrize("article_id", sorted(KB.articles))
def test_every_term_is_explained_where_it_is_used(article_id: str) -> None:
    problems = rules.article_term_problems(KB.articles[article_id], TERMS)
    assert not problems, report(problems)


@pytest.mark.parametrize("article_id", sorted(KB.articles))
def test_an_explained_term_cites_the_seed_line_of_its_explanation(article_id: str) -> None:
    problems = rules.term_source_problems(KB.articles[article_id], TERMS)
    assert not problems, report(problems)


def test_every_term_in_a_verdict_reason_is_explained() -> None:
    problems = rules.wording_term_problems(Wording.load(), TERMS, CHECK_SUBJECTS)
    assert not problems, report(problems)


def test_an_explained_term_in_a_verdict_reason_cites_its_seed_line() -> None:
    problems = rules.reason_term_source_problems(Wording.load(), TERMS, load_parameters())
    assert not problems, report(problems)


# ------------------------------------------------------------------------------------------------ the check catches


def article(text: str) -> Article:
    return rules.planted_article(
        text, Source(doc="002", lines="1087", anchor="In het sociaal akkoord van 2013", kind=Kind.wet)
    )


EXPLAINED = (
    "Je komt niet vanzelf in het doelgroepregister. "
    "Het doelgroepregister is een lijst voor de banenafspraak: "
    "de afspraak uit 2013 om banen te maken voor mensen met een arbeidsbeperking."
)


def test_a_term_used_without_its_explanation_is_caught() -> None:
    assert rules.article_term_problems(article(EXPLAINED), TERMS) == []
    bare = rules.article_term_problems(article("Je komt niet vanzelf in het doelgroepregister."), TERMS)
    assert len(bare) == 2 and all("'doelgroepregister'" in p for p in bare), "both variants"
    vague = article("Het doelgroepregister is een lijst. De banenafspraak is een afspraak.")
    names = {p.split("'")[1] for p in rules.article_term_problems(vague, TERMS)}
    assert names == {"doelgroepregister", "banenafspraak"}, "a vague explanation does not count"


def test_an_explanation_without_its_seed_line_is_caught() -> None:
    text = "Wsw staat voor Wet sociale werkvoorziening."
    problems = rules.term_source_problems(article(text), TERMS)
    assert problems == [f"x_test: explains 'Wsw' but cites none of its seed lines ({TERMS['Wsw'].bron})"]
    cited = article(text).copy(
        update={"sources": [Source(doc="002", lines="771-773", anchor="Wet sociale werkvoorziening", kind=Kind.wet)]}
    )
    assert rules.term_source_problems(cited, TERMS) == [], "a range that holds the line counts"
    assert rules.bron_refs(TERMS["verordening"])[:2] == [("002", 1071, 1073), ("001", 283, 283)]


def test_an_explanation_far_after_the_first_use_is_caught() -> None:
    late = article("Het gaat om de Wsw. Een. Twee. Drie. Vier. Vijf. Wsw staat voor Wet sociale werkvoorziening.")
    assert any("'Wsw'" in p for p in rules.article_term_problems(late, TERMS))
    near = article("Het gaat om de Wsw. Wsw staat voor Wet sociale werkvoorziening.")
    assert rules.article_term_problems(near, TERMS) == []


def test_the_explanations_are_not_just_the_word() -> None:
    for name, term in TERMS.items():
        assert not term.explained_in(f"Het gaat om {name}. Dat is {name}."), name


def test_a_verdict_text_without_an_explanation_is_caught() -> None:
    wording = Wording.load()
    sections = {name: dict(values) for name, values in wording.sections.items()}
    sections["reasons"]["x_test"] = "Het werk hoort bij de banenafspraak."
    sections["reasons"]["dr_test"] = "Het doelgroepregister hoort bij de banenafspraak, zonder uitleg."
    problems = rules.wording_term_problems(Wording(sections), TERMS, CHECK_SUBJECTS)
    assert any(p.startswith("checks.yml reasons.x_test: uses 'banenafspraak'") for p in problems)
    assert any(p.startswith("checks.yml reasons.dr_test: uses 'banenafspraak'") for p in problems)
    assert not any(p.startswith("checks.yml reasons.dr_test: uses 'doelgroepregister'") for p in problems)


def test_a_malformed_term_fails_loudly(tmp_path: Path) -> None:
    path = tmp_path / "termen.yml"
    path.write_text("wsw:\n  gebruik: '\\\\bWsw('\n  uitleg: ['Wet sociale werkvoorziening']\n  bron: '002 r.773'\n")
    with pytest.raises(KennisbankError, match="wsw"):
        loader.load_terms(path)
    path.write_text("wsw:\n  gebruik: 'Wsw'\n  uitleg: []\n  bron: '002 r.773'\n")
    with pytest.raises(KennisbankError, match="at least one explanation"):
        loader.load_terms(path)
