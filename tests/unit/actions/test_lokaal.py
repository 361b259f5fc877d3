"""Local questions (issue 19 §3) with real rasa_sdk Trackers: action_kennisbank_antwoord and
action_lokaal_gemeente when the user names a gemeente, or named one earlier."""

from __future__ import annotations

import re
from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.kennisbank import KENNISBANK, ActionAudienceBevestigd, ActionKennisbankAntwoord, ActionNietBegrepen
from actions.lokaal import (
    LOKAAL,
    ActionLokaalGemeente,
    gevraagde_feiten,
    heeft_vraag,
    lokale_tekst,
    zonder_verkeerde_plaats,
)
from eligibility.vocabulary import Audience
from kennisbank import loader as kennisbank_loader
from tests.support import trackers

UWV_2017_UREN = "regels van UWV, stand 2017"  # jobcoach_uren: UWV's 2017 rule; never a gemeente's
GEMEENTE_OPENING = "Val je onder de Participatiewet (de wet waarmee de gemeente helpt bij betaald werk)?"


def slots(events: list[dict]) -> dict:
    """The slots an action sets, by name."""
    assert all(event["event"] == "slot" for event in events), events
    return {event["name"]: event["value"] for event in events}


def selector(key: str, confidence: float = 0.9) -> dict[str, Any]:
    return {
        "all_retrieval_intents": ["faq"],
        "faq": {"response": {"intent_response_key": key, "confidence": confidence}, "ranking": []},
    }


def message(text: str, intent: str, article: str, confidence: float = 0.9, gemeente: str | None = None) -> dict:
    entities = [{"entity": "gemeente", "value": gemeente}] if gemeente else []
    return trackers.user(text, intent, entities=entities, response_selector=selector(f"faq/{article}", confidence))


def run(action: Any, events: list[dict[str, Any]], **slots: Any) -> tuple[list[dict[str, Any]], list[Any]]:
    dispatcher = CollectingDispatcher()
    result = action.run(dispatcher, trackers.tracker(events, **slots), {})
    return dispatcher.messages, result


def everything(messages: list[dict[str, Any]]) -> str:
    return "\n".join(
        [m.get("text") or m.get("response") or "" for m in messages]
        + [b["title"] for m in messages for b in m.get("buttons") or []]
    )


def test_utrecht_gets_own_rules_the_g4_agreement_the_gemeente_route_and_a_pointer() -> None:
    # "ik woon in Utrecht, hoeveel uur krijg ik daar?" (the example of issue 19)
    events = [
        message("ik woon in Utrecht, hoeveel uur krijg ik daar?", "noem_gemeente", "jobcoach_uren", 0.35, "Utrecht")
    ]
    messages, result = run(ActionLokaalGemeente(), events, gemeente="Utrecht")
    lokaal, artikel, verwijzing = messages
    assert lokaal["text"].startswith(
        "Elke gemeente maakt haar eigen regels, in een verordening. Dat geldt ook voor Utrecht."
    )
    # review R42 C1: 001 r.339 names Utrecht among the G4 that agreed on jobcoaching with UWV in 2015
    assert "De G4 zijn de regio's van Amsterdam, Den Haag, Rotterdam en Utrecht." in lokaal["text"]
    assert "Begin 2015 spraken UWV en de G4 af" in lokaal["text"]
    assert "geen antwoord" not in lokaal["text"]
    assert "Bron: Samen voor werkzekerheid" in lokaal["text"]
    # jobcoach_gemeente: the Participatiewet explained at first use (review R45 B1-4)
    assert artikel["text"].startswith(GEMEENTE_OPENING)
    assert verwijzing["text"].startswith("Vraag de gemeente Utrecht wat daar voor jou geldt.")
    assert verwijzing["buttons"] == [{"title": "Praat met een medewerker", "payload": "/request_human"}]
    assert UWV_2017_UREN not in everything(messages)
    # the gemeente is remembered, and the national frame is the article a follow-up continues from
    # the question's own article stays the topic: "en bij het uwv?" is then about the hours (UWV's 2017 rule)
    assert slots(result) == {"gemeente": "Utrecht", "laatste_artikel": "jobcoach_uren"}


def names_place_and_year(line: str, place: str, year: str) -> bool:
    """A local fact line names its place and year: in its own words, or in the tag after it."""
    return line.startswith("- ") and place in line and year in line


def sentences_of(text: str) -> list[str]:
    """The sentences of a message (not its Bron and Stand lines), those of more than four words."""
    said = " ".join(line for line in text.splitlines() if not line.startswith(("Bron:", "Stand:")))
    return [s for s in re.split(r"(?<=[.?!])\s+", " ".join(said.split())) if len(s.split()) > 4]


def test_a_fact_that_names_its_place_and_year_gets_no_second_tag() -> None:
    """Review R40: "... (Hanzehogeschool, 2025). (WIZ, 2025)" said the place and year twice. Review R56: a fact dated
    in its own text got the years of sentences not shown ("(Oss, 2020 en 2021)")."""
    for gemeente in ("Groningen", "Almere", "Oss", "Nijmegen", "Hof van Twente"):
        feiten = LOKAAL.feiten(KENNISBANK, gemeente, Audience.werkgever)
        text, _ = lokale_tekst(KENNISBANK, gemeente, Audience.werkgever, feiten, "")
        for line in [line for line in text.splitlines() if line.startswith("- ")]:
            tag = re.search(r" \(([^,()]+), ([\d en]+)\)$", line)
            body = line[: tag.start()] if tag else line
            dated = re.search(r"\b(19|20)\d\d\b", body)
            assert bool(tag) != bool(dated), line  # dated in its own words, or by the tag: never both, never neither


def test_simpel_switchen_in_almere_gets_almeres_facts_with_the_year() -> None:
    events = [message("hoe werkt Simpel Switchen in Almere?", "faq", "dagbesteding_naar_werk", gemeente="Almere")]
    messages, _ = run(ActionKennisbankAntwoord(), events, gemeente="Almere")
    lokaal, artikel, verwijzing = messages
    assert "Dit staat in mijn bronnen over Almere:" in lokaal["text"]
    fact_lines = [line for line in lokaal["text"].splitlines() if line.startswith("- ")]
    assert fact_lines and all(names_place_and_year(line, "Almere", "2021") for line in fact_lines)
    terugval = KENNISBANK.articles["dagbesteding_terugval"].answer.for_audience(None)
    assert any(line[2:].split(" (Almere, 2021)")[0] in terugval.replace("\n", " ") for line in fact_lines)
    assert "niets" not in lokaal["text"]
    assert artikel["text"].startswith("Simpel Switchen in de Participatieketen is een project")
    assert "gemeente Almere" in verwijzing["text"]


def test_the_gemeente_is_remembered_for_a_later_question() -> None:
    events = [
        message("ik woon in Utrecht", "noem_gemeente", "hulp_zonder_uitkering", 0.28, "Utrecht"),
        trackers.action("action_lokaal_gemeente"),
        trackers.slot("gemeente", "Utrecht"),
        message("hoeveel uur jobcoach krijg ik?", "faq", "jobcoach_uren", 0.72),
    ]
    messages, _ = run(ActionKennisbankAntwoord(), events, gemeente="Utrecht")
    assert len(messages) == 3
    assert "Dat geldt ook voor Utrecht." in messages[0]["text"]
    assert messages[1]["text"].startswith(GEMEENTE_OPENING)
    assert UWV_2017_UREN not in everything(messages)


def test_a_later_answer_in_a_gemeente_without_facts_gets_the_frame_in_short() -> None:
    """The whole frame ("Elke gemeente maakt haar eigen regels ... Ik heb geen antwoord over ...") once; a later
    answer about Zwolle, of which the sources say nothing, gets it in one sentence, then the answer and the pointer."""
    first = [message("hoe werkt beschut werk in Zwolle", "faq", "beschut_werk_overzicht", gemeente="Zwolle")]
    messages, _ = run(ActionKennisbankAntwoord(), first, gemeente="Zwolle")
    assert "Ik heb geen antwoord over de eigen regels van Zwolle." in messages[0]["text"]
    later = [
        *first,
        trackers.bot(messages[0]["text"]),
        message("hoeveel uur jobcoach krijg ik?", "faq", "jobcoach_uren", 0.72),
    ]
    messages, _ = run(ActionKennisbankAntwoord(), later, gemeente="Zwolle")
    kort, artikel, verwijzing = messages
    assert kort["text"].startswith("Ook voor Zwolle geldt: de gemeente maakt eigen regels, in een verordening.")
    assert "Bron: " in kort["text"] and "Ik heb geen antwoord" not in kort["text"]
    assert artikel["text"].startswith(GEMEENTE_OPENING)
    assert "Vraag de gemeente Zwolle" in verwijzing["text"]
    # named again: the whole frame
    again = [*later[:-1], message("en in Zwolle, hoeveel uur?", "faq", "jobcoach_uren", 0.72, gemeente="Zwolle")]
    messages, _ = run(ActionKennisbankAntwoord(), again, gemeente="Zwolle")
    assert messages[0]["text"].startswith("Elke gemeente maakt haar eigen regels")


def test_without_a_gemeente_the_answer_is_the_usual_one() -> None:
    messages, _ = run(ActionKennisbankAntwoord(), [message("hoeveel uur jobcoach krijg ik?", "faq", "jobcoach_uren")])
    only, vraag = messages  # jobcoach_uren has an ouder variant: the unknown audience is asked after the answer
    assert vraag.get("response") == "utter_vraag_doelgroep"
    assert UWV_2017_UREN in only["text"]
    assert "verordening" not in only["text"]


def test_a_topic_the_gemeente_does_not_decide_on_gets_no_local_frame() -> None:
    messages, _ = run(
        ActionKennisbankAntwoord(), [message("wat is de no-riskpolis", "faq", "no_riskpolis")], gemeente="Utrecht"
    )
    assert messages[0]["text"].startswith("De no-riskpolis is een regeling voor de werkgever.")
    assert "Utrecht" not in everything(messages)


def asked_in(gemeente: str, text: str, *routes: tuple[str, int]) -> list[dict[str, Any]]:
    """The messages for a question in ``gemeente`` naming these routes (value, start), answered by UWV's duration."""
    entities = [{"entity": "gemeente", "value": gemeente}]
    entities += [{"entity": "route", "value": value, "start": start, "end": start + 3} for value, start in routes]
    event = trackers.user(text, "faq", entities=entities, response_selector=selector("faq/jobcoach_uwv_duur", 0.69))
    messages, _ = run(ActionKennisbankAntwoord(), [event], gemeente=gemeente)
    return messages


def test_a_question_that_asks_uwv_by_name_gets_uwvs_rule_without_the_gemeente_frame() -> None:
    # blind18-clientenraad-08, in Leeuwarden: the gemeente's term is told, UWV's is asked
    text = (
        "Cliëntenraad Leeuwarden. Bij ons krijgen mensen max 2 jaar een jobcoach van de gemeente. "
        "Hoe lang is dat bij het UWV?"
    )
    messages = asked_in("Leeuwarden", text, ("gemeente", text.index("gemeente.")), ("uwv", text.index("UWV")))
    assert "Leeuwarden" not in everything(messages)
    assert "drie jaar" in everything(messages)
    # UWV named outside the question: the question is about the gemeente (blind15-clientenraad-07, in Maastricht)
    text = (
        "clientenraad maastricht hier. onze gemeente geeft een jobcoach maar 1 jaar. is dat normaal? "
        "uwv geeft toch 3 jaar"
    )
    messages = asked_in("Maastricht", text, ("uwv", text.index("uwv")))
    assert "Dat geldt ook voor Maastricht" in everything(messages)
    # UWV named to compare with: the question is about the gemeente (blind23-clientenraad-04, in Zaanstad)
    text = "clientenraad zaanstad hier. de wethouder zegt dat je bij ons max 3 jaar een jobcoach krijgt, net als uwv"
    messages = asked_in("Zaanstad", text, ("uwv", text.index("uwv")))
    assert "Dat geldt ook voor Zaanstad" in everything(messages)
    # a question about the gemeente's own term keeps the frame
    messages = asked_in("Leeuwarden", "hoe lang krijg je in Leeuwarden een jobcoach van de gemeente?", ("gemeente", 52))
    assert "Dat geldt ook voor Leeuwarden" in everything(messages)


def test_another_places_article_is_not_given_as_this_gemeentes_rule() -> None:
    events = [message("hoe werkt beschut werk in Zwolle", "faq", "beschut_werk_almere", gemeente="Zwolle")]
    messages, _ = run(ActionKennisbankAntwoord(), events, gemeente="Zwolle")
    assert "Ik heb geen antwoord over de eigen regels van Zwolle." in messages[0]["text"]
    assert messages[1]["text"].startswith("Beschut werk is")  # beschut_werk_overzicht, not Almere's 28 hours
    assert "28 uur" not in everything(messages)


def test_a_member_gemeente_is_told_its_region_and_gets_the_regions_facts() -> None:
    events = [message("dagbesteding en werk in Wijchen", "faq", "dagbesteding_naar_werk", gemeente="Wijchen")]
    messages, _ = run(ActionKennisbankAntwoord(), events, gemeente="Wijchen", audience="werkgever")
    text = messages[0]["text"]
    assert "Wijchen hoort bij de regio Rijk van Nijmegen." in text
    assert "(Rijk van Nijmegen, 2021)" in text
    assert "r. 861–863" in text  # the seed line that puts Wijchen in the region
    assert "Hieronder leest u het hele antwoord." in text
    # the region's fact from the article shown next is not said twice (R42 B5)
    twice = set(sentences_of(text)) & set(sentences_of(messages[1]["text"]))
    assert not [s for s in twice if "Nijmegen" in s or "Wijchen" in s], twice
    assert " je " not in everything(messages[:1]) and " je " not in messages[2]["text"]


def test_a_region_whose_name_is_a_b1_term_is_explained_with_its_seed_line() -> None:
    events = [message("loonkostensubsidie in Tynaarlo", "faq", "loonkostensubsidie_aanvragen", gemeente="Tynaarlo")]
    messages, _ = run(ActionKennisbankAntwoord(), events, gemeente="Tynaarlo", audience="werkgever")
    text = messages[0]["text"]
    assert "Tynaarlo hoort bij de regio WIZ (provincie Groningen en Noord-Drenthe)." in text
    assert "r. 210" in text and "r. 156" in text  # membership, and the explanation of the name


def test_a_named_gemeente_outweighs_the_remembered_one() -> None:
    events = [message("en hoe is dagbesteding in Oss", "faq", "dagbesteding_naar_werk", gemeente="Oss")]
    messages, _ = run(ActionKennisbankAntwoord(), events, gemeente="Utrecht")
    assert "Dat geldt ook voor Oss." in messages[0]["text"]
    assert any(names_place_and_year(line, "Oss", "2021") for line in messages[0]["text"].splitlines())


def test_a_place_with_an_unsure_question_answers_it_on_the_current_topic_or_without_one() -> None:
    """blind2: "ik woon in zwolle. hoe lang krijg je daar een jobcoach van de gemeete?" was 'ik onthoud Zwolle, stel je
    vraag maar' when the selector had two articles at 0.11. From 0.10 the pick is answered, when there is no current
    topic or the pick is on it; off the current topic, under 0.15, the current article stays (the pick is a guess)."""
    text = "ik woon in zwolle. hoe lang krijg je daar een jobcoach van de gemeete?"
    _, result = run(ActionLokaalGemeente(), [message(text, "noem_gemeente", "jobcoach_gemeente", 0.11, "Zwolle")])
    assert slots(result)["laatste_artikel"] == "jobcoach_gemeente"
    _, result = run(ActionLokaalGemeente(), [message(text, "noem_gemeente", "jobcoach_gemeente", 0.08, "Zwolle")])
    assert "laatste_artikel" not in slots(result)
    # blind27: after Breed Offensief, "ik woon in de stad groningen. hoe lang krijg ik die coach dan?" at 0.11 for the
    # vso/pro route stays on the jobcoach; at 0.11 for the jobcoach at the gemeente it takes that
    text = "ik woon in de stad groningen. hoe lang krijg ik die coach dan?"
    off = [message(text, "noem_gemeente", "vso_pro_route_arbeid", 0.11, "Groningen")]
    _, result = run(ActionLokaalGemeente(), off, laatste_artikel="jobcoach_breed_offensief")
    assert slots(result)["laatste_artikel"] == "jobcoach_breed_offensief"
    on = [message(text, "noem_gemeente", "jobcoach_gemeente", 0.11, "Groningen")]
    _, result = run(ActionLokaalGemeente(), on, laatste_artikel="jobcoach_breed_offensief")
    assert slots(result)["laatste_artikel"] == "jobcoach_gemeente"


def two_places(text: str, first: str, second: str) -> list[dict]:
    """The message and what Rasa's slot mapping does with it: the slot gets the last place named."""
    entities = [
        {"entity": "gemeente", "value": place, "start": text.lower().index(place.lower())} for place in (second, first)
    ]
    message = trackers.user(
        text, "noem_gemeente", entities=entities, response_selector=selector("faq/vso_pro_wat_na_school")
    )
    return [message, trackers.slot("gemeente", second.lower())]


@pytest.mark.parametrize(
    ("earlier", "text", "first", "second", "meant"),
    [
        (
            "Zwolle",
            "sorry ik zeg zwolle maar we zijn vorige maand verhuisd naar almere. dus daar",
            "Zwolle",
            "Almere",
            "Almere",
        ),
        (
            "Groningen",
            "nee sorry ik bedoel ze woont in amsterdam, wij wonen in groningen",
            "Amsterdam",
            "Groningen",
            "Amsterdam",
        ),
    ],
)
def test_a_correction_that_names_two_places_means_the_new_one(
    earlier: str, text: str, first: str, second: str, meant: str
) -> None:
    events = [
        message(
            f"dochter zit in haar laatste jaar vso in {earlier}. wat nu",
            "faq",
            "vso_pro_wat_na_school",
            gemeente=earlier,
        ),
        trackers.slot("gemeente", earlier),
        trackers.action("action_kennisbank_antwoord"),
        *two_places(text, first, second),
    ]
    messages, result = run(
        ActionLokaalGemeente(), events, gemeente=second.lower(), laatste_artikel="vso_pro_wat_na_school"
    )
    assert f"Dat geldt ook voor {meant}." in messages[0]["text"]
    assert f"voor {earlier}" not in messages[0]["text"]
    assert slots(result)["gemeente"] == meant


def test_two_places_at_the_start_mean_the_first() -> None:
    _, result = run(
        ActionLokaalGemeente(), two_places("ik woon in Zwolle en werk in Almere", "Zwolle", "Almere"), gemeente="almere"
    )
    assert slots(result)["gemeente"] == "Zwolle"


def test_only_naming_a_place_is_remembered_with_its_facts() -> None:
    events = [message("ik woon in Oss", "noem_gemeente", "hulp_zonder_uitkering", 0.28, "Oss")]
    messages, result = run(ActionLokaalGemeente(), events)
    [only] = messages
    assert "Ik onthoud dat het om Oss gaat. Stel je vraag maar." in only["text"]
    assert "In Oss hielp de jobcoach van de gemeente in 2021 soms ook thuis" in only["text"]
    # the first fact shown is the topic a follow-up ("wie test dan wat ze kan?") is about
    first = LOKAAL.feiten(KENNISBANK, "Oss", None)[0]
    assert first.plaats == "Oss" and first.zinnen[0] in only["text"]
    assert slots(result) == {"gemeente": "Oss", "laatste_artikel": first.artikel}


def test_a_place_after_a_question_answers_that_question_locally() -> None:
    events = [
        message("wat is beschut werk", "faq", "beschut_werk_overzicht"),
        trackers.action("action_kennisbank_antwoord"),
        message("en in Almere?", "noem_gemeente", "beschut_werk_almere", 1.0, "Almere"),
    ]
    # action_kennisbank_antwoord keeps the article it answered in laatste_artikel
    messages, _ = run(ActionLokaalGemeente(), events, laatste_artikel="beschut_werk_overzicht")
    assert "Dat geldt ook voor Almere." in messages[0]["text"]
    assert any(names_place_and_year(line, "Almere", "2021") for line in messages[0]["text"].splitlines())
    assert messages[1]["text"].startswith("Beschut werk is")
    assert "gemeente Almere" in messages[2]["text"]


def test_a_question_about_a_place_on_a_topic_no_gemeente_decides_says_the_sources_do_not_know() -> None:
    # blind21-ouder-12: "zitten die ook in leeuwarden?" after the foundation for graduates with a disability
    events = [message("zitten die ook in leeuwarden?", "noem_gemeente", "x", 0.1, "Leeuwarden")]
    messages, result = run(
        ActionLokaalGemeente(), events, gemeente="Leeuwarden", laatste_artikel="studeren_werken_op_maat"
    )
    text = everything(messages)
    assert "Of dit ook in Leeuwarden zo is, staat niet in mijn bronnen." in text
    assert "Praat met een medewerker" in text  # the button to a person
    assert "Stel je vraag maar" not in text
    assert slots(result) == {"gemeente": "Leeuwarden", "laatste_artikel": "studeren_werken_op_maat"}
    # only naming the place, without a question: it is remembered
    events = [message("wij wonen in leeuwarden", "noem_gemeente", "x", 0.1, "Leeuwarden")]
    messages, _ = run(ActionLokaalGemeente(), events, gemeente="Leeuwarden", laatste_artikel="studeren_werken_op_maat")
    assert "Ik onthoud dat het om Leeuwarden gaat. Stel je vraag maar." in everything(messages)


def test_an_unknown_place_gets_a_polite_answer() -> None:
    messages, result = run(
        ActionLokaalGemeente(), [message("ik woon in Lutjebroek", "noem_gemeente", "hulp_zonder_uitkering", 0.15)]
    )
    [only] = messages
    assert only["text"].startswith("Die gemeente ken ik niet.")
    assert result == []


def test_garbage_in_the_slot_is_ignored() -> None:
    messages, _ = run(ActionKennisbankAntwoord(), [message("hoeveel uur", "faq", "jobcoach_uren")], gemeente="<script>")
    only, vraag = messages
    assert vraag.get("response") == "utter_vraag_doelgroep"
    assert UWV_2017_UREN in only["text"]


def test_a_question_word_means_a_question() -> None:
    assert heeft_vraag("ik woon in Utrecht, hoeveel uur krijg ik daar?")
    assert not heeft_vraag("ik woon in Utrecht")
    assert not heeft_vraag("en in Almere?")
    assert heeft_vraag("wij wonen in oss, mijn dochter zit op het vso. is er daar iets met beschut werk?")


def test_a_button_for_another_places_article_gives_that_article() -> None:
    button = trackers.user(
        '/faq{"artikel":"beschut_werk_almere"}', "faq", entities=[{"entity": "artikel", "value": "beschut_werk_almere"}]
    )
    messages, _ = run(ActionKennisbankAntwoord(), [button], gemeente="Rotterdam")
    assert "Almere" in messages[0]["text"]
    assert "Rotterdam" not in everything(messages)


def test_a_gemeente_whose_own_web_page_is_a_source_is_not_told_the_sources_say_nothing() -> None:
    # review R24 C1: loonkostensubsidie_hoogte cites the web page of Hof van Twente
    events = [message("hoe hoog is loonkostensubsidie in hof van twente", "faq", "loonkostensubsidie_hoogte")]
    messages, _ = run(ActionKennisbankAntwoord(), events, gemeente="Hof van Twente")
    lokaal, artikel = messages[0], messages[1]
    assert "niets in mijn bronnen" not in lokaal["text"] and "geen antwoord" not in lokaal["text"]
    # the article itself is about Hof van Twente: it follows in full, its local sentences are not said twice
    assert "Daarin staat ook wat mijn bronnen over deze plaats of regio zeggen." in lokaal["text"]
    assert "Hof van Twente" in artikel["text"] and "Gemeente Hof van Twente, Loonkostensubsidie" in artikel["text"]
    assert not set(sentences_of(lokaal["text"])) & set(sentences_of(artikel["text"]))
    assert artikel["text"].startswith("Hoe hoog loonkostensubsidie is")


def test_on_another_topic_that_gemeente_is_pointed_to_its_page() -> None:
    events = [message("jobcoach in horst aan de maas", "faq", "jobcoach_gemeente")]
    messages, _ = run(ActionKennisbankAntwoord(), events, gemeente="Horst aan de Maas")
    text = messages[0]["text"]
    assert "Bij dit onderwerp heb ik geen antwoord over de eigen regels van Horst aan de Maas." in text
    assert "Over Horst aan de Maas staat ook iets bij andere onderwerpen: zie de knoppen bij dit bericht." in text
    assert messages[0]["buttons"] == [
        {"title": "Hoe hoog is loonkostensubsidie?", "payload": '/faq{"artikel":"loonkostensubsidie_hoogte"}'}
    ]


def test_the_places_fact_the_question_asks_for_is_shown_first_whatever_its_topic() -> None:
    # blind22-clientenraad-05, in Amsterdam: the employer's €2,500 for jobcoaching (a fact on the jobcoach), not only
    # the facts on beschut werk, the topic of the article picked
    text = "krijgen werkgevers hier extra geld voor jobcoaching bij beschut werk?"
    events = [message(text, "faq", "beschut_werk_naar_regulier")]
    messages, _ = run(ActionKennisbankAntwoord(), events, gemeente="Amsterdam", audience="clientenraad")
    local = messages[0]["text"]
    assert "- In Amsterdam (2021) kon een werkgever van iemand in beschut werk het eerste jaar €2.500 extra" in local
    # a question that names only the place asks for none of its facts in particular
    kb = kennisbank_loader.default()
    assert gevraagde_feiten(kb, "jobcoach in amsterdam", LOKAAL.feiten(kb, "Amsterdam", None), ["Amsterdam"]) == []


def test_naming_almere_explains_beschut_werk_and_banenafspraak_once() -> None:
    # review R30: "Almere vraagt het advies beschut werk ... aan" came without the article's explanation
    messages, _ = run(ActionLokaalGemeente(), [message("ik woon in Almere", "noem_gemeente", "x", 0.1, "Almere")])
    [only] = messages
    text = only["text"]
    assert text.count("Beschut werk is betaald werk in een veilige, aangepaste omgeving.") == 1
    assert text.count("De banenafspraak is een afspraak uit 2013") == 1
    assert text.index("advies beschut werk") < text.index("Beschut werk is betaald werk")


def test_naming_hof_van_twente_says_the_money_goes_to_the_werkgever() -> None:
    messages, _ = run(ActionLokaalGemeente(), [message("gemeente Hof van Twente", "noem_gemeente", "x", 0.1)])
    text = messages[0]["text"]
    assert "loonkostensubsidie is het verschil tussen minimumloon en loonwaarde" in text
    # the national rule as the gemeente's web page gives it, not its own choice, and dated (review R78 C4)
    assert "dezelfde regel als bij Divosa" in text and "december 2026" in text
    assert "(Hof van Twente, 2026)" not in text
    assert "Divosa, Loonkostensubsidie" in text.splitlines()[-1]
    assert "Loonkostensubsidie is geld voor de werkgever" in text
    assert "Loonwaarde zegt hoeveel procent van het minimumloon je kunt verdienen." in text


def test_the_province_groningen_is_no_fact_about_the_gemeente_groningen() -> None:
    """Review R78 C2: "onderzoek in Groningen en Noord-Drenthe" (the province, the region WIZ) made a national article a
    local one for the gemeente Groningen only; every WIZ member now gets the same frame."""
    frames = {}
    for gemeente in ("Groningen", "Tynaarlo", "Het Hogeland"):
        messages, _ = run(
            ActionKennisbankAntwoord(),
            [message(f"hoe hoog is loonkostensubsidie in {gemeente}", "faq", "loonkostensubsidie_wie", 0.9)],
            gemeente=gemeente,
        )
        frames[gemeente] = [line for line in messages[0]["text"].splitlines() if "hieronder" in line.lower()]
    assert frames["Groningen"] == frames["Tynaarlo"] == frames["Het Hogeland"]
    assert "in het algemeen" in frames["Groningen"][0]


PLACES = ("Almere", "Amsterdam", "Oss", "Nijmegen", "Wijchen", "Groningen", "Tynaarlo", "Het Hogeland", "Utrecht")


@pytest.mark.parametrize("gemeente", PLACES)
def test_a_local_fact_does_not_start_with_a_dangling_dat_or_end_its_tag_on_a_definition(gemeente: str) -> None:
    """Review R44 B1-1: "- Dat is een regio waarin ..." after its subject was left out; B1-4: "... De banenafspraak is
    een afspraak uit 2013 ... (Oss, 2021)" read as Oss's 2021 practice."""
    terms = kennisbank_loader.load_terms()
    for audience in (None, Audience.werkgever, Audience.ouder):
        feiten = LOKAAL.feiten(KENNISBANK, gemeente, audience)
        text, _ = lokale_tekst(KENNISBANK, gemeente, audience, feiten, "")
        for line in text.splitlines():
            if not line.startswith("- "):
                continue
            assert not line[2:].startswith(("Dat ", "Dan ", "Die ", "Daar ", "Ook ", "Zo ", "Soms ")), line
            tag = re.search(r" \(([^,()]+), (\d{4}(?: en \d{4})*)\)", line)
            if tag:
                before = re.split(r"(?<=[.?!])\s+", line[2 : tag.start()])[-1]
                assert not any(t.explained_in(before) for t in terms.values()) or tag.group(1) in before, line


def test_what_the_next_message_explains_is_not_explained_in_the_local_part() -> None:
    """Review R44 B1-5: "Beschut werk is betaald werk in een veilige, aangepaste omgeving." in the local bullet, and
    again as the first sentence of the article that follows."""
    events = [message("wat is beschut werk in nijmegen", "faq", "beschut_werk_overzicht")]
    messages, _ = run(ActionKennisbankAntwoord(), events, gemeente="Nijmegen")
    lokaal, artikel = messages[0]["text"], messages[1]["text"]
    assert "Beschut werk is betaald werk" in artikel
    assert "Beschut werk is betaald werk" not in lokaal


def test_an_article_that_names_the_place_is_not_called_the_general_answer() -> None:
    """Review R46: vso_pro_wat_na_school names Route Arbeid+ in Groningen; "Wat mijn bronnen in het algemeen zeggen"
    before it was untrue."""
    events = [message("wat kan mijn zoon na het vso", "faq", "vso_pro_wat_na_school")]
    messages, _ = run(ActionKennisbankAntwoord(), events, gemeente="Groningen", audience="ouder")
    assert "Groningen" in messages[1]["text"]
    assert (
        "in het algemeen" not in messages[0]["text"] and "Hieronder lees je het hele antwoord." in messages[0]["text"]
    )


def test_a_source_named_after_the_place_does_not_make_an_article_about_the_place() -> None:
    """Review R56 F1: 'Hanzehogeschool Groningen' in the Bron line made 28 articles 'about Groningen'."""
    events = [message("hoe gaat dagbesteding naar werk", "faq", "dagbesteding_naar_werk")]
    messages, _ = run(ActionKennisbankAntwoord(), events, gemeente="Groningen", audience="werkzoekende")
    assert "Groningen" not in messages[1]["text"].split("Bron:")[0]
    assert "Hieronder lees je het hele antwoord" not in messages[0]["text"]
    assert "in het algemeen" in messages[0]["text"]


def test_an_aside_in_brackets_is_said_once_per_reply() -> None:
    """Review R46: "WerkBedrijf (de uitvoeringsorganisatie voor werk in die regio)" in two bullets of one reply."""
    feiten = LOKAAL.feiten(KENNISBANK, "Nijmegen", None)
    text, _ = lokale_tekst(KENNISBANK, "Nijmegen", None, feiten, "")
    assert text.count("WerkBedrijf") >= 2 and text.count("(de uitvoeringsorganisatie voor werk in die regio)") <= 1


def test_the_national_article_given_instead_of_another_places_example_is_called_general() -> None:
    """Review R58: a parent in Wijchen asks about Oss's approach; the national article follows and names Rijk van
    Nijmegen in passing, but it is no answer about Wijchen."""
    events = [message("hoe werkt van zorg naar werk", "faq", "dagbesteding_oss")]
    messages, _ = run(ActionKennisbankAntwoord(), events, gemeente="Wijchen", audience="ouder")
    assert "Hieronder lees je het hele antwoord" not in messages[0]["text"]
    assert "in het algemeen" in messages[0]["text"]


def test_a_fact_about_the_place_in_the_national_frame_is_announced_as_such() -> None:
    # Tynaarlo (regio WIZ), a question about the hours: the national frame jobcoach_gemeente holds the WIZ terms of
    # 2024, so the lead-in may not say there is nothing about Tynaarlo (review R72 R-2)
    events = [message("hoeveel uur jobcoaching krijg ik in tynaarlo", "faq", "jobcoach_uren", 0.8, "Tynaarlo")]
    messages, _ = run(ActionKennisbankAntwoord(), events, gemeente="Tynaarlo")
    lokaal, artikel = messages[0]["text"], messages[1]["text"]
    assert "regio WIZ" in artikel
    assert "geen antwoord over de eigen regels van Tynaarlo" not in lokaal
    assert "Daarin staat ook wat mijn bronnen over deze plaats of regio zeggen." in lokaal


def test_en_landelijk_after_a_local_answer_gets_the_national_answer_without_the_frame() -> None:
    """ "wij zijn de cliëntenraad van heerlen ..." ... "en landelijk?": the article, without Heerlen's frame."""
    event = trackers.user(
        "en landelijk?", "vervolgvraag", response_selector=selector("faq/beschut_werk_clientenraad", 0.1)
    )
    messages, events = run(
        ActionKennisbankAntwoord(), [event], gemeente="Heerlen", laatste_artikel="beschut_werk_clientenraad"
    )
    text = everything(messages)
    assert "Heerlen" not in text and "30.000" in text
    assert events[0]["value"] == "beschut_werk_clientenraad"
    # also when the classifier was unsure (nlu_fallback): not "Dat begrijp ik niet goed"
    event = trackers.user("en landelijk?", "nlu_fallback")
    messages, _ = run(ActionNietBegrepen(), [event], gemeente="Heerlen", laatste_artikel="beschut_werk_clientenraad")
    assert "Heerlen" not in everything(messages) and "30.000" in everything(messages)
    # naming the place again asks for its frame
    event = trackers.user("en in heerlen?", "vervolgvraag", entities=[{"entity": "gemeente", "value": "heerlen"}])
    messages, _ = run(
        ActionKennisbankAntwoord(), [event], gemeente="Heerlen", laatste_artikel="beschut_werk_clientenraad"
    )
    assert "Heerlen" in everything(messages)


def test_a_question_about_other_gemeenten_gets_no_frame_of_the_own_gemeente() -> None:
    """ "wij zijn de raad van deventer ..." ... "wat doen andere gemeenten?" (blind13): the differences between places,
    with their terms, not "Ik heb geen antwoord over de eigen regels van Deventer"."""
    event = trackers.user(
        "wat doen andere gemeenten?", "vervolgvraag", response_selector=selector("faq/jobcoach_regio_verschillen", 0.6)
    )
    messages, _ = run(ActionKennisbankAntwoord(), [event], gemeente="Deventer", laatste_artikel="jobcoach_gemeente")
    text = everything(messages)
    assert "Deventer" not in text
    assert "36 maanden" in text and "twee jaar" in text and "12 maanden" in text


def test_an_example_whose_place_the_user_names_is_given_as_it_is() -> None:
    """ "ik woon in winterswijk, in de achterhoek. wat krijgt ...": the Achterhoek's example, which names its place and
    year itself. Winterswijk is in the Achterhoek (bronnen.yml: the province's page), so without the region's name the
    example is the region's, with its place and year; in a place outside it, never the Achterhoek's as its rule."""
    text = "ik woon in winterswijk, in de achterhoek. wat krijgt mijn werkgever voor een interne jobcoach?"
    events = [message(text, "faq", "jobcoach_intern_achterhoek", 0.6, "Winterswijk")]
    messages, result = run(ActionKennisbankAntwoord(), events, gemeente="Winterswijk")
    assert "Dit is een voorbeeld uit de arbeidsmarktregio Achterhoek (2017)." in everything(messages)
    assert slots(result)["laatste_artikel"] == "jobcoach_intern_achterhoek"
    question = "wat heeft onze gemeente geregeld voor een interne jobcoach?"
    events = [message(question, "faq", "jobcoach_intern_achterhoek", 0.6, "Winterswijk")]
    messages, _ = run(ActionKennisbankAntwoord(), events, gemeente="Winterswijk")
    assert "Winterswijk" in messages[0]["text"] and "arbeidsmarktregio Achterhoek (2017)" in everything(messages)
    events = [message(question, "faq", "jobcoach_intern_achterhoek", 0.6, "Zwolle")]
    messages, _ = run(ActionKennisbankAntwoord(), events, gemeente="Zwolle")
    assert "Zwolle" in messages[0]["text"] and "6 procent" not in everything(messages)


def test_a_follow_up_after_the_user_named_the_examples_place_gets_the_example() -> None:
    """ "wij zitten in de achterhoek (winterswijk) ..." and then "en als die collega het echt als taak krijgt ...
    krijgen we dan iets voor zijn uren?" (blind10): the user said the region earlier; the example again (after the
    short note that Winterswijk makes its own rules), not the national article."""
    events = [
        message(
            "wij zitten in de achterhoek (winterswijk). hulp om een collega te trainen?",
            "faq",
            "jobcoach_intern_achterhoek",
            0.6,
            "Winterswijk",
        ),
        message("krijgen we dan iets voor zijn uren?", "faq", "jobcoach_intern_achterhoek", 0.6),
    ]
    messages, result = run(
        ActionKennisbankAntwoord(),
        events,
        gemeente="Winterswijk",
        audience="werkgever",
        laatste_artikel="jobcoach_intern_achterhoek",
    )
    assert "Dit is een voorbeeld uit de arbeidsmarktregio Achterhoek (2017)." in everything(messages)
    assert "6 procent" in everything(messages)
    assert slots(result)["laatste_artikel"] == "jobcoach_intern_achterhoek"


def test_a_gemeente_named_now_outweighs_the_place_named_before() -> None:
    """ "we hebben ook een zaak in lelystad. krijgen we daar hetzelfde?" (blind14) after a snackbar in Almere: the step
    to a regular job is an example from Almere (among others), which an earlier message named; the question is about
    Lelystad, so Lelystad's frame comes first, not the example as if it were the answer there."""
    events = [
        message(
            "wij hebben een snackbar in almere. wat krijgen we voor een beschut werkplek?",
            "faq",
            "beschut_werk_almere",
            0.7,
            "almere",
        ),
        message(
            "we hebben ook een zaak in lelystad. krijgen we daar hetzelfde?",
            "faq",
            "beschut_werk_naar_regulier",
            0.6,
            "lelystad",
        ),
    ]
    messages, result = run(
        ActionKennisbankAntwoord(),
        events,
        gemeente="Lelystad",
        audience="werkgever",
        laatste_artikel="beschut_werk_almere",
    )
    assert "Dat geldt ook voor Lelystad" in messages[0]["text"]
    assert slots(result)["laatste_artikel"] == "beschut_werk_naar_regulier"


def test_a_self_description_with_a_question_gets_the_answer_and_one_without_the_topics() -> None:
    """tell_audience: "wij zijn een schoonmaakbedrijf" is confirmed with the topics to choose from; "... in lelystad.
    krijgen we daar hetzelfde?" is a question, answered in the frame of the place it names (blind14)."""
    alone = trackers.user(
        "wij zijn een schoonmaakbedrijf met 30 medewerkers",
        "tell_audience",
        entities=[{"entity": "audience", "value": "werkgever"}],
    )
    messages, result = run(ActionAudienceBevestigd(), [alone], audience="werkgever")
    assert [m.get("response") for m in messages] == ["utter_audience_bevestigd"] and result == []
    asks = trackers.user(
        "we hebben ook een zaak in lelystad. krijgen we daar hetzelfde?",
        "tell_audience",
        entities=[{"entity": "gemeente", "value": "lelystad"}, {"entity": "audience", "value": "werkgever"}],
        response_selector=selector("faq/beschut_werk_naar_regulier", 0.6),
    )
    messages, result = run(ActionAudienceBevestigd(), [asks], audience="werkgever", gemeente="lelystad")
    assert "utter_audience_bevestigd" not in [m.get("response") for m in messages]
    assert "Dat geldt ook voor Lelystad" in messages[0]["text"]
    assert slots(result)["laatste_artikel"] == "beschut_werk_naar_regulier"


def test_a_self_description_without_an_audience_but_with_a_sure_article_gets_the_answer() -> None:
    """tell_audience that names nobody ("ik heb een klein strafblad maakt dat uit" after Open Hiring, blind17) is a
    question: a sure article answers it. Unsure, it still gets the question who the user is."""
    sure = trackers.user(
        "ik heb een klein strafblad maakt dat uit",
        "tell_audience",
        response_selector=selector("faq/open_hiring_overzicht", 0.73),
    )
    messages, _ = run(ActionAudienceBevestigd(), [sure], laatste_artikel="open_hiring_overzicht")
    assert "utter_audience_bevestigd" not in [m.get("response") for m in messages]
    assert "Open Hiring" in everything(messages)
    unsure = trackers.user(
        "ik heb een klein strafblad", "tell_audience", response_selector=selector("faq/open_hiring_overzicht", 0.3)
    )
    messages, _ = run(ActionAudienceBevestigd(), [unsure])
    assert [m.get("response") for m in messages] == ["utter_audience_bevestigd"]


def test_another_places_example_asked_for_this_place_gives_this_places_example() -> None:
    # blind21-clientenraad-08: "hoe doen ze het in amsterdam als het op het werk toch weer mis gaat?" ... "en in oss?":
    # how Oss catches it (the gemeente stays responsible), not the national text on dagbesteding
    events = [
        message("hoe doen ze het in amsterdam als het mis gaat", "faq", "dagbesteding_amsterdam", gemeente="Amsterdam"),
        trackers.slot("gemeente", "Amsterdam"),
        trackers.action("action_kennisbank_antwoord"),
        message("en in oss?", "noem_gemeente", "dagbesteding_amsterdam", 1.0, "Oss"),
        trackers.slot("gemeente", "Oss"),
    ]
    messages, result = run(ActionLokaalGemeente(), events, gemeente="Oss", laatste_artikel="dagbesteding_amsterdam")
    said = everything(messages)
    assert "blijft de gemeente Oss (2021) verantwoordelijk" in said
    assert LOKAAL.tekst("hieronder", Audience.werkzoekende) in said or LOKAAL.tekst("hieronder", None) in said
    amsterdam = KENNISBANK.articles["dagbesteding_amsterdam"].answer.for_audience(None).splitlines()[0]
    assert amsterdam not in said
    assert slots(result)["laatste_artikel"] == "dagbesteding_oss"
    # no example of this place on the topic: the national text, as before
    assert (
        LOKAAL.eigen_voorbeeld(KENNISBANK, KENNISBANK.articles["dagbesteding_amsterdam"], frozenset({"Zwolle"})) is None
    )


def test_a_correction_of_the_place_answers_the_question_for_the_place_meant() -> None:
    """ "sorry ik haal dingen door elkaar, ik zit in de raad van oss, niet amsterdam" after Amsterdam's dagbesteding
    (blind29): the place named as the wrong one is not the user naming the example's place, so the answer is about
    Oss (its own example on the topic), not Oss's facts in general."""
    text = "sorry ik haal dingen door elkaar, ik zit in de raad van oss, niet amsterdam"
    events = [
        message("wij zijn clientenraad in amsterdam. wat als iemand terug moet naar dagbesteding?", "faq", "x"),
        trackers.slot("gemeente", "Amsterdam"),
        trackers.slot("laatste_artikel", "dagbesteding_amsterdam"),
        message(text, "noem_gemeente", "dagbesteding_amsterdam", 0.5, "Oss"),
    ]
    current = {"gemeente": "Oss", "laatste_artikel": "dagbesteding_amsterdam", "audience": "clientenraad"}
    messages, result = run(ActionLokaalGemeente(), events, **current)
    assert slots(result) == {"gemeente": "Oss", "laatste_artikel": "dagbesteding_oss"}
    assert "Van Zorg naar Werk" in everything(messages)


def test_a_place_named_as_the_wrong_one_is_not_the_users_place() -> None:
    _, result = run(
        ActionLokaalGemeente(),
        two_places("wij zitten niet in amsterdam maar in breda", "Amsterdam", "Breda"),
        gemeente="breda",
    )
    assert slots(result)["gemeente"] == "Breda"
    _, result = run(
        ActionLokaalGemeente(),
        two_places("wij zitten in breda, niet in amsterdam", "Breda", "Amsterdam"),
        gemeente="amsterdam",
    )
    assert slots(result)["gemeente"] == "Breda"


def test_an_answer_to_a_correction_of_the_place_remembers_the_new_place() -> None:
    """Rasa's slot mapping keeps the last place named ("... breda, regio west-brabant, niet amsterdam"): the answer sets
    the place the message is about, so the next question is answered for Breda (blind31)."""
    text = "oeps ik haal dingen door elkaar. wij zijn de clientenraad van breda, regio west-brabant, niet amsterdam"
    entities = [
        {"entity": "gemeente", "value": place, "start": text.index(place.lower())} for place in ("Breda", "Amsterdam")
    ]
    events = [
        message("onze gemeente is amsterdam. hoe zit het met loonkostensubsidie?", "faq", "loonkostensubsidie_lokaal"),
        trackers.slot("gemeente", "amsterdam"),
        trackers.action("action_kennisbank_antwoord"),
        trackers.user(text, "faq", entities=entities, response_selector=selector("faq/loonkostensubsidie_lokaal")),
        trackers.slot("gemeente", "amsterdam"),
    ]
    _, result = run(
        ActionKennisbankAntwoord(), events, gemeente="amsterdam", laatste_artikel="loonkostensubsidie_lokaal"
    )
    assert [e["value"] for e in result if e.get("name") == "gemeente"] == ["Breda"]


def test_a_place_named_as_the_wrong_one_is_no_word_evidence() -> None:
    text = "sorry ik zat fout, het is niet de achterhoek maar west-brabant. hoe gaat het daar met jobcoaching?"
    assert "achterhoek" not in zonder_verkeerde_plaats(text)
    assert "west-brabant" in zonder_verkeerde_plaats(text)
    assert "amsterdam" not in zonder_verkeerde_plaats("wij zijn van breda, niet amsterdam")
    # "niet" before other words is part of the question
    assert zonder_verkeerde_plaats("ik wil niet meer werken in amsterdam") == "ik wil niet meer werken in amsterdam"
