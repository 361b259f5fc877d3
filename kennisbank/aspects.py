"""What an article answers about its topic (``aspects``) and which organisation it is about (``route``).

A closed vocabulary, derived from the articles: every article lists one or more aspects in its YAML (the
first is its main aspect) and, when it is about one organisation's way of doing things, a route. The
context resolver (``kennisbank.context``) uses both to answer a follow-up that leaves out the topic:
"hoe lang dan?" (duur), "en bij de gemeente?" (route gemeente).
"""

from __future__ import annotations

from enum import Enum


class Aspect(str, Enum):
    overzicht = "overzicht"  # what it is
    werkwijze = "werkwijze"  # how it works, kinds, what it does not do
    wie = "wie"  # for whom
    voorwaarden = "voorwaarden"  # conditions
    duur = "duur"  # how long
    omvang = "omvang"  # how much help: hours, a year 1/2/3 split
    kosten = "kosten"  # who pays, how much money
    aanvragen = "aanvragen"  # how to apply, where
    beslist = "beslist"  # who decides or assesses
    lokaal = "lokaal"  # examples from one place, differences per gemeente
    clientenraad = "clientenraad"  # questions and advice for a cliëntenraad
    resultaten = "resultaten"  # does it work: figures, studies
    werkgever = "werkgever"  # what the employer gets or does
    ziekte = "ziekte"  # when the employee falls ill
    terugval = "terugval"  # when work does not work out
    kwaliteit = "kwaliteit"  # recognition, keurmerken
    achtergrond = "achtergrond"  # history, law changes, criticism
    bezwaar = "bezwaar"  # disagreeing with a decision, complaints, waiting too long
    wet = "wet"  # what the law itself says, next to what gemeenten do in practice


class Route(str, Enum):
    uwv = "uwv"
    gemeente = "gemeente"
