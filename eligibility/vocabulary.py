"""The domain vocabulary, defined once: who the user is, what benefit they have, how a fact is sourced and dated.

It lives in the lowest domain package, so the rules (``eligibility``), the content (``kennisbank``), the actions
and the handoff all import the same objects. Pure Python and pydantic, no Rasa.
"""

from __future__ import annotations

import re
from enum import Enum
from typing import Dict, Tuple

from pydantic import BaseModel, Extra, validator

#: An anchor quotes at most this many words of its source lines.
ANCHOR_MAX_WORDS = 12


class Audience(str, Enum):
    """Who the user is: the values of the ``audience`` slot in domain.yml (a test checks)."""

    werkzoekende = "werkzoekende"
    werkgever = "werkgever"
    ouder = "ouder"
    clientenraad = "clientenraad"


#: How each audience is addressed: "je" for job seekers and parents, "u" for
#: employers and cliëntenraad members. Unknown audience: "je" (the widget's public).
ADDRESS: Dict[Audience | None, str] = {
    None: "je",
    Audience.werkzoekende: "je",
    Audience.ouder: "je",
    Audience.werkgever: "u",
    Audience.clientenraad: "u",
}


class Uitkering(str, Enum):
    """The user's benefit: it decides the route (UWV or gemeente) for a jobcoach."""

    wajong = "wajong"
    ww = "ww"
    wia = "wia"  # WIA, WGA or IVA
    ziektewet = "ziektewet"
    bijstand = "bijstand"  # Participatiewet
    geen = "geen"

    @property
    def via_uwv(self) -> bool:
        return self in {Uitkering.wajong, Uitkering.ww, Uitkering.wia, Uitkering.ziektewet}

    @property
    def naam(self) -> str:
        """How a message names the benefit: 'WW', 'Wajong', 'bijstand'."""
        return _UITKERING_NAMEN[self]


_UITKERING_NAMEN = {
    Uitkering.wajong: "Wajong",
    Uitkering.ww: "WW",
    Uitkering.wia: "WIA",
    Uitkering.ziektewet: "Ziektewet",
    Uitkering.bijstand: "bijstand",
    Uitkering.geen: "geen",
}


class Authority(str, Enum):
    """What kind of fact a kennisbank article or eligibility rule states."""

    wet = "wet"  # law as described in a seed
    uwv_2017 = "uwv-2017"  # UWV practice as described in 2017; protocols since replaced
    gemeente = "gemeente"  # differs per gemeente (verordening)
    lokaal = "lokaal"  # a local example, never a general right
    advies = "advies"  # advocacy or authors' advice
    beschrijving = "beschrijving"  # description or research in a seed
    buiten = "buiten"  # outside the seeds: needs a named, dated source


class Source(BaseModel):
    """Where a fact comes from: a document in kennisbank/bronnen.yml, with lines and an anchor for a seed file."""

    class Config:
        extra = Extra.forbid
        allow_mutation = False

    doc: str
    lines: str | None = None  # "229" or "247-252"; required for seeds
    anchor: str | None = None  # <= 12 words occurring at those lines
    section: str | None = None  # e.g. "artikel 10d", shown instead of the lines

    @validator("lines")
    def _lines_format(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"\d+(-\d+)?", value):
            raise ValueError(f"lines must look like '229' or '247-252', not {value!r}")
        return value

    @validator("anchor")
    def _anchor_length(cls, value: str | None) -> str | None:
        if value is not None and not 1 <= len(value.split()) <= ANCHOR_MAX_WORDS:
            raise ValueError(f"anchor must have 1 to {ANCHOR_MAX_WORDS} words")
        return value

    def line_range(self) -> Tuple[int, int]:
        assert self.lines is not None
        first, _, last = self.lines.partition("-")
        return int(first), int(last or first)
