"""The domain vocabulary, defined once: who the user is, what benefit they have, how a fact is sourced and dated.

It lives in the lowest domain package, so the rules (``eligibility``), the content (``kennisbank``), the actions
and the handoff all import the same objects. Pure Python and pydantic, no Rasa.
"""

from __future__ import annotations

import re
from enum import Enum
from typing import Any, Dict, Tuple

from pydantic import BaseModel, Extra, root_validator, validator

#: An anchor quotes at most this many words of its source lines.
ANCHOR_MAX_WORDS = 12


class Audience(str, Enum):
    """Who the user is: the values of the ``audience`` slot in domain.yml (a test checks)."""

    werkzoekende = "werkzoekende"
    werkgever = "werkgever"
    ouder = "ouder"
    clientenraad = "clientenraad"


#: The role of an ``audience`` entity that makes an audience likely, not certain ("onze gemeente": a cliëntenraad
#: member). It fills no slot by itself; the actions use it while the audience is unknown.
LIKELY_ROLE = "vermoedelijk"

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


class Kind(str, Enum):
    """What kind of statement one cited source carries (issue 18's content rules; kennisbank/README.md)."""

    wet = "wet"  # law or regulation, or a text reporting what the law says
    uwv_2017 = "uwv-2017"  # UWV practice in the 2017 handreiking: every sentence stating it says 2017
    regio = "regio"  # practice in one region (needs region, year): the text names it, never as a rule everywhere
    advies = "advies"  # advice or advocacy (needs who): the text names who advises
    onderzoek = "onderzoek"  # a study's finding (needs who, year): the text names the study and year
    regels = "regels"  # the own rules of an organisation that makes no law (needs who, year): Noloc's requirements
    beschrijving = "beschrijving"  # a plain description of what an instrument is: no rule, no number
    buiten = "buiten"  # an outside source in bronnen.yml (named, dated, no seed file)


#: The extra fields each kind requires; no other kind may carry them (``year`` is optional for ``advies``).
KIND_REQUIRES: Dict[Kind, Tuple[str, ...]] = {
    Kind.regio: ("region", "year"),
    Kind.advies: ("who",),
    Kind.onderzoek: ("who", "year"),
    Kind.regels: ("who", "year"),
}
_KIND_ALLOWS: Dict[str, Tuple[Kind, ...]] = {
    "region": (Kind.regio,),
    "who": (Kind.advies, Kind.onderzoek, Kind.regels, Kind.buiten),
    "year": (Kind.regio, Kind.advies, Kind.onderzoek, Kind.regels),
}


class Source(BaseModel):
    """Where a fact comes from: a document in kennisbank/bronnen.yml, with lines and an anchor for a seed file.

    ``kind`` says what kind of statement the cited lines carry; the kennisbank loader requires it on every
    article source."""

    class Config:
        extra = Extra.forbid
        allow_mutation = False

    doc: str
    lines: str | None = None  # "229" or "247-252"; required for seeds
    anchor: str | None = None  # <= 12 words occurring at those lines
    section: str | None = None  # e.g. "artikel 10d", shown instead of the lines
    kind: Kind | None = None
    region: str | None = None  # regio: the place as the answer text writes it
    who: str | None = None  # advies, onderzoek, regels (buiten: optional): the organisation as the text names it
    year: str | None = None  # regio, onderzoek, regels (advies: optional): "YYYY"

    @validator("year")
    def _year_format(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"(19|20)\d{2}", value):
            raise ValueError(f"year must look like '2021', not {value!r}")
        return value

    @validator("region", "who")
    def _not_blank(cls, value: str | None) -> str | None:
        if value is not None and not value.strip():
            raise ValueError("must not be empty")
        return value

    @root_validator(skip_on_failure=True)
    def _fields_fit_kind(cls, values: Dict[str, Any]) -> Dict[str, Any]:
        kind: Kind | None = values.get("kind")
        if kind is not None:
            for field in KIND_REQUIRES.get(kind, ()):
                if values.get(field) is None:
                    raise ValueError(f"kind {kind.value} needs {field}")
        for field, kinds in _KIND_ALLOWS.items():
            if values.get(field) is not None and kind not in kinds:
                raise ValueError(f"{field} belongs only to kind {' or '.join(k.value for k in kinds)}")
        return values

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
