"""The audience keywords back up DIET only when the user says who they are."""

from __future__ import annotations

import pytest
from rasa.shared.importers.importer import TrainingDataImporter
from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from reintegratie.nlu.audience_keywords import (
    HINT_PREFIX,
    AudienceKeywords,
    find_audience,
    keywords_from,
    patterns_from,
)
from tests.conftest import ROOT

#: From the NLU training data, read as `rasa train nlu` reads it (the NLU importer skips the stories).
NLU_DATA = TrainingDataImporter.load_nlu_importer_from_config(
    str(ROOT / "config.yml"), str(ROOT / "domain.yml"), [str(ROOT / "data")]
).get_nlu_data()
KEYWORDS = keywords_from(NLU_DATA)
PATTERNS = patterns_from(NLU_DATA)
HINTS = patterns_from(NLU_DATA, HINT_PREFIX)


def component_() -> AudienceKeywords:
    """The component with the state it learns from the NLU data."""
    state = {"keywords": KEYWORDS, "patterns": PATTERNS, "hints": HINTS}
    return AudienceKeywords(None, None, AudienceKeywords.from_json(state))  # type: ignore[arg-type]


def test_keywords_come_from_the_annotations() -> None:
    assert KEYWORDS["bedrijf"] == "werkgever"
    assert KEYWORDS["mijn zoon"] == "ouder"
    assert KEYWORDS["cliëntenraad"] == "clientenraad"
    assert set(KEYWORDS.values()) == {"werkzoekende", "werkgever", "ouder", "clientenraad"}


def test_longest_whole_word_match_wins() -> None:
    found = find_audience("Ik zit in de Cliëntenraad van Almere", KEYWORDS)
    assert found is not None and found["value"] == "clientenraad" and found["start"] == 13
    assert find_audience("bedrijfsarts gesproken", KEYWORDS) is None


def audiences(message: Message) -> list[tuple[str, str]]:
    """The entities that fill a slot: a likely audience (an entity with a role) does not."""
    return [(e["entity"], e["value"]) for e in message.get(ENTITIES) if not e.get("role")]


def test_tell_audience_without_a_diet_entity_gets_the_keyword() -> None:
    component = component_()
    said = Message({TEXT: "ik heb een bedrijf in almere", INTENT: {"name": "tell_audience"}, ENTITIES: []})
    component.process([said])
    assert audiences(said) == [("audience", "werkgever")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("wij hebben een bedrijf, hoe vragen we lks aan?", [("audience", "werkgever")]),
        ("ik ben werkgever en wil een jobcoach voor een medewerker", [("audience", "werkgever")]),
        ("als ouder wil ik weten wat nazorg is", [("audience", "ouder")]),
        ("mijn zoon zit op het vso, krijgt hij nazorg?", [("audience", "ouder")]),
        # a word about somebody else does not say who is asking
        ("kan een werkgever lks krijgen?", []),
        ("betaalt het bedrijf de jobcoach?", []),
    ],
)
def test_in_a_question_only_the_user_about_themselves_counts(text: str, expected: list) -> None:
    component = component_()
    asked = Message({TEXT: text, INTENT: {"name": "faq"}, ENTITIES: []})
    component.process([asked])
    assert audiences(asked) == expected


def test_a_diet_span_that_is_no_audience_phrase_is_replaced_by_the_keyword() -> None:
    component = component_()
    text = "ik ben moeder van een meisje op het pro"
    wrong = {"entity": "audience", "start": 7, "end": 17, "value": "moeder van", "extractor": "DIETClassifier"}
    said = Message({TEXT: text, INTENT: {"name": "tell_audience"}, ENTITIES: [wrong]})
    component.process([said])
    assert audiences(said) == [("audience", "ouder")]
    right = {"entity": "audience", "start": 7, "end": 13, "value": "moeder", "extractor": "DIETClassifier"}
    kept = Message({TEXT: text, INTENT: {"name": "tell_audience"}, ENTITIES: [right]})
    component.process([kept])
    assert audiences(kept) == [("audience", "moeder")]  # the synonym mapper, next in the pipeline, makes it "ouder"


def test_the_self_descriptions_come_from_the_nlu_data() -> None:
    assert {audience for audience, _ in PATTERNS} == {"werkzoekende", "werkgever", "ouder", "clientenraad"}


def test_a_model_trained_before_the_self_descriptions_still_loads() -> None:
    assert AudienceKeywords.from_json({"bedrijf": "werkgever"}) == {
        "keywords": {"bedrijf": "werkgever"},
        "patterns": [],
        "hints": [],
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # issue 19 §2: people say who they are without an audience word, alone or inside a question
        ("goedemiddag, wij zijn een schoonmaakbedrijf met 30 medewerkers", "werkgever"),
        ("wij zijn een bakkerij", "werkgever"),
        ("wij hebben 30 man personeel", "werkgever"),
        ("ik run een kapsalon", "werkgever"),
        ("onze medewerker heeft een jobcoach nodig, hoe vraag ik die aan?", "werkgever"),
        ("wij zijn een schoonmaakbedrijf, welke subsidies zijn er?", "werkgever"),
        ("welke subsidies zijn er als wij iemand met een beperking aannemen?", "werkgever"),
        ("wij zitten in amersfoort en willen iemand uit de bijstand aannemen", "werkgever"),  # more words between
        ("we hebben via de gemeente iemand aangenomen en nu blijkt hij schulden te hebben", "werkgever"),  # done
        ("wij hebben een vacature voor iemand met een beperking", "werkgever"),
        ("kan ik dat in mijn winkel doen?", "werkgever"),  # what the user owns says who they are
        ("wij willen een collega als interne jobcoach inzetten, kan dat?", "werkgever"),
        ("kan ik gewoon een collega van mij als jobcoach inzetten", "werkgever"),
        ("hoe vraag ik loonkostensubsidie aan", "werkgever"),  # only an employer applies for it
        ("ik vroeg naar een vergoeding voor een jobcoach, niet voor loon", "werkgever"),
        ("dus. vergoeding voor een interne jobcoach via uwv. voor hoe lang krijg ik die", "werkgever"),
        ("mijn dochter zit op het vso en wordt 18, wat nu?", "ouder"),
        ("onze oudste zoon gaat van school, kan hij naar beschut werk?", "ouder"),
        ("ik ben de vader van een jongen op het pro", "ouder"),
        ("als lid van de cliëntenraad: wat kunnen we vragen?", "clientenraad"),
        ("wij zitten in de participatieraad", "clientenraad"),
        ("ik zoek werk, kan ik een jobcoach krijgen?", "werkzoekende"),
        ("ik zit in de bijstand, wat kan de gemeente doen?", "werkzoekende"),
        ("mijn werkgever wil een jobcoach aanvragen", "werkzoekende"),
        # what only an employer says about the work place or a worker (2026-12-06, from the blind rounds' misses)
        ("ik heb een snackbar in zwolle, wat kan ik krijgen", "werkgever"),
        ("hoveniersbedrijf in ede. kan een jongen van de dagbesteding bij ons meewerken?", "werkgever"),
        ("in onze kledingwinkel willen we open hiring proberen", "werkgever"),
        ("een sollicitant vertelde dat hij wajong heeft", "werkgever"),
        ("als ik haar aanneem, welke subsidie is er dan?", "werkgever"),
        ("we hebben een stagiair van het praktijkonderwijs", "werkgever"),
        ("er loopt al een half jaar een jongen van het vso stage bij ons", "werkgever"),
        ("wanneer kan hij bij ons beginnen?", "werkgever"),
        ("vroeger kregen we mensen van de sociale werkplaats", "werkgever"),
        ("we krijgen via uwv een nieuwe kracht", "werkgever"),
        ("we willen een ervaren collega de nieuwe jongen laten begeleiden", "werkgever"),
        ("wij hebben 12 man, moeten we iemand uit het register aannemen?", "werkgever"),
        ("loonkostensubsidie aangevraagd in mei en nog steeds niks", "werkgever"),
        ("we wachten al weken op de loonkostensubsidie", "werkgever"),
        ("ondertussen betalen we zijn hele loon zelf", "werkgever"),
        ("hoe weet ik of de jobcoach die we willen inhuren erkend is?", "werkgever"),
        ("een medewerker van ons heeft een psychose gehad en komt terug", "werkgever"),
        ("een vaste kracht van ons heeft na een ongeluk hersenletsel", "werkgever"),
        ("de medewerker komt op onze vestiging in maastricht te werken", "werkgever"),
        ("hij werkt hier al 5 jaar, kan er nu nog een jobcoach komen?", "werkgever"),
        ("we hebben 4 mensen met een beperking en er lopen hier 3 jobcoaches rond", "werkgever"),
        # blind10 and blind11 (2026-12-06 evening): a separable verb, a placement, training a colleague
        ("we nemen na de zomer een jongen van de praktijkschool aan. komen we in aanmerking?", "werkgever"),
        ("we hebben via de gemeente groningen een jongen aangenomen maar de subsidie is niet rond", "werkgever"),
        ("de gemeente plaatst iemand bij ons maar wil niet zeggen wat hij heeft", "werkgever"),
        ("wij zitten in de achterhoek en willen een collega laten trainen om hem te begeleiden", "werkgever"),
        # blind16 and blind17 (2026-12-07): a compound worker, the subject far from the separable verb
        ("onze magazijnmedewerker kwam uit de ziektewet en heeft nu een externe jobcoach", "werkgever"),
        ("wij willen een eigen medewerker als jobcoach inzetten voor een collega", "werkgever"),
        ("wij zitten in roosendaal, regio west-brabant, en nemen iemand aan via de banenafspraak", "werkgever"),
        ("bij ons in de fabriek lopen nu 3 jobcoaches rond van 3 verschillende gemeentes", "werkgever"),
        ("we hebben mensen uit 5 verschillende gemeenten en iedere gemeente doet het anders", "werkgever"),
        ("wij hebben winkels door het hele land", "werkgever"),
        ("we zijn een winkelketen met filialen door heel nederland", "werkgever"),
        ("ik heb een jobcoach aangevraagd voor onze nieuwe kracht", "werkgever"),
        ("we willen iemand uit de bijstand eerst een maand op proef laten meedraaien", "werkgever"),
        # blind18 and blind19 (2026-12-07): a trial, paying the wage while waiting, people from named places
        ("we willen iemand met een ziektewet uitkering eerst op proef laten werken", "werkgever"),
        ("we wachten op die loonwaardemeting en ondertussen betalen wij alles zelf", "werkgever"),
        # blind25 (2026-12-07 late): an employer who has a jobcoach in mind for a new worker
        ("wij zitten in de noordoostpolder en hebben zelf een goeie jobcoach op het oog", "werkgever"),
        ("dit is echt belachelijk, ik wacht al 4 maanden op die loonwaardemeting van de gemeente", "werkgever"),
        ("wij zitten in leiden en hebben ook mensen uit alphen en katwijk", "werkgever"),
        # blind4, blind14, blind20, blind21 (2026-12-07): a region with commas, a boy at work, a manager, taking someone
        # over, a candidate's diagnosis
        ("wij zitten in leiden, regio holland rijnland, en hebben ook mensen uit alphen en katwijk", "werkgever"),
        ("we hebben een jongen die ongeveer de helft doet van een collega", "werkgever"),
        ("ik ben filiaalmanager van een supermarkt in utrecht", "werkgever"),
        ("we nemen iemand over van een sociale onderneming", "werkgever"),
        ("mag de gemeente mij vertellen welke diagnose een kandidaat heeft?", "werkgever"),
        # the council advises the gemeente, argues with the wethouder (blind6, blind7, blind9: no "cliëntenraad" said)
        ("wat kunnen we de gemeente dan adviseren", "clientenraad"),
        ("welke argumenten kunnen we richting wethouder gebruiken", "clientenraad"),
        ("clienten vertellen ons dat ze geen jobcoach krijgen", "clientenraad"),
        # blind22 and blind23 (2026-12-07): the council named first with its place, its members as "achterban", a sector
        ("clientenraad amsterdam hier. als iemand van dagbesteding naar werk ging, kan die terug?", "clientenraad"),
        ("clientenraad emmen. wat gebeurt er bij ons als iemand van dagbesteding naar werk gaat?", "clientenraad"),
        ("iemand uit onze achterban werkt met loonkostensubsidie maar heeft geen jobcoach", "clientenraad"),
        ("we zitten in utrecht (horeca). de gemeente geeft geld voor een interne jobcoach toch?", "werkgever"),
        # blind26: an employer to whom the gemeente sends someone
        ("belachelijk. de gemeente stuurt ons een nieuwe medewerker maar wil niet zeggen wat hij heeft", "werkgever"),
        ("ik ben het zo zat. we hebben via de gemeente emmen een jongen met autisme", "werkgever"),
        # blind23, blind28, blind29: an employer who gets someone, takes someone over, or talks about "onze mensen"
        ("we krijgen een nieuwe medewerker via de gemeente. mag die mij vertellen wat hij mankeert?", "werkgever"),
        ("ik neem volgende maand een jongen over van een sociale onderneming", "werkgever"),
        ("een van onze mensen heeft een psychose gehad en wordt behandeld door de ggz", "werkgever"),
        # blind30: "bij ons werkt iemand" is said by the employer
        ("bij ons werkt iemand met wajong die al bijna 3 jaar een jobcoach heeft via het uwv", "werkgever"),
        # the first self-description wins: the employer talks about a son afterwards
        ("wij zijn een bakkerij en mijn zoon werkt mee", "werkgever"),
    ],
)
def test_self_descriptions_set_the_audience_in_every_message(text: str, expected: str) -> None:
    for intent in ("faq", "tell_audience", "nlu_fallback"):
        message = Message({TEXT: text, INTENT: {"name": intent}, ENTITIES: []})
        component_().process([message])
        assert audiences(message) == [("audience", expected)], intent


def test_in_a_question_the_parent_asks_about_the_employer_of_the_child() -> None:
    message = Message({TEXT: "kan de werkgever van mijn zoon lks krijgen?", INTENT: {"name": "faq"}, ENTITIES: []})
    component_().process([message])
    assert audiences(message) == [("audience", "ouder")]


@pytest.mark.parametrize(
    "text",
    [
        "kan een werkgever lks krijgen?",
        "ik werk bij een bedrijf met 30 medewerkers",
        "ik hoop dat ze me aannemen",
        "ik ben vorige maand aangenomen bij een bakkerij",  # the worker was hired
        "ik wil een medewerker spreken",
        "wat kost een jobcoach voor een bedrijf?",
        "wie betaalt het personeel van de sociale werkplaats?",
        "kan een collega mijn jobcoach zijn?",  # the worker asks: no employer
        "ik werk in een winkel, krijg ik een jobcoach?",
        "een bedrijf in onze gemeente wil met open hiring beginnen",  # a council talks about a company
        "ik ben aangenomen door een supermarkt",
        "hij woont nog bij ons en werkt niet",
        "kan ik zelf loonkostensubsidie krijgen?",
        "wij zitten in de bijstand",
        "zij werkt hier in de buurt bij de bakker",
        "wat adviseert de gemeente mij",
        "mijn clienten vertellen dat ze geen jobcoach krijgen",
        "we hebben 2 kinderen met een beperking",
        "ik neem gewoon aan dat de gemeente dat regelt",
        "we nemen deel aan een project van de gemeente",
        "de gemeente plaatst hem bij ons in de regio",
        "mijn collega wordt opgeleid tot jobcoach",
        "ik denk dat ik een baan aanneem bij de bakker",
        "ik neem een baan aan bij de bakker",
        "als ik die baan aanneem, verlies ik dan mijn uitkering?",
        "mijn uwv-medewerker zegt dat het niet kan",
        "bij ons in de gemeente lopen veel jobcoaches rond",
        "mijn kracht is dat ik goed kan luisteren",
        "we hebben ook vragen over loon en uitkering",
        "ik mag eerst op proef werken bij de bakker",
        "we hebben een zoon met autisme",
        "we hebben via de gemeente een jobcoach gekregen",
        "de gemeente stuurt ons een brief",
        "ik ben kandidaat voor een baan bij de bakker",
        "de clientenraad van mijn gemeente, wat doet die?",  # a question about the council, not by it
        "wat doet de clientenraad eigenlijk",
        "we zitten in de bijstand en zoeken werk in de horeca",
        "we krijgen een nieuwe jobcoach van de gemeente",
        "een van onze buren zit in de bijstand",
        "ik neem volgende week een baan over van mijn broer",
        "bij ons in de gemeente werkt iemand van de clientenraad mee",
    ],
)
def test_words_about_somebody_else_set_no_audience(text: str) -> None:
    message = Message({TEXT: text, INTENT: {"name": "faq"}, ENTITIES: []})
    component_().process([message])
    assert audiences(message) == []


def roles(message: Message) -> list[tuple[str, str | None]]:
    return [(e["value"], e.get("role")) for e in message.get(ENTITIES) or [] if e["entity"] == "audience"]


def test_onze_gemeente_makes_a_clientenraad_member_likely_but_fills_no_slot() -> None:
    """The entity has a role, so the slot mapping (from_entity without a role) leaves the slot as it is."""
    message = Message({TEXT: "hoe kan onze gemeente zorgen dat jobcoaches goed zijn?", INTENT: {"name": "faq"}})
    component_().process([message])
    assert roles(message) == [("clientenraad", "vermoedelijk")]


def test_a_self_description_outweighs_a_likely_audience() -> None:
    message = Message(
        {TEXT: "wij zijn een bakkerij. wat doet onze gemeente met loonkostensubsidie?", INTENT: {"name": "faq"}}
    )
    component_().process([message])
    assert roles(message) == [("werkgever", None)]
