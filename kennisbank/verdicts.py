"""Render an eligibility verdict as a short Dutch message, with the wording from kennisbank/checks.yml.

Shape: a verdict line and who decides, 2–4 "Waarom" bullets, "Wat kun je nu doen" (or "u"), then
the source line and the date of the reasons shown, as for kennisbank articles.

A text in checks.yml is one line, except a literal block (``|-``): each of its lines stays a line, so a
reason can hold a small table (one number per line); the lines after the first are indented under the bullet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Dict, List

import jinja2
import yaml

from eligibility import Beslisser, Verdict
from eligibility.vocabulary import ADDRESS, Audience, Kind, Uitkering
from kennisbank.loader import KENNISBANK_DIR, Kennisbank
from kennisbank.render import format_as_of, sources_text

CHECKS_FILE = KENNISBANK_DIR / "checks.yml"
MAX_REASONS = 4
SECTIONS = ("checks", "outcomes", "decides", "missing", "reasons", "steps")


def getal(value: Any) -> str:
    """Dutch notation: 2.4 -> '2,4', 2000 -> '2.000', 7.50 -> '7,5'."""
    number = float(value)
    if number.is_integer():
        return f"{int(number):,}".replace(",", ".")
    return f"{number:,.2f}".rstrip("0").replace(",", "_").replace(".", ",").replace("_", ".")


def afgerond(value: Any) -> str:
    """A whole number for a B1 reader (review R41): 16.45 -> 'ongeveer 16', 70 -> '70'."""
    number = float(value)
    whole = round(number)
    return getal(whole) if whole == number else f"ongeveer {getal(whole)}"


def tijd(hours: Any) -> str:
    """Hours per week a reader can picture (review R41): 0.72 -> 'ongeveer 43 minuten', 2.4 -> '2,4 uur',
    1.44 -> 'ongeveer 1,4 uur', 3 -> '3 uur'."""
    number = float(hours)
    if number < 1:
        minutes = number * 60
        return f"{'' if minutes == round(minutes) else 'ongeveer '}{round(minutes)} minuten"
    tenth = round(number, 1)
    return f"{'' if tenth == number else 'ongeveer '}{getal(tenth)} uur"


def maanden(value: Any) -> str:
    """A contract length a reader can picture (review R83: "0 maanden" for a contract of 3 weeks): 0.7 -> 'minder dan
    een maand', 1 -> '1 maand', 6 -> '6 maanden', 2.3 -> 'ongeveer 2,3 maanden'."""
    number = float(value)
    if number < 1:
        return "minder dan een maand"
    tenth = round(number, 1)
    return f"{'' if tenth == number else 'ongeveer '}{getal(tenth)} {'maand' if tenth == 1 else 'maanden'}"


def euro(value: Any) -> str:
    return "€ " + f"{float(value):,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")


def uitkering_naam(value: Any) -> str:
    """The name of a benefit in a message ('ww' -> 'WW'); any other value as it is."""
    try:
        return Uitkering(str(value)).naam
    except ValueError:
        return str(value)


@dataclass(frozen=True)
class Wording:
    sections: Dict[str, Dict[str, str]]

    @classmethod
    def load(cls, path: Path = CHECKS_FILE) -> Wording:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not isinstance(raw, dict) or set(raw) != set(SECTIONS):
            raise ValueError(f"{path}: needs exactly the sections {SECTIONS}")
        return cls({name: {str(k): _tidy(str(v)) for k, v in raw[name].items()} for name in SECTIONS})

    def text(self, section: str, key: str, **values: Any) -> str:
        template = _environment().from_string(self.sections[section][key])
        return _tidy(template.render(**values))


def _tidy(text: str) -> str:
    """Single spaces within each line; no empty lines."""
    return "\n".join(" ".join(line.split()) for line in text.splitlines() if line.strip())


def _new_sentences(text: str, seen: set[str]) -> str:
    """The text without the sentences an earlier reason of the same verdict already showed (two reasons may
    explain the same term); each line of a small table stays a line."""
    lines = []
    for line in text.split("\n"):
        parts = [part for part in re.split(r"(?<=[.?!])\s+", line) if part]
        kept = [part for part in parts if part not in seen]
        seen.update(parts)
        if kept:
            lines.append(" ".join(kept))
    return "\n".join(lines)


def _bullet(text: str) -> str:
    """'- first line', and the other lines of a small table indented under it."""
    first, *rest = text.split("\n")
    return "\n".join([f"- {first}", *(f"  {line}" for line in rest)])


#: The filters the verdict texts may use (kennisbank/checks.yml): "{{ uren | getal }}", "{{ maanden | maanden }}".
FILTERS: Dict[str, Callable[[Any], str]] = {
    "getal": getal,
    "afgerond": afgerond,
    "tijd": tijd,
    "maanden": maanden,
    "euro": euro,
    "uitkering": uitkering_naam,
}


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False)  # noqa: S701 plain chat text
    env.filters.update(FILTERS)
    return env


@lru_cache(maxsize=1)
def wording() -> Wording:
    return Wording.load()


def render_verdict(verdict: Verdict, audience: Audience | None, kb: Kennisbank) -> str:
    w = wording()
    formal = ADDRESS.get(audience) == "u"
    dated = f"{verdict.check}_uwv_2017"
    # only when UWV alone decides (review R45: with the benefit unknown, "UWV of de gemeente" decides)
    uwv_2017 = (
        verdict.decides is Beslisser.uwv and bool(verdict.reasons) and verdict.reasons[0].source.kind is Kind.uwv_2017
    )
    check = w.text("checks", dated if uwv_2017 and dated in w.sections["checks"] else verdict.check)
    lines: List[str] = [w.text("outcomes", verdict.outcome.value, check=check)]
    lines.append(w.text("decides", verdict.decides.value))
    shown = verdict.reasons[:MAX_REASONS]
    lines.append("Waarom:")
    seen: set[str] = set()
    reasons = (_new_sentences(w.text("reasons", r.rule, **r.values), seen) for r in shown)
    lines += [_bullet(text) for text in reasons if text]
    if verdict.missing:
        lines.append("Nog onbekend: " + "; ".join(w.text("missing", m) for m in verdict.missing) + ".")
    figures = verdict.figures
    if "euro_per_maand" in figures:
        datum = f" (stand {figures['wml_datum']})" if figures.get("wml_datum") else ""
        lines.append(
            f"Met een minimumloon van {euro(figures['wml_bedrag'])} per maand{datum}: ongeveer "
            f"{euro(figures['euro_per_maand'])} per maand, {euro(figures['euro_per_jaar'])} per jaar."
        )
    lines.append("Wat kunt u nu doen?" if formal else "Wat kun je nu doen?")
    lines += [_bullet(w.text("steps", step)) for step in verdict.next_steps]
    lines.append(sources_text(kb, [source for r in shown for source in (r.source, *r.also)]))
    dates = dict.fromkeys(format_as_of(r.as_of) for r in shown)
    lines.append("Stand: " + ", ".join(dates))
    return "\n".join(lines)
