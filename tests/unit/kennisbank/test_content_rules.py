"""Issue 18's content rules on the real content: each source's kind shows in the text, no general rule from a local
source, no generalising word without a source, UWV rules of 2017 dated, "recht" only from the law, one number in
one place. The checks are in ``content_rules.py``; the checks of the checks (each catches a planted break) are at the
end of this file. Each failure names the article or reason, the variant and the sentence.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from eligibility.parameters import load_parameters
from eligibility.vocabulary import Kind, Source
from kennisbank import loader
from kennisbank.loader import KennisbankError
from kennisbank.verdicts import Wording
from tests.conftest import ROOT
from tests.unit.kennisbank import content_rules as rules

KB = loader.load()
ARTICLES = sorted(KB.articles)
PARAMETERS = load_parameters(ROOT / "eligibility" / "parameters.yml")


def report(problems: list[str]) -> str:
    return "\n" + "\n".join(problems)


# ------------------------------------------------------------------------------------------------ the real content


@pytest.mark.parametrize("article_id", ARTICLES)
def test_every_source_has_a_kind(article_id: str) -> None:
    missing = [f"{ref.doc} r.{ref.lines}" for ref in KB.articles[article_id].sources if ref.kind is None]
    assert not missing, f"{article_id}: sources without kind: {missing}"


def test_every_parameter_and_rule_source_has_a_kind_that_agrees_with_its_authority() -> None:
    problems = rules.parameter_source_problems(PARAMETERS)
    assert not problems, report(problems)


@pytest.mark.parametrize("article_id", ARTICLES)
def test_regional_advice_and_research_sources_are_named(article_id: str) -> None:
    problems = rules.authority_problems(KB.articles[article_id])
    assert not problems, report(problems)


@pytest.mark.parametrize("article_id", ARTICLES)
def test_no_general_rule_from_only_local_advice_or_research_sources(article_id: str) -> None:
    problems = rules.general_rule_problems(KB.articles[article_id])
    assert not problems, report(problems)


@pytest.mark.parametrize("article_id", ARTICLES)
def test_generalising_words_rest_on_a_source(article_id: str) -> None:
    problems = rules.article_generalising_problems(KB.articles[article_id])
    assert not problems, report(problems)


@pytest.mark.parametrize("article_id", ARTICLES)
def test_a_recht_rests_on_the_law(article_id: str) -> None:
    problems = rules.article_recht_problems(KB.articles[article_id])
    assert not problems, report(problems)


@pytest.mark.parametrize("article_id", ARTICLES)
def test_uwv_rules_of_2017_say_2017(article_id: str, seeds_dir: Path) -> None:
    problems = rules.date_problems(KB, KB.articles[article_id], seeds_dir)
    assert not problems, report(problems)


@pytest.mark.parametrize("article_id", ARTICLES)
def test_one_number_one_place(article_id: str) -> None:
    problems = rules.parameter_problems(KB.articles[article_id], PARAMETERS.parameters)
    assert not problems, report(problems)


def test_verdict_reasons_follow_the_content_rules() -> None:
    problems = rules.reason_problems(Wording.load(), PARAMETERS)
    assert not problems, report(problems)


# ------------------------------------------------------------------------------------------------ the checks catch


article = rules.planted_article


ALMERE = Source(doc="004", lines="159-162", anchor="28 uur kan werken", kind=Kind.regio, region="Almere", year="2021")
OVAL = Source(doc="003", lines="50", anchor="ook langer dan twee jaar", kind=Kind.advies, who="OVAL")
HANZE = Source(doc="002", lines="1109", anchor="geen reden", kind=Kind.onderzoek, who="Hanzehogeschool", year="2025")
UWV = Source(doc="001", lines="247-252", anchor="ten minste twaalf uur per week", kind=Kind.uwv_2017)
WET = Source(doc="002", lines="771", anchor="UWV beoordeelt in opdracht van gemeenten", kind=Kind.wet)


def test_the_loader_requires_kind_and_its_fields() -> None:
    with pytest.raises(ValueError, match="region"):
        Source(doc="004", lines="77", anchor="Almere", kind=Kind.regio, year="2021")
    with pytest.raises(ValueError, match="who"):
        Source(doc="003", lines="50", anchor="OVAL", kind=Kind.onderzoek, year="2023")
    with pytest.raises(ValueError, match="region belongs only"):
        Source(doc="001", lines="229", anchor="drie jaar", kind=Kind.uwv_2017, region="Almere")
    missing = [
        problem
        for problem in loader.kind_errors(Source(doc="001", lines="229", anchor="x"), KB.documents["001"])
        if "kind is missing" in problem
    ]
    assert missing == [
        "source 001 r.229: kind is missing (wet, uwv-2017, regio, advies, onderzoek, regels, beschrijving, buiten)"
    ]
    assert loader.kind_errors(Source(doc="001", lines="229", anchor="x", kind=Kind.buiten), KB.documents["001"])


def test_an_unknown_parameter_fails_loudly(tmp_path: Path) -> None:
    import shutil

    target = tmp_path / "kennisbank"
    shutil.copytree(ROOT / "kennisbank", target)
    path = next((target / "artikelen").rglob("jobcoach_uren.yml"))
    path.write_text(path.read_text(encoding="utf-8") + "parameters: [bestaat_niet]\n", encoding="utf-8")
    with pytest.raises(KennisbankError, match=r"parameters 'bestaat_niet' is not in eligibility/parameters\.yml"):
        loader.load(target)


def test_a_region_an_adviser_or_a_study_left_unnamed_is_caught() -> None:
    assert rules.authority_problems(article("In Almere (2021) werk je 28 uur.", ALMERE)) == []
    assert rules.authority_problems(article("Je werkt 28 uur.", ALMERE))
    assert rules.authority_problems(article("Jobcoaching mag langer duren.", OVAL))
    assert rules.authority_problems(article("De Hanzehogeschool ziet geen bezwaar.", HANZE)), "the year is missing"
    four = Source(
        doc="004",
        lines="14-15",
        anchor="heldere route",
        kind=Kind.regio,
        region="Almere, Amsterdam, Oss en Rijk van Nijmegen",
        year="2021",
    )
    assert rules.authority_problems(article("Almere, Amsterdam en Oss hebben een route.", four))


def test_a_general_rule_from_a_local_source_is_caught() -> None:
    good = "In Almere (2021) moest je 28 uur kunnen werken. Dan was je uit de uitkering. Vraag je gemeente wat geldt."
    assert rules.general_rule_problems(article(good, ALMERE)) == []
    bad = "In Almere (2021) ging het zo. Je moet 28 uur kunnen werken."
    assert rules.general_rule_problems(article(bad, ALMERE))
    assert rules.general_rule_problems(article("Jobcoaching mag langer dan twee jaar duren.", OVAL))
    assert rules.general_rule_problems(article("Jobcoaching mag langer duren.", OVAL, WET)) == [], "not only local"


def test_a_generalising_word_without_source_or_attribution_is_caught() -> None:
    assert rules.article_generalising_problems(article("Veel gemeenten vragen dat.", WET))
    assert rules.article_generalising_problems(article("Dat gaat vaak mis.", WET))
    assert rules.article_generalising_problems(article("Iedereen krijgt dat.", WET))
    assert rules.article_generalising_problems(article("Volgens mij gaat het altijd zo.", WET)), "no named source"
    named = "Volgens de Hanzehogeschool (2025) gaat het in de regio vaak zo."
    assert rules.article_generalising_problems(article(named, HANZE)) == []
    quoted = "OVAL schreef: 'jobcoaching moet altijd maatwerk zijn'."
    assert rules.article_generalising_problems(article(quoted, OVAL)) == []
    anchored = Source(doc="001", lines="90", anchor="heeft vaak structurele jobcoaching nodig", kind=Kind.beschrijving)
    backed = article("Iemand in beschut werk heeft vaak een jobcoach nodig.", anchored)
    assert rules.article_generalising_problems(backed) == []
    alle = Source(doc="001", lines="363", anchor="Alle werkzoekenden uit de doelgroep", kind=Kind.wet)
    assert (
        rules.article_generalising_problems(article("Iedereen uit de doelgroep kan een jobcoach krijgen.", alle)) == []
    )
    assert rules.article_generalising_problems(article("Hoe vaak gebeurt dat?", WET)) == [], "a question"
    assert rules.article_generalising_problems(article("Allemaal goed. Alleen vaker.", WET)) == [], "whole words only"


def test_a_recht_without_the_law_is_caught() -> None:
    assert rules.article_recht_problems(article("Je hebt recht op een jobcoach.", OVAL))
    assert rules.article_recht_problems(article("Je hebt recht op een jobcoach.", WET)) == []
    assert rules.article_recht_problems(article("OVAL schreef: 'iedereen heeft recht op een jobcoach'.", OVAL)) == []


def test_an_undated_uwv_rule_is_caught(seeds_dir: Path) -> None:
    assert rules.date_problems(KB, article("Je werkt minstens 12 uur per week.", UWV), seeds_dir)
    assert rules.date_problems(KB, article("In 2017 vroeg UWV minstens 12 uur per week.", UWV), seeds_dir) == []
    mixed = article("UWV vraagt een contract van 6 maanden. De gemeente regelt het zelf.", UWV, WET)
    assert len(rules.date_problems(KB, mixed, seeds_dir)) == 2  # one sentence, two variants
    twelve = article("Bij de gemeente werk je twaalf uur.", UWV, WET)
    assert rules.date_problems(KB, twelve, seeds_dir) == [], "the gemeente, not UWV"
    assert rules.date_problems(KB, article("Vraag UWV wat nu geldt.", UWV), seeds_dir) == []


def test_a_number_stated_twice_unlinked_or_linked_and_missing_is_caught() -> None:
    uren = Source(doc="001", lines="235-237", anchor="maximaal 10 procent", kind=Kind.uwv_2017)
    text = "In 2017 was dat in jaar 1 hoogstens 10%, in jaar 2 5% en in jaar 3 3% van de werktijd."
    unlinked = rules.parameter_problems(article(text, uren), PARAMETERS.parameters)
    assert any("uwv_coaching_pct_per_jaar" in p and "does not list" in p for p in unlinked)
    linked = article(text, uren, parameters=("uwv_coaching_pct_per_jaar",))
    assert rules.parameter_problems(linked, PARAMETERS.parameters) == []
    changed = article(text.replace("5%", "6%"), uren, parameters=("uwv_coaching_pct_per_jaar",))
    assert rules.parameter_problems(changed, PARAMETERS.parameters)
    inside = article(text.replace(" 5%", " 7,5%"), uren, parameters=("uwv_coaching_pct_per_jaar",))
    assert rules.parameter_problems(inside, PARAMETERS.parameters), "5% is not stated by 7,5%"
    assert rules.renderings(PARAMETERS.parameters["uwv_uurtarief_externe_jobcoach"]) == [
        ["€ 75,82", "€75,82", "75,82 euro"]
    ]
    assert rules.renderings(PARAMETERS.parameters["breed_offensief_aanvraagrecht_sinds"]) == [["1 juli 2023"]]


def test_reasons_saying_recht_or_undated_uwv_are_caught(tmp_path: Path) -> None:
    wording = Wording.load()
    sections = {name: dict(values) for name, values in wording.sections.items()}
    sections["reasons"]["jc_uwv_duur"] = "De jobcoach van UWV helpt hoogstens {{ jaar }} jaar."
    sections["reasons"]["jc_route_gemeente"] = "De gemeente regelt het. Je hebt altijd recht op een jobcoach."
    problems = rules.reason_problems(Wording(sections), PARAMETERS)
    assert any(p.startswith("reason jc_uwv_duur: rests on uwv-2017") for p in problems)
    assert any(p.startswith("reason jc_route_gemeente: says 'recht'") for p in problems)
    assert any(p.startswith("reason jc_route_gemeente: 'altijd'") for p in problems)
