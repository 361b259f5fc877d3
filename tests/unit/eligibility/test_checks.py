"""The eligibility module: every rule and boundary, a property test, and sourced reasons."""

from __future__ import annotations

import re
from dataclasses import fields
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eligibility import (
    CHECKS,
    BeschutWerkInput,
    DoelgroepregisterInput,
    JobcoachInput,
    LoonkostensubsidieInput,
    NoRiskpolisInput,
    Outcome,
    Uitkering,
    UwvAdvies,
    check_beschut_werk,
    check_doelgroepregister,
    check_jobcoach,
    check_loonkostensubsidie,
    check_no_riskpolis,
    load_parameters,
)
from eligibility.parameters import ParameterError, parse
from kennisbank import loader as kennisbank
from kennisbank.verdicts import render_verdict, wording
from tests.unit.kennisbank.test_loader import anchor_problem

P = load_parameters()
W, M, U, N = Outcome.waarschijnlijk, Outcome.mogelijk, Outcome.onwaarschijnlijk, Outcome.onbekend
OK = {"contract_maanden": 12, "uren_per_week": 24, "loonwaarde_pct": 60, "schriftelijk_contract": True}


def uwv(**changes: object) -> JobcoachInput:
    return JobcoachInput(**{"uitkering": Uitkering.ww, **OK, **changes})


def rules(verdict) -> list[str]:
    return [reason.rule for reason in verdict.reasons]


# --- jobcoach, UWV route (001 r.247-254; 000 r.220-222) ---
@pytest.mark.parametrize(
    ("data", "outcome", "rule"),
    [
        (uwv(), W, "jc_uwv_voorwaarden"),
        (uwv(uren_per_week=12), W, "jc_uwv_voorwaarden"),
        (uwv(uren_per_week=11), M, "jc_uwv_uitzondering"),  # 11 versus 12 hours
        (uwv(uren_per_week=8), M, "jc_uwv_uitzondering"),  # the exception starts at 8 hours
        (uwv(uren_per_week=7.5), U, "jc_uwv_uren"),
        (uwv(loonwaarde_pct=35), W, "jc_uwv_voorwaarden"),
        (uwv(loonwaarde_pct=34), M, "jc_uwv_uitzondering"),  # 34 versus 35 %
        (uwv(loonwaarde_pct=20), M, "jc_uwv_uitzondering"),  # the exception starts at 20 %
        (uwv(loonwaarde_pct=19), U, "jc_uwv_loonwaarde"),
        (uwv(uren_per_week=8, loonwaarde_pct=20), M, "jc_uwv_uitzondering"),
        (uwv(contract_maanden=6), W, "jc_uwv_voorwaarden"),
        (uwv(contract_maanden=5), U, "jc_uwv_contract"),  # 5 versus 6 months
        (uwv(schriftelijk_contract=False), U, "jc_uwv_schriftelijk"),  # zero-hours or unwritten contract
        (uwv(schriftelijk_contract=False, uren_per_week=None), U, "jc_uwv_schriftelijk"),
        (uwv(contract_maanden=None), N, "jc_route_uwv"),
        (uwv(loonwaarde_pct=None, uren_per_week=11), N, "jc_route_uwv"),
        (uwv(uitkering=Uitkering.wajong), W, "jc_wajong_2015"),
        (uwv(uitkering=Uitkering.ziektewet), W, "jc_route_uwv"),
        (uwv(uitkering=Uitkering.wia), W, "jc_route_uwv"),
    ],
)
def test_jobcoach_uwv(data: JobcoachInput, outcome: Outcome, rule: str) -> None:
    verdict = check_jobcoach(data)
    assert verdict.outcome is outcome
    assert rule in rules(verdict)
    assert verdict.decides.value == "uwv"


def test_a_failed_condition_comes_first_and_missing_facts_are_listed() -> None:
    verdict = check_jobcoach(uwv(contract_maanden=3, loonwaarde_pct=None))
    assert rules(verdict)[0] == "jc_uwv_contract"
    assert verdict.missing == ("loonwaarde_pct",)
    assert check_jobcoach(uwv(contract_maanden=None, uren_per_week=None)).missing == (
        "contract_maanden",
        "uren_per_week",
    )


@pytest.mark.parametrize(
    ("hours", "year1", "year2", "year3", "ex1", "ex3"),
    [
        (24, 2.4, 1.2, 0.72, 3.6, 1.44),
        (12, 1.2, 0.6, 0.36, 1.8, 0.72),
        (40, 4.0, 2.0, 1.2, 6.0, 2.4),
    ],
)
def test_maximum_coaching_hours_per_week(hours, year1, year2, year3, ex1, ex3) -> None:
    figures = check_jobcoach(uwv(uren_per_week=hours)).figures
    assert figures["coaching_uren"] == {1: year1, 2: year2, 3: year3}
    assert figures["coaching_uren_uitzondering"][1] == ex1
    assert figures["coaching_uren_uitzondering"][3] == ex3


# --- jobcoach, gemeente route (000 r.227; 001 r.363, 217, 299; 003 r.12-14): the gemeente *can* give one,
# "in principe" with loonkostensubsidie, within its verordening: never more than "mogelijk" ---
@pytest.mark.parametrize(
    ("data", "present", "absent", "decides"),
    [
        (
            JobcoachInput(Uitkering.bijstand, loonkostensubsidie=True, uren_per_week=32),
            "jc_gemeente_lks",
            "jc_gemeente_lokale_uren",
            "gemeente",
        ),
        (
            JobcoachInput(Uitkering.geen, loonkostensubsidie=False, uren_per_week=30),
            "jc_gemeente_aanvraagrecht",
            "jc_gemeente_lks",
            "uwv_of_gemeente",  # ill while employed: UWV (001 r.217)
        ),
        (
            JobcoachInput(Uitkering.bijstand, loonkostensubsidie=None, uren_per_week=20),
            "jc_gemeente_lokale_uren",
            "jc_gemeente_lks",
            "gemeente",
        ),
        (
            JobcoachInput(Uitkering.bijstand, loonkostensubsidie=True, uren_per_week=24),
            "jc_route_gemeente",
            "jc_gemeente_lokale_uren",
            "gemeente",
        ),
        (
            JobcoachInput(Uitkering.bijstand, loonkostensubsidie=True, uren_per_week=23),
            "jc_gemeente_lokale_uren",
            "jc_uwv_voorwaarden",
            "gemeente",
        ),
        (
            # the regions' 24 hours are about people with loonkostensubsidie (001 r.299; review R69 N4)
            JobcoachInput(Uitkering.bijstand, loonkostensubsidie=False, uren_per_week=16),
            "jc_gemeente_aanvraagrecht",
            "jc_gemeente_lokale_uren",
            "gemeente",
        ),
        (
            JobcoachInput(Uitkering.geen, loonkostensubsidie=True, uren_per_week=40),
            "jc_route_ziek_tijdens_werk",
            "jc_route_uwv",
            "uwv_of_gemeente",
        ),
    ],
)
def test_jobcoach_gemeente(data, present, absent, decides) -> None:
    verdict = check_jobcoach(data)
    assert verdict.outcome is M
    assert present in rules(verdict) and absent not in rules(verdict)
    assert verdict.decides.value == decides


def test_jobcoach_without_a_known_benefit_is_unknown() -> None:
    verdict = check_jobcoach(JobcoachInput())
    assert verdict.outcome is N and verdict.missing == ("uitkering",)


# --- doelgroepregister (002 r.1087, 583, 693, 1089) ---
@pytest.mark.parametrize(
    ("vso_pro", "geen_wml", "outcome", "rule"),
    [
        (True, None, W, "dr_vso_pro"),
        (True, False, W, "dr_vso_pro"),
        (False, True, W, "dr_geen_wml"),
        (None, True, W, "dr_geen_wml"),
        (False, False, M, "dr_wie"),  # neither example fits; 002 r.1087 gives examples, not the full list
        (None, None, N, "dr_wie"),
        (False, None, N, "dr_wie"),
    ],
)
def test_doelgroepregister(vso_pro, geen_wml, outcome, rule) -> None:
    verdict = check_doelgroepregister(DoelgroepregisterInput(vso_pro, geen_wml))
    assert verdict.outcome is outcome
    assert rules(verdict)[0] == rule
    # always: not automatic, UWV assesses, not a legal condition for LKS
    assert {"dr_niet_automatisch", "dr_uwv_beoordeelt", "dr_geen_wettelijke_voorwaarde"} <= set(rules(verdict))


# --- loonkostensubsidie (Participatiewet art. 10d, outside the seeds) ---
@pytest.mark.parametrize(
    ("loonwaarde", "subsidie", "totaal", "afgetopt"),
    [
        (60, 40.0, 49.4, False),  # the example: 40% of WML plus the opslag
        (30, 70.0, 86.45, False),  # exactly at the cap
        (29, 70.0, 86.45, True),  # capped at 70%
        (0, 70.0, 86.45, True),
        (99, 1.0, 1.235, False),
    ],
)
def test_loonkostensubsidie_formula(loonwaarde, subsidie, totaal, afgetopt) -> None:
    verdict = check_loonkostensubsidie(LoonkostensubsidieInput(loonwaarde_pct=loonwaarde))
    assert verdict.outcome is M
    assert verdict.figures["subsidie_pct"] == subsidie
    assert verdict.figures["totaal_pct"] == pytest.approx(totaal, abs=0.006)
    assert verdict.figures["afgetopt"] is afgetopt
    assert rules(verdict)[:2] == ["lks_formule", "lks_opslag"]
    assert verdict.decides.value == "gemeente"


def test_loonkostensubsidie_in_euros_per_month_and_year() -> None:
    verdict = check_loonkostensubsidie(LoonkostensubsidieInput(60, 32, 2000.0, "1 januari 2024"))
    assert verdict.figures["euro_per_maand"] == 988.0
    assert verdict.figures["euro_per_jaar"] == 11856.0


@pytest.mark.parametrize(("loonwaarde", "outcome"), [(100, U), (None, N)])
def test_loonkostensubsidie_without_a_difference_or_loonwaarde(loonwaarde, outcome) -> None:
    verdict = check_loonkostensubsidie(LoonkostensubsidieInput(loonwaarde_pct=loonwaarde))
    assert verdict.outcome is outcome
    assert "lks_loonwaardemeting" in rules(verdict)


# --- beschut werk (002 r.771) and no-riskpolis (002 r.693, 1089) ---
@pytest.mark.parametrize(
    ("advies", "outcome", "first", "decides"),
    [
        (UwvAdvies.positief, W, "bw_gemeente_plicht", "gemeente"),
        (UwvAdvies.niet_aangevraagd, M, "bw_zelf_aanvragen", "uwv_voor_gemeente"),
        (UwvAdvies.negatief, U, "bw_uwv_beoordeelt", "uwv_voor_gemeente"),
        (None, N, "bw_zelf_aanvragen", "uwv_voor_gemeente"),  # 002 r.771: UWV assesses for the gemeente (R69)
    ],
)
def test_beschut_werk(advies, outcome, first, decides) -> None:
    verdict = check_beschut_werk(BeschutWerkInput(advies))
    assert (verdict.outcome, rules(verdict)[0], verdict.decides.value) == (outcome, first, decides)


@pytest.mark.parametrize(
    ("register", "outcome", "rule"),
    [
        (True, W, "nr_register"),
        (False, M, "nr_breder"),
        (None, N, "nr_praktijk_voorwaarde"),
    ],
)
def test_no_riskpolis(register, outcome, rule) -> None:
    verdict = check_no_riskpolis(NoRiskpolisInput(register))
    assert verdict.outcome is outcome and rule in rules(verdict)


# --- any input in range: a verdict with at least one reason, never an exception ---
maybe_bool = st.none() | st.booleans()
INPUTS = {
    "jobcoach": st.builds(
        JobcoachInput,
        st.none() | st.sampled_from(Uitkering),
        st.none() | st.integers(0, 1200),
        st.none() | st.floats(0, 80),
        st.none() | st.floats(0, 100),
        maybe_bool,
        maybe_bool,
    ),
    "doelgroepregister": st.builds(DoelgroepregisterInput, maybe_bool, maybe_bool),
    "loonkostensubsidie": st.builds(
        LoonkostensubsidieInput,
        st.none() | st.floats(0, 100),
        st.none() | st.floats(0, 80),
        st.none() | st.floats(0, 10000),
        st.none() | st.text(max_size=20),
    ),
    "beschut_werk": st.builds(BeschutWerkInput, st.none() | st.sampled_from(UwvAdvies)),
    "no_riskpolis": st.builds(NoRiskpolisInput, maybe_bool),
}
KB = kennisbank.load()


@pytest.mark.parametrize("check", sorted(CHECKS))
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_any_input_gives_a_sourced_verdict(check: str, data) -> None:
    value = data.draw(INPUTS[check])
    verdict = CHECKS[check][1](value)
    assert verdict.check == check
    assert 2 <= len(verdict.reasons), "a verdict explains itself with at least two reasons (2-4 are shown)"
    assert verdict.next_steps
    assert set(verdict.missing) <= {f.name for f in fields(CHECKS[check][0])}
    assert verdict.outcome is not N or verdict.missing, "onbekend must say what is missing"
    text = render_verdict(verdict, None, KB)
    assert "Bron: " in text and "Stand: " in text and "Traceback" not in text


# --- every reason cites a source the kennisbank tests also verify ---
@pytest.mark.parametrize("name", sorted(P.rules))
def test_every_rule_source_occurs_at_its_lines(name: str, seeds_dir: Path) -> None:
    rule = P.rules[name]
    assert rule.source.doc in KB.documents, f"{name}: unknown document {rule.source.doc}"
    problem = anchor_problem(KB, rule.source, seeds_dir)
    assert problem is None, f"rule {name}: {problem}"


def test_every_rule_and_step_has_wording_without_je_or_u() -> None:
    w = wording()
    used_steps = {"zoek_uitkering_op", "zoek_contract_op", "praat_met_medewerker"}
    assert set(P.rules) == set(w.sections["reasons"]), "rules in parameters.yml and reasons in checks.yml differ"
    assert used_steps <= set(w.sections["steps"])
    for section in ("reasons", "steps", "outcomes", "decides", "missing"):
        for key, text in w.sections[section].items():
            assert not re.search(r"\b(je|jij|jouw|u|uw)\b", text, re.IGNORECASE), f"{section}.{key}: {text}"


def test_amounts_in_parameters_carry_a_date_and_a_source() -> None:
    for name, parameter in P.parameters.items():
        assert re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", parameter.as_of), name
        assert parameter.source.doc in KB.documents, name


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"parameters": {}}, "exactly two sections"),
        ({"parameters": {"x": {"value": 1}}, "rules": {}}, "missing"),
        ({"parameters": {}, "rules": {"r": {"param": "nope"}}}, "unknown parameter"),
        (
            {"parameters": {}, "rules": {"r": {"as_of": "2017", "authority": "gerucht", "source": {"doc": "001"}}}},
            "unknown authority",
        ),
        (
            {
                "parameters": {},
                "rules": {"r": {"as_of": "2017", "authority": "wet", "source": {"doc": "001", "lines": "elf"}}},
            },
            "lines must look like",
        ),
        (
            {
                "parameters": {},
                "rules": {"r": {"as_of": "2017", "authority": "wet", "source": {"doc": "001"}, "also": []}},
            },
            "also needs a non-empty list",
        ),
        (
            {
                "parameters": {},
                "rules": {
                    "r": {"as_of": "2017", "authority": "wet", "source": {"doc": "001"}, "also": [{"lines": "1"}]}
                },
            },
            "source needs doc",
        ),
    ],
)
def test_malformed_parameters_fail_loudly(raw, message) -> None:
    with pytest.raises(ParameterError, match=message):
        parse(raw)


def test_a_rules_also_sources_reach_the_reason_and_the_verdicts_bron_line() -> None:
    # a parameter's also (the tariff's date, footnote 2) and a rule's own also (the terms its reason explains)
    assert [(s.doc, s.lines) for s in P.parameters["uwv_uurtarief_externe_jobcoach"].also] == [("001", "335")]
    lks = P.reason("jc_gemeente_lks")
    assert lks.source.lines == "363" and [(s.doc, s.lines) for s in lks.also] == [
        ("001", "279"),
        ("002", "1071"),
        ("001", "770"),
        ("003", "12"),
    ]
    verdict = check_jobcoach(JobcoachInput(Uitkering.bijstand, loonkostensubsidie=True, uren_per_week=32))
    bron = next(line for line in render_verdict(verdict, None, KB).splitlines() if line.startswith("Bron:"))
    assert "r. 363" in bron and "r. 279" in bron, bron
    assert "r. 1071" in bron, bron
