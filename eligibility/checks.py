"""The five checks. Reasons come in order of importance: the first ones explain the outcome."""

from __future__ import annotations

from typing import Any, Callable, Mapping

from eligibility.model import (
    BeschutWerkInput,
    Beslisser,
    DoelgroepregisterInput,
    JobcoachInput,
    LoonkostensubsidieInput,
    NoRiskpolisInput,
    Outcome,
    Reason,
    UwvAdvies,
    Verdict,
)
from eligibility.parameters import Parameters, load_parameters
from eligibility.vocabulary import Uitkering


def _missing(data: object, *names: str) -> tuple[str, ...]:
    return tuple(name for name in names if getattr(data, name) is None)


def coaching_hours(uren_per_week: float, percentages: Mapping[Any, float]) -> dict[int, float]:
    """Maximum coaching hours per week for each year, from the share of the working time."""
    return {int(year): round(uren_per_week * float(pct) / 100, 2) for year, pct in sorted(percentages.items())}


def check_jobcoach(data: JobcoachInput, params: Parameters | None = None) -> Verdict:
    p = params or load_parameters()
    if data.uitkering is None:
        return Verdict(
            check="jobcoach",
            outcome=Outcome.onbekend,
            reasons=(
                p.reason("jc_route_onbekend"),
                p.reason("jc_route_participatiewet"),
                p.reason("jc_gemeente_aanvraagrecht"),
            ),
            decides=Beslisser.uwv_of_gemeente,
            missing=("uitkering",),
            next_steps=("zoek_uitkering_op", "praat_met_medewerker"),
        )
    if data.uitkering.via_uwv:
        return _jobcoach_uwv(data, p)
    return _jobcoach_gemeente(data, p)


#: The next steps on the UWV route, per outcome.
UWV_STEPS: dict[Outcome, tuple[str, ...]] = {
    Outcome.waarschijnlijk: ("vraag_uwv_jobcoach",),
    Outcome.mogelijk: ("vraag_uwv_uitzondering", "vraag_uwv_jobcoach"),
    Outcome.onwaarschijnlijk: ("vraag_uwv_jobcoach_toch", "praat_met_medewerker"),
    Outcome.onbekend: ("zoek_contract_op", "praat_met_medewerker"),
}


def _uwv_conditions(data: JobcoachInput, p: Parameters) -> tuple[list[Reason], bool]:
    """(the failed UWV conditions as reasons, in order; whether a known value needs the exception).

    Below the minimum hours or loonwaarde but at least the exception's (8 hours, 20 %), UWV may still grant a
    jobcoach: that is the exception, not a failure. Unknown values neither fail nor need the exception.
    """
    min_maanden, min_uren = p["uwv_min_contract_maanden"], p["uwv_min_uren_per_week"]
    min_lw = p["uwv_min_loonwaarde_pct"]
    ex_uren, ex_lw = p["uwv_uitzondering_min_uren_per_week"], p["uwv_uitzondering_min_loonwaarde_pct"]
    failed: list[Reason] = []
    exception = False
    if data.schriftelijk_contract is False:
        failed.append(p.reason("jc_uwv_schriftelijk"))
    if data.contract_maanden is not None and data.contract_maanden < min_maanden:
        failed.append(p.reason("jc_uwv_contract", maanden=data.contract_maanden, minimum=min_maanden))
    if data.uren_per_week is not None:
        if data.uren_per_week < ex_uren:
            failed.append(p.reason("jc_uwv_uren", uren=data.uren_per_week, minimum=min_uren, uitzondering=ex_uren))
        elif data.uren_per_week < min_uren:
            exception = True
    if data.loonwaarde_pct is not None:
        if data.loonwaarde_pct < ex_lw:
            failed.append(
                p.reason("jc_uwv_loonwaarde", loonwaarde=data.loonwaarde_pct, minimum=min_lw, uitzondering=ex_lw)
            )
        elif data.loonwaarde_pct < min_lw:
            exception = True
    return failed, exception


def _uwv_outcome(failed: bool, missing: bool, exception: bool) -> Outcome:
    """A failed condition decides; then a missing fact; then the exception."""
    if failed:
        return Outcome.onwaarschijnlijk
    if missing:
        return Outcome.onbekend
    if exception:
        return Outcome.mogelijk
    return Outcome.waarschijnlijk


def _jobcoach_uwv(data: JobcoachInput, p: Parameters) -> Verdict:
    min_maanden, min_uren = p["uwv_min_contract_maanden"], p["uwv_min_uren_per_week"]
    min_lw = p["uwv_min_loonwaarde_pct"]
    failed, exception = _uwv_conditions(data, p)
    missing = _missing(data, "contract_maanden", "schriftelijk_contract", "uren_per_week", "loonwaarde_pct")
    outcome = _uwv_outcome(bool(failed), bool(missing), exception)

    reasons: list[Reason] = [*failed]
    if exception and not failed:
        reasons.append(
            p.reason(
                "jc_uwv_uitzondering",
                uren=data.uren_per_week,
                loonwaarde=data.loonwaarde_pct,
                ex_uren=p["uwv_uitzondering_min_uren_per_week"],
                ex_loonwaarde=p["uwv_uitzondering_min_loonwaarde_pct"],
                minimum_uren=min_uren,
                minimum_loonwaarde=min_lw,
                termijn=p["uwv_uitzondering_termijn_maanden"],
            )
        )
    if outcome is Outcome.waarschijnlijk:
        reasons.append(p.reason("jc_uwv_voorwaarden", maanden=min_maanden, uren=min_uren, loonwaarde=min_lw))
    if outcome is Outcome.onbekend:
        reasons.append(p.reason("jc_uwv_nog_onbekend", maanden=min_maanden, uren=min_uren, loonwaarde=min_lw))
    reasons.append(p.reason("jc_route_uwv", uitkering=data.uitkering.value if data.uitkering else None))
    if data.uitkering is Uitkering.wajong:
        reasons.append(p.reason("jc_wajong_2015"))

    figures: dict[str, object] = {}
    if data.uren_per_week and outcome is not Outcome.onwaarschijnlijk:
        figures["coaching_uren"] = coaching_hours(data.uren_per_week, p["uwv_coaching_pct_per_jaar"])
        figures["coaching_uren_uitzondering"] = coaching_hours(
            data.uren_per_week, p["uwv_coaching_pct_per_jaar_uitzondering"]
        )
        reasons.append(
            p.reason(
                "jc_uwv_coachingsuren",
                uren=data.uren_per_week,
                percentages=dict(p["uwv_coaching_pct_per_jaar"]),
                per_jaar=figures["coaching_uren"],
                per_jaar_uitzondering=figures["coaching_uren_uitzondering"],
            )
        )
    if outcome in (Outcome.waarschijnlijk, Outcome.mogelijk):
        reasons.append(p.reason("jc_uwv_duur", jaar=p["uwv_max_duur_jaar"], maanden=p["uwv_herbeoordeling_maanden"]))
    return Verdict("jobcoach", outcome, tuple(reasons), Beslisser.uwv, missing, UWV_STEPS[outcome], figures)


def _jobcoach_gemeente(data: JobcoachInput, p: Parameters) -> Verdict:
    """The gemeente *can* give a jobcoach, within its verordening: "mogelijk", with or without loonkostensubsidie.

    With loonkostensubsidie a jobcoach is "in principe" possible, within the gemeente's rules (001 r.363); not
    everyone who needs support can claim one (002 r.755). Without a benefit, someone who fell ill while employed
    could go to UWV in 2017 (001 r.217), so UWV or the gemeente decides.
    """
    reasons: list[Reason] = []
    if data.loonkostensubsidie:
        reasons.append(p.reason("jc_gemeente_lks"))
    reasons.append(p.reason("jc_route_gemeente", uitkering=data.uitkering.value if data.uitkering else None))
    zonder_uitkering = data.uitkering is Uitkering.geen
    if zonder_uitkering:
        reasons.append(p.reason("jc_route_ziek_tijdens_werk"))
    local_hours = p["gemeente_voorbeeld_min_uren_per_week"]
    # the regions' example is about people with loonkostensubsidie (001 r.299): not shown to someone without it
    if data.loonkostensubsidie is not False and data.uren_per_week is not None and data.uren_per_week < local_hours:
        reasons.append(p.reason("jc_gemeente_lokale_uren", uren=data.uren_per_week, voorbeeld=local_hours))
    reasons.append(p.reason("jc_gemeente_aanvraagrecht"))
    missing = _missing(data, "loonkostensubsidie", "uren_per_week")
    steps = ("vraag_gemeente_jobcoach", "vraag_gemeente_verordening")
    return Verdict(
        "jobcoach",
        Outcome.mogelijk,
        tuple(reasons),
        Beslisser.uwv_of_gemeente if zonder_uitkering else Beslisser.gemeente,
        missing,
        (*steps, "vraag_uwv_bij_ziekte") if zonder_uitkering else steps,
    )


def check_doelgroepregister(data: DoelgroepregisterInput, params: Parameters | None = None) -> Verdict:
    p = params or load_parameters()
    reasons: list[Reason] = []
    if data.vso_pro_schoolverlater:
        reasons.append(p.reason("dr_vso_pro"))
        outcome = Outcome.waarschijnlijk
    elif data.kan_geen_wml_verdienen:
        reasons.append(p.reason("dr_geen_wml"))
        outcome = Outcome.waarschijnlijk
    elif data.vso_pro_schoolverlater is False and data.kan_geen_wml_verdienen is False:
        # 002 r.1087 gives examples ("bijvoorbeeld"), not the full list: neither example fits, UWV assesses
        reasons.append(p.reason("dr_wie"))
        outcome = Outcome.mogelijk
    else:
        reasons.append(p.reason("dr_wie"))
        outcome = Outcome.onbekend
    always = ("dr_niet_automatisch", "dr_uwv_beoordeelt", "dr_geen_wettelijke_voorwaarde")
    reasons += [p.reason(rule) for rule in always]
    missing = (
        () if outcome is Outcome.waarschijnlijk else _missing(data, "vso_pro_schoolverlater", "kan_geen_wml_verdienen")
    )
    steps = {
        Outcome.waarschijnlijk: ("vraag_uwv_doelgroepregister",),
        Outcome.mogelijk: ("vraag_uwv_doelgroepregister", "vraag_gemeente_ondersteuning"),
        Outcome.onbekend: ("vraag_uwv_doelgroepregister", "praat_met_medewerker"),
    }[outcome]
    # who decides rests only on Capel's description (002 r.1339, advocacy): said as his (review R59 F4)
    return Verdict("doelgroepregister", outcome, tuple(reasons), Beslisser.uwv_volgens_capel, missing, steps)


def check_loonkostensubsidie(data: LoonkostensubsidieInput, params: Parameters | None = None) -> Verdict:
    p = params or load_parameters()
    if data.loonwaarde_pct is None:
        return Verdict(
            "loonkostensubsidie",
            Outcome.onbekend,
            (p.reason("lks_loonwaardemeting"), p.reason("lks_doelgroep_breder")),
            Beslisser.gemeente,
            ("loonwaarde_pct",),
            ("vraag_gemeente_loonwaardemeting", "praat_met_medewerker"),
        )
    loonwaarde = min(max(float(data.loonwaarde_pct), 0.0), 100.0)
    cap, opslag = float(p["lks_max_pct_wml"]), float(p["lks_opslag_werkgeverslasten_pct"])
    verschil = round(100.0 - loonwaarde, 2)
    if verschil <= 0:
        return Verdict(
            "loonkostensubsidie",
            Outcome.onwaarschijnlijk,
            (p.reason("lks_geen_subsidie", loonwaarde=loonwaarde), p.reason("lks_loonwaardemeting")),
            Beslisser.gemeente,
            (),
            ("vraag_gemeente_loonwaardemeting",),
            {"subsidie_pct": 0.0, "totaal_pct": 0.0},
        )
    subsidie = min(verschil, cap)
    opslag_pct = round(subsidie * opslag / 100, 2)
    totaal = round(subsidie + opslag_pct, 2)
    figures: dict[str, object] = {
        "loonwaarde_pct": loonwaarde,
        "verschil_pct": verschil,
        "subsidie_pct": subsidie,
        "afgetopt": verschil > cap,
        "opslag_pct": opslag_pct,
        "totaal_pct": totaal,
    }
    if data.uren_per_week is not None:
        figures["uren_per_week"] = data.uren_per_week
    if data.wml_bedrag is not None and data.wml_bedrag > 0:
        per_maand = round(data.wml_bedrag * totaal / 100, 2)
        figures.update(
            wml_bedrag=data.wml_bedrag,
            wml_datum=data.wml_datum,
            euro_per_maand=per_maand,
            euro_per_jaar=round(per_maand * 12, 2),
        )
    reasons = (
        p.reason(
            "lks_formule",
            loonwaarde=loonwaarde,
            verschil=verschil,
            subsidie=subsidie,
            maximum=cap,
            afgetopt=verschil > cap,
        ),
        p.reason("lks_opslag", opslag=opslag, opslag_pct=opslag_pct, totaal=totaal),
        p.reason("lks_loonwaardemeting"),
        p.reason("lks_doelgroep_breder"),
    )
    return Verdict(
        "loonkostensubsidie",
        Outcome.mogelijk,
        reasons,
        Beslisser.gemeente,
        (),
        ("vraag_gemeente_loonwaardemeting",),
        figures,
    )


def check_beschut_werk(data: BeschutWerkInput, params: Parameters | None = None) -> Verdict:
    p = params or load_parameters()
    if data.uwv_advies is UwvAdvies.positief:
        return Verdict(
            "beschut_werk",
            Outcome.waarschijnlijk,
            (p.reason("bw_gemeente_plicht"), p.reason("bw_uwv_beoordeelt")),
            Beslisser.gemeente,
            (),
            ("vraag_gemeente_beschut_plek",),
        )
    if data.uwv_advies is UwvAdvies.negatief:
        return Verdict(
            "beschut_werk",
            Outcome.onwaarschijnlijk,
            (p.reason("bw_uwv_beoordeelt"), p.reason("bw_gemeente_plicht")),
            Beslisser.uwv_voor_gemeente,
            (),
            ("vraag_gemeente_ondersteuning", "praat_met_medewerker"),
        )
    outcome = Outcome.mogelijk if data.uwv_advies is UwvAdvies.niet_aangevraagd else Outcome.onbekend
    return Verdict(
        "beschut_werk",
        outcome,
        (p.reason("bw_zelf_aanvragen"), p.reason("bw_uwv_beoordeelt"), p.reason("bw_gemeente_plicht")),
        Beslisser.uwv_voor_gemeente,
        _missing(data, "uwv_advies"),
        ("vraag_uwv_beschut_beoordeling",),
    )


def check_no_riskpolis(data: NoRiskpolisInput, params: Parameters | None = None) -> Verdict:
    p = params or load_parameters()
    if data.in_doelgroepregister:
        return Verdict(
            "no_riskpolis",
            Outcome.waarschijnlijk,
            (p.reason("nr_register"), p.reason("nr_breder")),
            Beslisser.niet_bekend,
            (),
            ("vraag_noriskpolis_voorwaarden",),
        )
    if data.in_doelgroepregister is False:
        return Verdict(
            "no_riskpolis",
            Outcome.mogelijk,
            (p.reason("nr_breder"), p.reason("nr_praktijk_voorwaarde")),
            Beslisser.niet_bekend,
            (),
            ("vraag_noriskpolis_voorwaarden", "praat_met_medewerker"),
        )
    return Verdict(
        "no_riskpolis",
        Outcome.onbekend,
        (p.reason("nr_register"), p.reason("nr_praktijk_voorwaarde")),
        Beslisser.niet_bekend,
        ("in_doelgroepregister",),
        ("vraag_werknemer_register", "vraag_noriskpolis_voorwaarden"),
    )


#: check name -> (input type, function)
CHECKS: dict[str, tuple[type, Callable[..., Verdict]]] = {
    "jobcoach": (JobcoachInput, check_jobcoach),
    "doelgroepregister": (DoelgroepregisterInput, check_doelgroepregister),
    "loonkostensubsidie": (LoonkostensubsidieInput, check_loonkostensubsidie),
    "beschut_werk": (BeschutWerkInput, check_beschut_werk),
    "no_riskpolis": (NoRiskpolisInput, check_no_riskpolis),
}
