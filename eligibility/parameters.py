"""Load parameters.yml: every threshold with its value, unit, source, date and authority.

A parameter or rule has one ``source``: the line that carries the rule or value, and so its authority. ``also``
lists further lines the wording of its reason rests on (a term explained, a date), shown in the same ``Bron:``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

import yaml
from pydantic import ValidationError

from eligibility.model import Reason
from eligibility.vocabulary import Authority, Source

PARAMETERS_FILE = Path(__file__).with_name("parameters.yml")


class ParameterError(ValueError):
    pass


@dataclass(frozen=True)
class Parameter:
    name: str
    value: Any
    unit: str
    as_of: str
    authority: Authority
    source: Source
    also: tuple[Source, ...] = ()


@dataclass(frozen=True)
class Rule:
    name: str
    as_of: str
    authority: Authority
    source: Source
    param: str | None = None
    also: tuple[Source, ...] = ()


#: The keys a parameter or rule source may have (the fields of ``Source`` without ``section``).
SOURCE_KEYS = frozenset({"doc", "lines", "anchor", "kind", "region", "who", "year"})


def _source(where: str, raw: object) -> Source:
    if not isinstance(raw, dict) or "doc" not in raw or set(raw) - SOURCE_KEYS:
        raise ParameterError(
            f"{where}: source needs doc (and lines, anchor, kind; region, who, year as the kind asks), got {raw!r}"
        )
    try:
        return Source.parse_obj({key: str(value) for key, value in raw.items()})
    except ValidationError as error:
        raise ParameterError(f"{where}: {error}") from error


def _also(where: str, raw: object) -> tuple[Source, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list) or not raw:
        raise ParameterError(f"{where}: also needs a non-empty list of sources, got {raw!r}")
    return tuple(_source(f"{where} (also)", item) for item in raw)


def _authority(where: str, value: object) -> Authority:
    try:
        return Authority(value)
    except ValueError:
        raise ParameterError(f"{where}: unknown authority {value!r}") from None


class Parameters:
    def __init__(self, parameters: Mapping[str, Parameter], rules: Mapping[str, Rule]) -> None:
        self.parameters = dict(parameters)
        self.rules = dict(rules)

    def __getitem__(self, name: str) -> Any:
        return self.parameters[name].value

    def reason(self, rule: str, **values: object) -> Reason:
        """A reason for ``rule``, with the source and date of the rule (or of its parameter)."""
        found = self.rules[rule]
        return Reason(
            rule=rule,
            source=found.source,
            as_of=found.as_of,
            authority=found.authority,
            values=values,
            also=found.also,
        )


def parse(raw: object) -> Parameters:
    if not isinstance(raw, dict) or set(raw) != {"parameters", "rules"}:
        raise ParameterError("parameters.yml needs exactly two sections: parameters and rules")
    parameters: dict[str, Parameter] = {}
    for name, item in (raw["parameters"] or {}).items():
        missing = {"value", "unit", "as_of", "authority", "source"} - set(item or {})
        if missing:
            raise ParameterError(f"parameter {name}: missing {sorted(missing)}")
        parameters[name] = Parameter(
            name,
            item["value"],
            str(item["unit"]),
            str(item["as_of"]),
            _authority(f"parameter {name}", item["authority"]),
            _source(name, item["source"]),
            _also(name, item.get("also")),
        )
    rules: dict[str, Rule] = {}
    for name, item in (raw["rules"] or {}).items():
        if "param" in (item or {}):
            param = parameters.get(item["param"])
            if param is None:
                raise ParameterError(f"rule {name}: unknown parameter {item['param']!r}")
            also = param.also + _also(f"rule {name}", item.get("also"))
            rules[name] = Rule(name, param.as_of, param.authority, param.source, param.name, also)
            continue
        missing = {"as_of", "authority", "source"} - set(item or {})
        if missing:
            raise ParameterError(f"rule {name}: missing {sorted(missing)}")
        rules[name] = Rule(
            name,
            str(item["as_of"]),
            _authority(f"rule {name}", item["authority"]),
            _source(name, item["source"]),
            also=_also(f"rule {name}", item.get("also")),
        )
    return Parameters(parameters, rules)


@lru_cache(maxsize=1)
def load_parameters(path: Path = PARAMETERS_FILE) -> Parameters:
    return parse(yaml.safe_load(path.read_text(encoding="utf-8")))
