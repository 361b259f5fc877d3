"""FollowUpEntityExtractor trained on the real NLU data (data/nlu/vervolgvraag.yml), then EntitySynonymMapper:
the aspect and route of a follow-up, also when the classifier was unsure (nlu_fallback), in the forms a word list
misses. Real Messages; the action that uses them: tests/unit/actions/test_context.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.extractors.entity_synonyms import EntitySynonymMapper
from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
from rasa.shared.nlu.training_data.loading import load_data
from rasa.shared.nlu.training_data.message import Message

from reintegratie.nlu.pattern_entities import FollowUpEntityExtractor
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory: pytest.TempPathFactory) -> tuple[FollowUpEntityExtractor, EntitySynonymMapper]:
    storage = LocalModelStorage(Path(tmp_path_factory.mktemp("model")))
    data = load_data(str(ROOT / "data" / "nlu"))
    extractor = FollowUpEntityExtractor(
        {**FollowUpEntityExtractor.get_default_config(), "case_sensitive": False},
        storage,
        Resource("follow_up"),
    )
    extractor.train(data)
    mapper = EntitySynonymMapper(EntitySynonymMapper.get_default_config(), storage, Resource("synonyms"), None)
    mapper.train(data)
    return extractor, mapper


def found(pipeline: tuple[FollowUpEntityExtractor, EntitySynonymMapper], text: str, intent: str) -> set[tuple]:
    extractor, mapper = pipeline
    message = Message({TEXT: text, INTENT: {"name": intent, "confidence": 0.4}})
    mapper.process(extractor.process([message]))
    return {(e["entity"], e["value"]) for e in message.get(ENTITIES) or []}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("hoe meldt hij zich aan", {("aspect", "aanvragen")}),
        # when to apply, and how often help comes (blind10)
        ("moeten we daar vroeg bij zijn of kan het achteraf ook nog", {("aspect", "aanvragen")}),
        ("en komt die dan elke dag mee?", {("aspect", "omvang")}),
        ("hoe gaat zo'n plaatsing dan in z'n werk", {("aspect", "werkwijze")}),
        ("wie is daar ons aanspreekpunt", {("aspect", "aanvragen")}),
        ("bij wie moet ik zijn", {("aspect", "aanvragen")}),
        # blind29: who to talk it over with is where to go ("met wie moet ik dit dan bespreken")
        ("met wie moet ik dit dan bespreken", {("aspect", "aanvragen")}),
        # what the law says, next to what gemeenten do (four blind authors asked it)
        ("dus wettelijk is het max 2 jaar?", {("aspect", "wet")}),
        ("welk wetsartikel gaat daarover", {("aspect", "wet")}),
        ("krijg ik het dan wel met terugwerkende kracht?", {("aspect", "aanvragen")}),
        ("staat dat niet gewoon in de wet dan?", {("aspect", "wet")}),
        ("wat staat er dan wel in de wet", {("aspect", "wet")}),
        ("waar moet ik me inschrijven", {("aspect", "aanvragen")}),
        ("en wie beoordeelt dat", {("aspect", "beslist")}),
        ("wie stelt dat vast?", {("aspect", "beslist")}),
        ("kan het niet langer?", {("aspect", "duur")}),
        ("wordt dat verlengd", {("aspect", "duur")}),
        ("is dat in elke gemeente zo", {("aspect", "lokaal"), ("route", "gemeente")}),
        ("hoe breed doen andere regio's dat", {("aspect", "lokaal")}),
        ("is dat ergens anders beter geregeld?", {("aspect", "lokaal")}),
        ("en als hij ontslagen wordt", {("aspect", "terugval")}),
        # blind13, blind16, blind18 (2026-12-07): holding out, the law itself, a term
        ("en als ik het niet volhou?", {("aspect", "terugval")}),
        ("en als ze het niet redt, sta ik dan met niks", {("aspect", "terugval")}),
        ("en als iemand het daar niet redt, wat gebeurt er dan met zn uitkering?", {("aspect", "terugval")}),
        ("wat kunnen we de gemeente dan adviseren?", {("aspect", "clientenraad"), ("route", "gemeente")}),
        ("wat kunnen we de gemeenteraad voorstellen?", {("aspect", "clientenraad")}),
        (
            "welke cijfers kunnen we bij onze gemeente opvragen?",
            {("aspect", "clientenraad"), ("aspect", "resultaten"), ("route", "gemeente")},
        ),
        ("en als het na een paar weken toch niet klikt?", {("aspect", "terugval")}),
        # blind24, blind25: something happens after all, it fails again
        ("en als hij het later zelf kan maar er gebeurt dan toch iets?", {("aspect", "terugval")}),
        ("en stel ik krijg later andere taken en het lukt weer niet?", {("aspect", "terugval")}),
        ("en wat zegt de wet zelf", {("aspect", "wet")}),
        ("wat zegt de wet zelf over die duur", {("aspect", "wet"), ("aspect", "duur")}),
        ("welke termijn geldt daar", {("aspect", "duur")}),
        ("dat komt op termijn wel", set()),
        ("moet ik daarvoor betalen", {("aspect", "kosten")}),
        ("en werkt het eigenlijk wel?", {("aspect", "resultaten")}),
        ("wat voor bedrag is dat dan ongeveer", {("aspect", "kosten")}),
        ("en als ze nee zeggen?", {("aspect", "bezwaar")}),
        ("wat als mijn aanvraag wordt afgewezen", {("aspect", "bezwaar")}),
        ("hoeveel van zijn werktijd mag die coach erbij zijn?", {("aspect", "omvang")}),
        ("ik wacht nu al een jaar op een plek", {("aspect", "bezwaar")}),
        ("hij staat al maanden op de wachtlijst", {("aspect", "bezwaar")}),
        ("waar kan ik dat melden dan", {("aspect", "bezwaar")}),  # blind30
        ("en hij zit nog steeds thuis", {("aspect", "bezwaar")}),
        # blind20-clientenraad-12 (2026-12-07): what he can still do against a decision
        ("kan hij nog iets doen?", {("aspect", "bezwaar")}),
        ("kunnen we daar iets tegen doen", {("aspect", "bezwaar")}),
        # blind13-clientenraad-11, blind18-ouder-10: after a complaint about a decision
        ("wat kan hij nu doen", {("aspect", "bezwaar")}),
        ("wat kan ik doen", {("aspect", "bezwaar")}),
        ("en het 2e jaar?", {("aspect", "omvang")}),  # blind13-ouder-12
        # blind27-clientenraad-03: what an employer gets, after Almere's beschut werk
        ("en wat krijgt een werkgever daarvoor?", {("aspect", "werkgever")}),
    ],
)
def test_the_aspect_of_a_follow_up_in_its_many_forms(pipeline, text: str, expected: set[tuple]) -> None:
    entities = found(pipeline, text, "vervolgvraag")
    if expected:
        assert expected <= entities
    else:  # "dat komt op termijn wel": no aspect at all
        assert not {entity for entity in entities if entity[0] == "aspect"}


@pytest.mark.parametrize(
    ("text", "route"),
    [
        ("nee ik bedoel via de gemeente", "gemeente"),
        ("ik heb geen uitkering", "gemeente"),
        ("ik zit in de bijstand", "gemeente"),
        ("hij heeft een wajong", "uwv"),
    ],
)
def test_a_correction_in_an_unsure_message_names_its_route(pipeline, text: str, route: str) -> None:
    assert ("route", route) in found(pipeline, text, "nlu_fallback")


def test_a_route_the_user_says_is_not_theirs_is_not_taken(pipeline) -> None:
    routes = {
        value
        for name, value in found(pipeline, "nee wacht, geen uwv uitkering, alleen bijstand", "nlu_fallback")
        if name == "route"
    }
    assert routes == {"gemeente"}
    assert ("route", "uwv") not in found(pipeline, "niet via uwv", "nlu_fallback")
    # a benefit that has ended (blind14): the one the user has now counts
    text = "oh wacht sorry, m'n ww is al afgelopen, ik zit nu in de bijstand"
    assert {value for name, value in found(pipeline, text, "inform") if name == "route"} == {"gemeente"}
    assert ("route", "uwv") in found(pipeline, "ik heb ww en de ww loopt nog", "inform")
    # "niet uit de bijstand maar ... van het uwv" (blind22): the benefit he does not have is no route
    text = "wacht ik zat fout, hij komt niet uit de bijstand maar heeft een wga uitkering van het uwv"
    assert {value for name, value in found(pipeline, text, "inform") if name == "route"} == {"uwv"}


def test_places_asked_for_are_no_route(pipeline) -> None:
    """ "welke gemeenten deden daaraan mee?" asks where, not the gemeente's way."""
    assert ("route", "gemeente") not in found(pipeline, "welke gemeenten deden daaraan mee?", "vervolgvraag")
    assert ("route", "gemeente") not in found(pipeline, "doen andere gemeenten dat ook zo?", "vervolgvraag")
    assert ("route", "gemeente") in found(pipeline, "en bij de gemeente?", "vervolgvraag")


def test_a_full_question_carries_its_aspect_too_and_a_greeting_none(pipeline) -> None:
    """The action uses them only when the selector is unsure (tests/unit/actions/test_context.py)."""
    assert ("aspect", "duur") in found(pipeline, "hoe lang krijg ik een jobcoach via de gemeente", "faq")
    assert found(pipeline, "hoe lang krijg ik een jobcoach via de gemeente", "greet") == set()


def test_a_correction_classified_as_deny_or_inform_names_its_route_too(pipeline) -> None:
    assert ("route", "gemeente") in found(pipeline, "nee hij heeft geen uitkering", "deny")
    routes = {
        value for name, value in found(pipeline, "geen bijstand maar ww van het uwv", "inform") if name == "route"
    }
    assert routes == {"uwv"}


@pytest.mark.parametrize(
    ("text", "aspect"),
    [
        # the hours one must work are a condition; the hours of help one gets are its size
        ("hoeveel uur moet ik dan werken", "voorwaarden"),
        ("hoeveel uur moet hij kunnen werken?", "voorwaarden"),
        ("en bij uwv, is 16 uur dan genoeg?", "voorwaarden"),
        ("hoeveel uur krijg ik dan", "omvang"),
        ("hoeveel uur begeleiding als ik 20 uur werk", "omvang"),
    ],
)
def test_hours_to_work_are_a_condition_and_hours_of_help_its_size(pipeline, text: str, aspect: str) -> None:
    aspects = {value for name, value in found(pipeline, text, "vervolgvraag") if name == "aspect"}
    assert aspects == {aspect}


@pytest.mark.parametrize(
    ("text", "topics"),
    [
        ("ik vroeg naar een vergoeding voor een jobcoach, niet voor loon", {"jobcoach"}),
        ("niet over de jobcoach maar over loonkostensubsidie", {"loonkostensubsidie"}),
        ("en hoe zit het met beschut werk?", {"beschut_werk"}),
        ("geen no-riskpolis, ik bedoel het doelgroepregister", {"doelgroepregister"}),
        ("mag die coach dan altijd blijven?", {"jobcoach"}),  # a coach at work is the jobcoach
        ("en als het dan nog niet gaat zonder coach?", {"jobcoach"}),
        ("mijn werkcoach van de gemeente belt nooit", set()),  # a werkcoach is someone else
        ("onze dochter zit op het vso. is hier iets voor haar?", {"vso_pro"}),
        ("hij zit op de praktijkschool en gaat stage lopen", {"vso_pro"}),
        ("ze zit niet op het vso maar op het mbo", set()),
        # what he can do, what he is worth: the loonwaarde behind loonkostensubsidie (four blind authors)
        ("hoe bepalen ze hoeveel hij kan", {"loonkostensubsidie"}),
        ("wie bepaalt wat hij kan en wat hij waard is", {"loonkostensubsidie"}),
        ("kijken ze hoeveel hij kan werken per week?", set()),
    ],
)
def test_a_topic_the_user_names_is_found_and_one_they_reject_is_not(pipeline, text: str, topics: set[str]) -> None:
    assert {value for name, value in found(pipeline, text, "frustratie") if name == "onderwerp"} == topics


def test_the_user_saying_no_is_no_objection(pipeline) -> None:
    # blind-ouder-11: "en als we nee zeggen?" (to the register) is the family's choice, not a decision to object to
    assert ("aspect", "bezwaar") not in found(pipeline, "en als we nee zeggen?", "vervolgvraag")
