"""Typed inputs and the verdict. ``None`` always means: the user does not know, or it was not asked.

The shared terms (``Uitkering``, ``Source``, ``Authority``) are defined in :mod:`eligibility.vocabulary`."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Mapping

from eligibility.vocabulary import Authority, Source, Uitkering


class Outcome(str, Enum):
    waarschijnlijk = "waarschijnlijk"
    mogelijk = "mogelijk"
    onwaarschijnlijk = "onwaarschijnlijk"
    onbekend = "onbekend"  # information is missing


class Beslisser(str, Enum):
    """Who decides: the verdict never promises a right."""

    uwv = "uwv"
    gemeente = "gemeente"
    uwv_of_gemeente = "uwv_of_gemeente"
    niet_bekend = "niet_bekend"  # the sources name no one (the no-riskpolis: 002 r.693, 840)
    uwv_voor_gemeente = "uwv_voor_gemeente"  # UWV assesses on the gemeente's behalf: beschut werk (002 r.771)
    uwv_volgens_capel = "uwv_volgens_capel"  # only R. Capel (2024, advocacy) describes it: the doelgroepregister


class UwvAdvies(str, Enum):
    """State of UWV's assessment for beschut werk."""

    positief = "positief"
    negatief = "negatief"
    niet_aangevraagd = "niet_aangevraagd"


@dataclass(frozen=True)
class Reason:
    """One step of the reasoning. ``rule`` names the text in kennisbank/checks.yml."""

    rule: str
    source: Source
    as_of: str
    authority: Authority
    values: Mapping[str, object] = field(default_factory=dict)
    also: tuple[Source, ...] = ()  # further lines its wording rests on (parameters.yml ``also``)


@dataclass(frozen=True)
class Verdict:
    check: str
    outcome: Outcome
    reasons: tuple[Reason, ...]
    decides: Beslisser
    missing: tuple[str, ...] = ()  # input field names
    next_steps: tuple[str, ...] = ()  # step ids, worded in kennisbank/checks.yml
    figures: Mapping[str, object] = field(default_factory=dict)  # computed numbers, e.g. coaching hours


@dataclass(frozen=True)
class JobcoachInput:
    uitkering: Uitkering | None = None
    contract_maanden: float | None = None  # None: unknown; 3 weeks is 0.7; a permanent contract is 999
    uren_per_week: float | None = None
    loonwaarde_pct: float | None = None
    schriftelijk_contract: bool | None = None  # False for a 0-urencontract or no written contract
    loonkostensubsidie: bool | None = None  # gemeente route: works with LKS


@dataclass(frozen=True)
class DoelgroepregisterInput:
    vso_pro_schoolverlater: bool | None = None
    kan_geen_wml_verdienen: bool | None = None  # cannot earn the minimum wage on their own, due to a disability


@dataclass(frozen=True)
class LoonkostensubsidieInput:
    loonwaarde_pct: float | None = None
    uren_per_week: float | None = None  # shown only; the euro amount uses wml_bedrag for this job
    wml_bedrag: float | None = None  # minimum wage per month for this job, in euro
    wml_datum: str | None = None  # the date of that amount, as the user gave it


@dataclass(frozen=True)
class BeschutWerkInput:
    uwv_advies: UwvAdvies | None = None


@dataclass(frozen=True)
class NoRiskpolisInput:
    in_doelgroepregister: bool | None = None
