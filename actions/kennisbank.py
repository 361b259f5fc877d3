"""Render kennisbank articles: the only way factual answers reach the user.

``action_kennisbank_antwoord`` answers a kennisbank question (intent ``faq``) and a follow-up that leaves out the
topic (intent ``vervolgvraag``, issue 19 §1). It remembers the article it gave in the slot ``laatste_artikel``;
``kennisbank.context`` resolves a follow-up against it, and keeps an unsure pick of the classifier on the current
topic. Every pick is logged with its reason.
"""

from __future__ import annotations

import logging
import re
from typing import Any, Dict, Iterator, List, Sequence, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from spacy.lang.nl.stop_words import STOP_WORDS

from actions import antwoorden
from actions.doelgroep import audience_events, audience_of
from actions.lokaal import (
    ALLEEN_NATIONAAL,
    LOKAAL,
    PLACES,
    ask_audience_once,
    gemeente_events,
    gemeente_van,
    lokaal_antwoord,
    user_texts,
    zonder_verkeerde_plaats,
)
from common import settings
from eligibility.vocabulary import Audience, Kind, Uitkering
from kennisbank import loader as kennisbank
from kennisbank.aspects import Aspect, Route
from kennisbank.context import (
    AUDIENCE_ASPECTS,
    COVERS_BETTER,
    GROUPING_TOPICS,
    KEEP_TOPIC_BELOW,
    LAST_ARTICLE_SLOT,
    LAST_ASPECT_SLOT,
    RERANK_THRESHOLD,
    ROUTE_NAMES,
    Resolution,
    acronyms,
    age_on_topic,
    age_stated,
    amount_stated,
    answer_coverage,
    answer_lemmas,
    article_words,
    as_subject,
    asks_a_question,
    asks_for_source,
    asks_if_still_valid,
    asks_next_step,
    asks_what_next,
    confirms,
    content_words,
    counts_for_it,
    covers,
    decided_option,
    differences_article,
    next_step,
    on_named_topic,
    on_topic_pick,
    places_of,
    places_stated,
    pointed_at,
    points_back,
    question_span,
    rare_word_article,
    related,
    rerank,
    resolve_follow_up,
    says_what_was_meant,
    shares_topic,
    splits_by_route,
    states,
    topic_overview,
    word_count,
    year_asked,
)
from kennisbank.loader import Article
from kennisbank.render import format_as_of, render_article, source_line
from kennisbank.retrieval import default_index

logger = logging.getLogger(__name__)

# Loaded and validated once, when the action server imports this module.
# A malformed article stops the server at start with a clear error.
KENNISBANK = kennisbank.default()
#: The words of each article (kennisbank/retrieval.py), built at start-up (about a second), not on a user's message.
WORD_INDEX = default_index()
#: Per word of the answers, the articles that use it (``pointed_at``: "die heffing" after the quotum).
WORDS = article_words(KENNISBANK)
#: ... and in their example questions too (``ActionNietInBronnen``).
QUESTION_WORDS = article_words(KENNISBANK, questions=True)
answer_lemmas(KENNISBANK)  # the lemmas of the answers (``covered_by_recent_answer``), cached at start-up too
#: Per aspect, the articles that have it ("ziekte": only the no-riskpolis).
ARTICLES_WITH_ASPECT = {
    aspect: tuple(a.id for a in KENNISBANK.articles.values() if aspect in a.aspects) for aspect in Aspect
}

#: Aspects that say who asks or where, not what is asked: a question with only these keeps the last question's aspect
#: (``asked_aspect_events``).
NOT_ASKED = frozenset({Aspect.lokaal, *AUDIENCE_ASPECTS.values()})
#: Aspects that in a full question say more about the asker than about what is asked ("bij ons" is lokaal, "mijn baas"
#: werkgever): they do not make an unsure question a question about that aspect (``aspect_of_named_topic``).
CONTEXT_ASPECTS = NOT_ASKED | {Aspect.overzicht, Aspect.werkwijze, Aspect.achtergrond}

FOLLOW_UP_INTENT = "vervolgvraag"
#: The replies to a message that was not understood (the second one in a row offers a person).
NOT_UNDERSTOOD = frozenset({"utter_fallback_suggesties", "utter_fallback_weet_niet"})
#: A message the classifier was unsure of takes the selector's best article on the current topic from this
#: confidence (higher than ON_TOPIC_FLOOR: the message need not be a follow-up at all).
UNSURE_ON_TOPIC_FLOOR = 0.10
#: An aspect no article on the topic has: the selector's best article on the topic from this confidence, before the
#: honest "no answer" (eval 2026-12-06: 0.11 for a wrong Open Hiring article at "wie beslist dat?").
ASPECT_ELSEWHERE_FLOOR = 0.15
#: A follow-up takes the selector's pick from this confidence when it has the asked aspect and is on the topic, whatever
#: the score says (``sure_on_topic``).
SURE_FOLLOW_UP = 0.50
#: A message of at most this many words that names no topic is read as a follow-up when the selector is unsure
#: (``short_follow_up``).
SHORT_WORDS = 8
#: ... and a message that starts with "en" ("en als ..."): it adds to what was said.
SHORT_EN_WORDS = 12
STARTS_WITH_EN = re.compile(r"^\W*en\b", re.IGNORECASE)
#: Such a short message leaves the conversation's topic only from this selector confidence (the rest: from
#: ``KEEP_TOPIC_BELOW``).
SHORT_KEEP_TOPIC_BELOW = 0.5
#: A question that names an aspect but no topic, whose article the selector is less sure of than this and that is off
#: the current topic, is a follow-up on the current topic ("wat kunnen we als raad doen" after beschut werk: the
#: register's questions for a cliëntenraad at 0.39).
OFF_TOPIC_UNSURE = 0.50
#: ... and up to this for a question that names no topic and points back at it ("kunnen wij dat zelf aanvragen ...").
POINTING_UNSURE = 0.70
#: The words that point back at the current topic in such a question; not as the subject of "is" ("we hebben een paar
#: maanden gewacht met aanvragen. is dat een probleem?" points at the waiting).
POINTER = re.compile(r"\b(?<!is )(?<!was )(dat|die|dit)\b(?! is\b| was\b)", re.IGNORECASE)
#: UWV named only to compare the gemeente's rule with ("... net als bij uwv", "zoals het uwv"): the text before it.
COMPARED_WITH = re.compile(
    r"\b(?:net\s+als|zoals|hetzelfde\s+als|gelijk\s+aan|evenals|net\s+zoals)\s+(?:bij\s+)?(?:het\s+|de\s+)?$",
    re.IGNORECASE,
)
#: A thing pointed at ("die polis") is looked for in this many of the conversation's last articles.
RECENT_ARTICLES = 3
#: A message whose intent was unsure (nlu_fallback) but whose article the selector is this sure of gets that article
#: (below it: topics to choose from). Cross-validated (results/bench_nlu/predictions.json, 2026-12-05), the selector's
#: first pick from 0.45 was the right article for 98% of kennisbank questions (1,806 of 1,988 reached it).
SURE_ARTICLE = 0.45
#: ... and from this confidence when the classifier's best guess after the fallback was a kennisbank question (faq):
#: in the same cross-validation all 9 fallback questions whose selector pick was 0.25 or more got the right article
#: ("mijn zoon zit op het vso, laatste jaar. wat nu eigenlijk": faq 0.49 under the 0.5 threshold, article 0.34).
LIKELY_ARTICLE = 0.30


def acknowledge_tone(dispatcher: CollectingDispatcher, message: Dict[str, Any]) -> None:
    """ "die jobcoach zien we nooit ... waar is dat nou goed voor??": a question that also says the user is fed up or
    worried (entity ``toon``, reintegratie/nlu/frustration_guard.py) gets the feeling acknowledged before its answer;
    frustration first when it says both."""
    tones = set(_values(message, "toon"))
    if "frustratie" in tones:
        dispatcher.utter_message(response="utter_frustratie_met_vraag")
    elif "zorgen" in tones:
        dispatcher.utter_message(response="utter_zorgen_met_vraag")


def still_valid_reply(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[Dict[str, Any]] | None:
    """ "en geldt dat nu nog steeds?" after an answer: the date it was true, and who to ask what holds now (the sources
    do not say). None: another message, or no answer to ask about."""
    message = tracker.latest_message or {}
    current = KENNISBANK.get(current_article(tracker) or "")
    if current is None or _button_article(message) or not asks_if_still_valid(str(message.get("text") or "")):
        return None
    logger.info("Vraag of het laatste antwoord (%s) nog geldt: stand %s", current.id, current.as_of)
    wie = ROUTE_NAMES[current.route] if current.route else "de gemeente of UWV"  # who knows what holds now
    dispatcher.utter_message(response="utter_nog_actueel", stand=format_as_of(current.as_of), wie=wie)
    return []


def next_step_reply(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[Dict[str, Any]] | None:
    """ "en daarna?" after an answer that told a process: what the last answer says after the part that answered the
    question before (``next_step``), with its source and date. None: another message, or no such part."""
    message = tracker.latest_message or {}
    current = KENNISBANK.get(current_article(tracker) or "")
    if current is None or _button_article(message) or not asks_next_step(str(message.get("text") or "")):
        return None
    written = user_texts(tracker)
    question = written[-2] if len(written) > 1 else ""
    audience = audience_of(tracker)
    text = next_step(KENNISBANK, current, audience, question)
    if text is None:
        return None
    logger.info(
        "Wat daarna kwam: het vervolg van het laatste antwoord (%s) na het deel over de vraag ervoor", current.id
    )
    dispatcher.utter_message(
        text="\n".join([text, source_line(KENNISBANK, current), f"Stand: {format_as_of(current.as_of)}"]),
        buttons=render_article(KENNISBANK, current.id, audience).buttons,
    )
    return []


def last_answer_reply(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[Dict[str, Any]] | None:
    """A question about the last answer itself: whether it still holds (``still_valid_reply``), or what came next
    (``next_step_reply``). None: neither."""
    for reply in (still_valid_reply, next_step_reply):
        events = reply(dispatcher, tracker)
        if events is not None:
            return events
    return None


def best_guess_intent(message: Dict[str, Any]) -> str | None:
    """The classifier's best intent other than the fallback."""
    ranking = message.get("intent_ranking") or []
    return next((str(row.get("name")) for row in ranking if row.get("name") != "nlu_fallback"), None)


def _button_article(message: Dict[str, Any]) -> str | None:
    for entity in message.get("entities") or []:
        if entity.get("entity") == "artikel" and entity.get("value"):
            return str(entity["value"])
    return None


def _article_of(key: str) -> str | None:
    prefix, _, article_id = key.partition("/")
    return article_id if prefix == "faq" and article_id else None


def requested_article(message: Dict[str, Any]) -> str | None:
    """The article a message asks for: a button's ``artikel`` entity, else the ResponseSelector's pick."""
    selected = ((message.get("response_selector") or {}).get("faq") or {}).get("response") or {}
    return _button_article(message) or _article_of(selected.get("intent_response_key") or "")


def selector_ranking(message: Dict[str, Any]) -> List[Tuple[str, float]]:
    """The ResponseSelector's candidates as (article id, confidence), best first; its pick when it has no ranking."""
    faq = (message.get("response_selector") or {}).get("faq") or {}
    rows = list(faq.get("ranking") or []) or [faq.get("response") or {}]
    ranking = []
    for row in rows:
        article_id = _article_of(str(row.get("intent_response_key") or ""))
        if article_id:
            ranking.append((article_id, float(row.get("confidence") or 0.0)))
    # a stable sort: a tie that with_word_evidence broke for the topic (best_first) stays broken
    return sorted(ranking, key=lambda pair: -pair[1])


#: A worried or angry first message this long tells a situation, not only a feeling: the words it shares with the
#: articles count (``with_word_evidence``). The fresh authors' stories were 26 to 32 words and expected the facts
#: (blind3-7); our own feelings without a subject ("ik zit al 2 jaar thuis zonder werk en ik ben er echt klaar mee")
#: 15 to 20, and an article picked by their few words was mostly beside the point.
FEELING_STORY_WORDS = 24
#: An unsure selector ranking (its pick under RERANK_THRESHOLD) gets the words the message shares with each article as
#: evidence: confidence + WORD_WEIGHT * word score (kennisbank/retrieval.py; 0.2 to 0.4 did equally well there).
WORD_WEIGHT = 0.3
#: Word scores this close to the best are a tie that the current topic breaks (``best_first``).
CLOSE_CALL = 0.03
#: ... and for the example of the user's own place, while the conversation is about it (``best_first``)
OWN_PLACE_CALL = 0.08
#: The example of the user's own place, just answered, covers a question better than a sure pick by this much: "wat
#: voor contract krijgt zo iemand" after Almere's beschut werk, 1.0 against UWV's contract rule 0.84. A tie is not
#: enough: "hoe lang duurt zo'n harrie helpt training" is in the article on the training, the Achterhoek's names it.
OWN_PLACE_COVERS_BETTER = 0.1
#: A word that a third of the articles use ("jobcoach" is in 40 of 76) says nothing about which answer is meant.
SAID_WORD_MAX_SHARE = 1 / 3
#: The ranking with the word evidence keeps this many candidates, as the selector's own does.
RANKING_LENGTH = 10


def previous_user_text(tracker: Tracker) -> str:
    """What the user wrote before the latest message ("" at the start, or when that was a button's payload)."""
    texts = [str(e.get("text") or "") for e in tracker.events if e.get("event") == "user"]
    return texts[-2] if len(texts) >= 2 and not texts[-2].startswith("/") else ""


def with_word_evidence(message: Dict[str, Any], tracker: Tracker, feeling: bool = False) -> Dict[str, Any]:
    """``message`` with its selector ranking re-scored by the words it and the user's message before it share with each
    article, when it is a longer follow-up in a conversation with a topic and the selector is unsure ("kunnen we zelf
    iemand opleiden om hem te begeleiden?" after "de jobcoach van de gemeente stopt nu"). Otherwise (a button, a sure
    pick, a first question, a short follow-up, no known word): ``message`` as it is. On the rounds of blind
    conversations, a first question and a short follow-up lost more than they gained from these words.

    A worried or angry message (``feeling``) of ``FEELING_STORY_WORDS`` words or more gets them also as the first
    message: it tells a situation in the user's own words ("onze gemeente geeft mensen een traject van een half jaar en
    dan houdt het op"), and without an article it gets only the acknowledgement."""
    ranking = selector_ranking(message)
    text = str(message.get("text") or "")
    if _button_article(message) or not ranking or ranking[0][1] >= RERANK_THRESHOLD:
        return message
    if is_short(text):  # a short follow-up: the context rules decide
        return message
    if current_article(tracker) is None and not (feeling and word_count(text) >= FEELING_STORY_WORDS):
        return message
    earlier = "" if says_new_question(message) else previous_user_text(tracker)  # a new question: its own words
    words = WORD_INDEX.scores(zonder_verkeerde_plaats(f"{earlier} {text}"))
    named = set(_values(message, "onderwerp"))
    if named:  # "mag die coach dan blijven?" after a word on health: only the named topic's articles get the words
        words = {a: score for a, score in words.items() if named & set(KENNISBANK.articles[a].topics)}
    if not words:
        return message
    combined = dict(ranking)
    for article_id, score in words.items():
        combined[article_id] = combined.get(article_id, 0.0) + WORD_WEIGHT * score
    current = KENNISBANK.get(current_article(tracker) or "")
    own_place = example_of_own_place(current, tracker)
    best = best_first(combined, current.id if current else None, own_place)[:RANKING_LENGTH]
    logger.info(
        "Selector onzeker (%s %.2f); met de woorden van het gesprek: %s",
        ranking[0][0],
        ranking[0][1],
        ", ".join(f"{a} {c:.2f}" for a, c in best[:3]),
    )
    rows = [{"intent_response_key": f"faq/{a}", "confidence": c} for a, c in best]
    selector = {**(message.get("response_selector") or {})}
    selector["faq"] = {**(selector.get("faq") or {}), "response": rows[0], "ranking": rows}
    return {**message, "response_selector": selector}


def best_first(scores: Dict[str, float], previous: str | None, own_place: bool = False) -> List[Tuple[str, float]]:
    """``scores`` best first; when the best is off the current topic and an article on it scores within ``CLOSE_CALL``,
    that article goes first: "mag de gemeente mensen uit de bijstand verplichten om daar te gaan werken?" after Open
    Hiring scored the gemeente's jobcoach 0.41 and Open Hiring's "zonder dwang" 0.40 (the word scores move by a few
    hundredths with every article added to the kennisbank). When the current article is the example of the user's own
    place (``own_place``), it goes first within ``OWN_PLACE_CALL``: in Almere, "ik hoorde dat je eerst op proef gaat.
    krijg ik dan al loon?" after Almere's beschut werk is about Almere's trial (0.30), not trial placements in general
    (0.36)."""
    ranked = sorted(scores.items(), key=lambda pair: -pair[1])
    if not ranked or on_topic(ranked[0][0], previous):
        return ranked

    def near(article_id: str, score: float) -> bool:
        if own_place and article_id == previous:
            return score >= ranked[0][1] - OWN_PLACE_CALL
        return score >= ranked[0][1] - CLOSE_CALL and on_topic(article_id, previous)

    close = next((pair for pair in ranked[1:] if near(*pair)), None)
    if close is None:
        return ranked
    # its score is raised to the best one's, so reading the ranking back keeps the order (selector_ranking sorts)
    lifted = (close[0], ranked[0][1])
    return [lifted, *(pair for pair in ranked if pair[0] != close[0])]


def chosen_article(message: Dict[str, Any], previous: str | None, ranking: Sequence[Tuple[str, float]]) -> Resolution:
    """A button's article as it is; else the selector's pick: when it is unsure, on the one topic the message names, or
    else on the current topic (a short message that names no topic stays on it: ``short_follow_up``)."""
    button = _button_article(message)
    if button:
        return Resolution(button, f"{button}: knop")
    named = _values(message, "onderwerp")
    if len(named) == 1:
        on_named = on_named_topic(KENNISBANK, ranking, named[0])
        if on_named is not None:
            return on_named
    stay = short_follow_up(message)
    return rerank(
        KENNISBANK, previous, ranking, threshold=SHORT_KEEP_TOPIC_BELOW if stay else KEEP_TOPIC_BELOW, stay=stay
    )


def short_follow_up(message: Dict[str, Any]) -> bool:
    """A message of at most ``SHORT_WORDS`` words (``SHORT_EN_WORDS`` when it starts with "en") that names no topic and
    no gemeente and does not say it is a new question: "is die al ingegaan", "wat is normaal dan", "wat krijgen we voor
    de begeleiding", "en krijg je dan gelijk geld of eerst stage"."""
    text = str(message.get("text") or "")
    return (
        is_short(text)
        and not _entity_names(message) & {"onderwerp", "gemeente", "artikel"}
        and not says_new_question(message)
    )


def is_short(text: str) -> bool:
    """At most ``SHORT_WORDS`` words, or ``SHORT_EN_WORDS`` when it starts with "en"."""
    words = word_count(text)
    return words <= SHORT_WORDS or (words <= SHORT_EN_WORDS and STARTS_WITH_EN.match(text) is not None)


def _entity_names(message: Dict[str, Any]) -> set[str]:
    """The names of the entities in a message ("uren", "aspect", ...)."""
    return {str(e.get("entity")) for e in message.get("entities") or []}


def _values(message: Dict[str, Any], name: str) -> List[str]:
    """The values of the entity ``name`` in the order the user wrote them, each once."""
    entities = [e for e in message.get("entities") or [] if e.get("entity") == name and e.get("value")]
    entities.sort(key=lambda e: int(e.get("start") or 0))
    return list(dict.fromkeys(str(e["value"]).lower() for e in entities))


def follow_up_terms(message: Dict[str, Any], previous: str | None = None) -> Tuple[List[Aspect], Route | None]:
    """The aspects (in the order written, an objection first) and the route a follow-up names; unknown values are
    ignored. With the current article ``previous``: an organisation that is the subject of the question ("en moet de
    gemeente die plek echt geven?") is no route, on a topic that is one organisation's alone (``splits_by_route``), and
    neither is "onze gemeente" there: "welke cijfers kunnen we bij onze gemeente opvragen?" after beschut werk
    (blind22)."""
    aspects = [Aspect(v) for v in _values(message, "aspect") if v in Aspect.__members__]
    if Aspect.bezwaar in aspects:
        # a complaint or an objection is what is asked, wherever it stands: "waar kunnen die mensen terecht met een
        # klacht" (blind24) asks where to complain, not how to apply
        aspects = [Aspect.bezwaar, *(a for a in aspects if a is not Aspect.bezwaar)]
    current = KENNISBANK.get(previous) if previous else None
    if current is not None and Aspect.ziekte in aspects and dropping_out(str(message.get("text") or ""), current):
        aspects = [Aspect.terugval if a is Aspect.ziekte else a for a in dict.fromkeys(aspects)]
    if current is not None and Aspect.wet in aspects and Aspect.wet not in current.aspects:
        # "staat dat in de wet?" after the Pro's nazorg: no article on the topic says what the law says, but the last
        # answer does (an agreement, not a law): it is asked about the last answer
        if not any(Aspect.wet in a.aspects and related(a, current) for a in KENNISBANK.articles.values()):
            aspects = [a for a in aspects if a is not Aspect.wet]
    if current is not None and not splits_by_route(KENNISBANK, current):
        text = str(message.get("text") or "")

        def no_route(entity: Dict[str, Any]) -> bool:
            start = int(entity.get("start") or 0)
            end = int(entity.get("end") or start)
            return as_subject(text, start, end) or OWN_GEMEENTE.search(text[:start]) is not None

        message = {
            **message,
            "entities": [e for e in message.get("entities") or [] if e.get("entity") != "route" or not no_route(e)],
        }
    routes = [Route(v) for v in _values(message, "route") if v in Route.__members__]
    return aspects, (routes[0] if routes else None)


#: "onze gemeente", "ons gemeentebestuur": the user's own gemeente, the text before the route word
OWN_GEMEENTE = re.compile(r"\b(?:onze|ons)\s+$", re.IGNORECASE)
#: "als iemand uitvalt", "valt hij uit": sick leave to an employer, dropping out on the way from dagbesteding to work
DROPS_OUT = re.compile(r"\buitval\w*|\bvalt\b(\s+\w+){0,2}\s+uit\b", re.IGNORECASE)
SICK = re.compile(r"\bziek\w*", re.IGNORECASE)
#: Topics about a route to work where people drop out (to a new place, or back to dagbesteding), not fall ill
DROP_OUT_TOPICS = frozenset({"dagbesteding", "vso_pro", "open_hiring"})


def dropping_out(text: str, current: Article) -> bool:
    """Whether "uitvallen" means dropping out here, not sick leave: the message does not say "ziek", and the current
    topic is a route to work (``DROP_OUT_TOPICS``): "en als iemand uitvalt?" after Almere's way from dagbesteding to
    work (blind11) is about a new place or going back (aspect terugval), not the employer's no-riskpolis."""
    if not DROPS_OUT.search(text) or SICK.search(text):
        return False
    return bool(set(current.topics) & DROP_OUT_TOPICS)


def switched_topic(message: Dict[str, Any], previous: str | None, audience: Audience | None = None) -> str | None:
    """A follow-up that names another topic than the current one ("en voor een jobcoach?", "ik vroeg naar een
    vergoeding voor een jobcoach, niet voor loon"): that topic's overview article, the new context. None: no topic
    named, or the current one."""
    current = KENNISBANK.get(previous) if previous else None
    for topic in _values(message, "onderwerp"):
        if current is not None and topic in current.topics:
            return None
        overview = topic_overview(KENNISBANK, topic, audience)
        if overview is not None:
            return overview.id
    return None


def resolve(
    previous: str | None,
    aspects: Sequence[Aspect],
    route: Route | None,
    audience: Audience | None,
    ranking: Sequence[Tuple[str, float]],
    places: Sequence[str] = (),
    last_aspect: Aspect | None = None,
    text: str = "",
    earlier: Sequence[str] = (),
) -> Resolution:
    """Each aspect with the route, then each aspect alone, then the route alone: the first that finds an article.
    An aspect with a route that nothing on the current topic answers is tried on the ``earlier`` articles of the
    conversation before the aspect alone ("bij het uwv is het toch langer?" after a side question on bezwaar: UWV's
    duration, about the jobcoach of two answers back); an aspect nothing on the topic has at all, after it.
    Between two articles that answer it equally well, the one that uses more of the words of ``text`` (``words_used``).
    A route alone asks the last question again for that route ("hoeveel uur moet ik werken?" ... "en bij het uwv?":
    ``last_aspect`` voorwaarden with route uwv first). No aspect or route we know: the classifier's best candidate
    (``ranking``) on the current topic."""
    if not aspects and route is None:
        return on_topic_pick(KENNISBANK, previous, ranking, places=places)
    attempts: List[Tuple[Aspect | None, Route | None]] = [(aspect, route) for aspect in aspects]
    current = KENNISBANK.get(previous) if previous else None
    if not aspects and last_aspect is not None and current is not None and current.route is not route:
        attempts.append((last_aspect, route))
    if route is not None:
        attempts += [(aspect, None) for aspect in aspects] + [(None, route)]
    words = words_used(text)
    resolutions = [
        resolve_follow_up(KENNISBANK, previous, aspect, asked, audience, places, words) for aspect, asked in attempts
    ]

    def on_earlier_topic(asked: Route | None) -> Resolution | None:
        """The first aspect (with ``asked``) on the topics of the conversation's earlier articles, the latest first."""
        tried = (resolve_follow_up(KENNISBANK, e, aspects[0], asked, audience, places, words) for e in earlier)
        back = next((r for r in tried if r.article_id), None)
        return (
            Resolution(back.article_id, f"{resolutions[0].reason}; eerder in het gesprek: {back.reason}")
            if back
            else None
        )

    if aspects and route is not None and not resolutions[0].article_id and (back := on_earlier_topic(route)):
        return back
    found = next((r for r in resolutions if r.article_id), None)
    # nothing on the current topic has the aspect: the topic of an earlier answer may ("en als het mis gaat? sta ik dan
    # met niks" after Open Hiring and then a side question on trial placements: Open Hiring's fallback)
    if found is None and aspects and (back := on_earlier_topic(None)):
        return back
    sure = sure_on_topic(current, aspects, route, ranking)
    if found is not None and sure is not None and same_route(sure, found.article_id):
        # "hoe hoog is dat bedrag" after the employer's overview: the selector is sure of the LKS amount, which has the
        # aspect and is on the topic; the score alone would pick the interne jobcoach's subsidy. Not another
        # organisation's article than the score's: the score knows the conversation's route
        return Resolution(
            sure, f"{found.reason}; de selector is zeker van {sure} ({ranking[0][1]:.2f}), ook bij het onderwerp"
        )
    if found is None and route is None:
        # an aspect no article on the topic has ("en als hij eerder uit dienst gaat?"): the selector's best article on
        # the topic, the last one included, if it is sure enough; else the honest "no answer" ("wie beslist dat?"
        # about Open Hiring: no source says)
        on_topic = on_topic_pick(KENNISBANK, previous, ranking, floor=ASPECT_ELSEWHERE_FLOOR, places=places)
        if on_topic.article_id:
            return Resolution(on_topic.article_id, f"{resolutions[0].reason}; {on_topic.reason}")
    return found or resolutions[0]


def telling_words(text: str, index: Dict[str, frozenset[str]]) -> Iterator[Tuple[str, frozenset[str]]]:
    """The words of ``text`` (``content_words``, each once) with the articles of ``index`` that use them, for the words
    that some article uses and at most ``SAID_WORD_MAX_SHARE`` of the articles do."""
    most = SAID_WORD_MAX_SHARE * len(KENNISBANK.articles)
    for word in dict.fromkeys(content_words(text, acronyms(KENNISBANK))):
        users = index.get(word, frozenset())
        if users and len(users) <= most:
            yield word, users


def words_used(text: str) -> Dict[str, float]:
    """Per article, how many words of ``text`` its answer or example questions use (``telling_words``: "screening":
    Oss's example; "werkgever": none)."""
    found: Dict[str, float] = {}
    for _, users in telling_words(text, QUESTION_WORDS):
        for article_id in users:
            found[article_id] = found.get(article_id, 0.0) + 1
    return found


def sure_on_topic(
    current: Article | None, aspects: Sequence[Aspect], route: Route | None, ranking: Sequence[Tuple[str, float]]
) -> str | None:
    """After an article on several topics (an overview: "welke subsidie kunnen we krijgen"), the selector's pick when it
    is sure of it (from ``SURE_FOLLOW_UP``) and it answers the follow-up: it has an asked aspect, the asked route, and
    is related to the current article. The follow-up names no topic, so which of them it is about is the question the
    selector answers. None otherwise (after an article on one topic, the score decides)."""
    if current is None or len(set(current.topics) - GROUPING_TOPICS) < 2:
        return None
    if not ranking or ranking[0][1] < SURE_FOLLOW_UP:
        return None
    pick = KENNISBANK.get(ranking[0][0])
    if pick is None or not set(aspects) & set(pick.aspects) or (route is not None and pick.route is not route):
        return None
    return pick.id if pick.id == current.id or related(pick, current) else None


def same_route(article_id: str, other_id: str | None) -> bool:
    """Whether two different articles are not about two different organisations."""
    article, other = KENNISBANK.get(article_id), KENNISBANK.get(other_id or "")
    if article is None or other is None or article.id == other.id:
        return False
    return article.route is None or other.route is None or article.route is other.route


def in_context(
    message: Dict[str, Any],
    previous: str | None,
    audience: Audience | None,
    unsure: bool,
    places: Sequence[str] = (),
    last_aspect: Aspect | None = None,
    earlier: Sequence[str] = (),
) -> Resolution:
    """A follow-up (or an unsure message, ``unsure``) resolved against the current topic (``earlier``: the articles
    before it, latest first, for an aspect with a route the topic lacks); a message that names another topic is
    resolved against that topic instead, and without an aspect or route it gets that topic's overview.
    ``places``: the conversation's gemeente and its regions (an example from another place is not its answer). What
    the last article states (``in_last_answer``) is answered by it; a follow-up nothing on the topic answers gets the
    last article again, unless it only asks what comes next ("en dan?": the topic's follow-up questions)."""
    aspects, route = follow_up_terms(message, previous)
    ranking = selector_ranking(message)
    text = str(message.get("text") or "")
    topic = switched_topic(message, previous, audience)
    if topic is not None:
        if not aspects and route is None and last_aspect is not None and says_what_was_meant(text, SHORT_WORDS):
            # "sorry, ik bedoelde eigenlijk de no-riskpolis": the last question again, for the topic meant
            meant = resolve(topic, [last_aspect], None, audience, ranking, places)
            article = KENNISBANK.get(meant.article_id or "")
            named = set(_values(message, "onderwerp")) & set(KENNISBANK.articles[topic].topics)
            if article is not None and named & set(article.topics):
                why = f"bedoeld onderwerp, de vorige vraag ({last_aspect.value})"
                return Resolution(article.id, f"{why}: {meant.reason}")
        if not aspects and route is None:
            return Resolution(topic, f"ander onderwerp genoemd: {topic}")
        resolution = resolve(topic, aspects, route, audience, ranking, places, last_aspect, text)
        found = KENNISBANK.get(resolution.article_id or "")
        if found is not None and not set(_values(message, "onderwerp")) & set(found.topics):
            # "nee wacht ik bedoel dagbesteding, niet beschut werk. wie beslist dat" (blind24): no article on
            # dagbesteding has the aspect, and the one linked to it is about beschut werk; the topic named is the answer
            return Resolution(topic, f"ander onderwerp genoemd ({topic}); {resolution.reason}, niet over dat onderwerp")
        return Resolution(resolution.article_id or topic, f"ander onderwerp genoemd ({topic}); {resolution.reason}")
    current = KENNISBANK.get(previous) if previous else None
    in_last = in_last_answer(text, current, route) or age_on_topic(KENNISBANK, text, current)
    if in_last is not None:
        return in_last
    if current is not None and ALLEEN_NATIONAAL.match(text):
        # "en landelijk?" after a local answer, also when the classifier was unsure: the same answer without the frame
        return Resolution(current.id, f"het landelijke antwoord op het laatste onderwerp ({current.id})")
    if current is not None and asks_for_source(text):
        return Resolution(current.id, f"vraag naar de bron van het laatste antwoord ({current.id})")
    if current is not None and confirms(text) and Aspect.wet not in aspects:
        # not for "dus wettelijk is het max 2 jaar?": that checks the law, which another article states
        return Resolution(current.id, f"controleert het laatste antwoord ({current.id})")
    if unsure and current is not None and not (aspects or route):
        rare = rare_word_article(text, current, KENNISBANK, WORDS, ranking)
        if rare is not None:
            return Resolution(rare[0], f"onzeker, maar '{rare[1]}' staat in {rare[0]} (bij het onderwerp)")
    if unsure:
        resolution = resolve_unsure(previous, aspects, route, audience, ranking, places, last_aspect, text, earlier)
        word = said_in_last_answer(text, current) if resolution.article_id is None and not (aspects or route) else None
        if word is not None and current is not None:
            # "kan ze dan ook een uitkering krijgen" after the vso examples, which say who looks at a benefit: what was
            # just said about it, not "Dat begrijp ik niet goed"
            return Resolution(current.id, f"{resolution.reason}; '{word}' staat in het laatste antwoord ({current.id})")
        if resolution.article_id is None and current is not None and covering_recent_answer(text, [current], audience):
            # "krijg ik dan loon in die tijd" after Almere's beschut werk: one passage says so ("In die weken kreeg je
            # nog geen loon")
            return Resolution(current.id, f"{resolution.reason}; het laatste antwoord dekt de vraag")
        return resolution
    resolution = resolve(previous, aspects, route, audience, ranking, places, last_aspect, text, earlier)
    if resolution.article_id is None and current is not None and not (aspects or route) and not asks_what_next(text):
        # "en als we dat niet halen?" after the quotum: the answer is in what was just said, not in a menu
        return Resolution(current.id, f"{resolution.reason}; het laatste antwoord opnieuw ({current.id})")
    return resolution


def asked_from_last_answer(text: str, current: Article | None, route: Route | None = None) -> str | None:
    """What the message asks that the last article states: a year of its split per year ("hoeveel is dat in jaar 2?":
    "jaar 2"), an age ("tot hoe oud blijft hij op school": "18 jaar"), the places it names ("welke gemeenten deden
    mee?"), a thing it names that the user points at ("hoe hoog is die heffing": "heffing"), or the amount of what it
    is about when it states amounts ("om hoeveel geld gaat het ongeveer"). None: nothing, or another route is asked
    than the article's."""
    if current is None or route not in (None, current.route):
        return None
    year = year_asked(text)
    if year and states(current, year):
        return year
    return (
        age_stated(text, current)
        or places_stated(text, current, PLACES)
        or pointed_at(text, current, WORDS)
        or amount_stated(text, current)
    )


def said_in_last_answer(text: str, current: Article | None) -> str | None:
    """A word of an unsure follow-up that the last article states (``telling_words``: "uitkering", in 20 of 76
    articles); none: None."""
    if current is None:
        return None
    return next((word for word, users in telling_words(text, WORDS) if current.id in users), None)


def own_route(tracker: Tracker) -> Route | None:
    """The organisation for the user's own situation, from the benefit they named in this conversation (slot
    uitkering): a UWV benefit is UWV's route, bijstand or none the gemeente's (issue 19 §2); none named: None."""
    raw = tracker.get_slot("uitkering")
    parsed = antwoorden.uitkering(raw) if isinstance(raw, str) else None
    if parsed not in Uitkering.__members__:
        return None
    return Route.uwv if Uitkering(parsed).via_uwv else Route.gemeente


#: help "van de gemeente", "via het uwv", "bij mijn gemeente": the organisation a question is about (``on_named_route``)
ROUTE_PHRASE = re.compile(
    r"\b(?:van|via|bij|door|vanuit)\s+(?:de\s+|het\s+|mijn\s+|onze\s+|je\s+|jullie\s+)?(gemeente|uwv)\b", re.IGNORECASE
)
#: ... and someone without a benefit ("ze heeft geen uitkering", "zonder uitkering"): the gemeente's route.
NO_BENEFIT = re.compile(r"\b(?:geen|zonder)\s+(?:\w+\s+)?uitkering\b", re.IGNORECASE)


def on_named_route(message: Dict[str, Any], resolution: Resolution, audience: Audience | None) -> Resolution:
    """A full question that names one organisation's route, answered by an article on the other's: the article for
    the same aspect on the named route ("mijn jobcoach van de gemeente stopt na 2 jaar ...": the gemeente's terms, not
    UWV's 3 years of 2017, blind11). Only help "van/via/bij" an organisation names a route: "onze gemeente betaalt
    jobcoachbureaus 55 euro per uur" and "hoe zorgen we dat de gemeente goede jobcoaches inzet" talk about the gemeente,
    whatever route their article has. Someone without a benefit ("kan zij ook een jobcoach krijgen? ze heeft geen
    uitkering", blind25) is the gemeente's: UWV's jobcoach was for people with a UWV benefit. A question that names
    both routes, or none, keeps its article."""
    text = str(message.get("text") or "")
    routes = {match.lower() for match in ROUTE_PHRASE.findall(text)}
    if NO_BENEFIT.search(text):
        routes.add(Route.gemeente.value)
    if len(routes) != 1:
        return resolution
    return on_own_route(resolution, Route(routes.pop()), audience, why="de vraag noemt")


def on_own_route(
    resolution: Resolution,
    own: Route,
    audience: Audience | None,
    places: Sequence[str] = (),
    asked: Sequence[Aspect] = (),
    why: str = "de eigen situatie (uitkering) hoort bij",
) -> Resolution:
    """An article on the other organisation's route than the user's own, for a question that asks no route: the
    article for the same aspect on the user's route ("hij heeft geen uitkering" ... "en hoe lang mag die jobcoach
    blijven": the gemeente's terms, not UWV's 3 years of 2017). The aspect is the one the question asks (``asked``)
    if the article has it, else the article's own ("kan ik dat zelf aanvragen" in the bijstand, after UWV's who-gets-
    a-jobcoach: applying at the gemeente, not who gets one there). None on that route: the article as it is."""
    article = KENNISBANK.get(resolution.article_id or "")
    if article is None or article.route is None or article.route is own:
        return resolution
    aspect = next((a for a in asked if a in article.aspects), article.aspects[0])
    found = resolve_follow_up(KENNISBANK, article.id, aspect, own, audience, places, route_asked=False)
    if found.article_id is None:  # no article on that route has the aspect: the route's own article on the topic
        found = resolve_follow_up(KENNISBANK, article.id, None, own, audience, places)
    other = KENNISBANK.get(found.article_id or "")
    if other is None or other.route is not own:
        return resolution
    return Resolution(other.id, f"{resolution.reason}; {why} {own.value}: {other.id}")


def on_topic(article_id: str, previous: str | None) -> bool:
    """Whether ``article_id`` shares a subject topic with the current article (``shares_topic``: the register's
    questions for a cliëntenraad share only the grouping topic vragen_clientenraad with beschut werk's)."""
    article, current = KENNISBANK.get(article_id), KENNISBANK.get(previous or "")
    return article is not None and current is not None and shares_topic(article, current)


def in_last_answer(text: str, current: Article | None, route: Route | None = None) -> Resolution | None:
    """The last article again when the message asks for something it states (``asked_from_last_answer``)."""
    phrase = asked_from_last_answer(text, current, route)
    if current is None or phrase is None:
        return None
    return Resolution(current.id, f"'{phrase}' staat in het laatste antwoord ({current.id})")


def asks_uwv_by_name(message: Dict[str, Any], article_id: str) -> bool:
    """Whether the question sentence (``question_span``; without a question mark the last sentence) names UWV and a
    UWV article answers it: "Bij ons krijgen mensen max 2 jaar een jobcoach van de gemeente. Hoe lang is dat bij het
    UWV?" in Leeuwarden asks UWV's rule, not the gemeente's frame; "onze gemeente geeft maar 1 jaar. is dat normaal?
    uwv geeft toch 3 jaar" asks about the gemeente, and so does UWV named to compare with ("... bij ons max 3 jaar een
    jobcoach krijgt, net als bij uwv": ``COMPARED_WITH``)."""
    article = KENNISBANK.get(article_id)
    if article is None or article.route is not Route.uwv:
        return False
    text = str(message.get("text") or "")
    start, end = question_span(text) or (max(text.rfind(mark) for mark in ".!") + 1, len(text))
    return any(
        entity.get("entity") == "route"
        and entity.get("value") == Route.uwv.value
        and start <= int(entity.get("start") or 0) < end
        and not COMPARED_WITH.search(text[: int(entity.get("start") or 0)])
        for entity in message.get("entities") or []
    )


def answer(
    dispatcher: CollectingDispatcher, tracker: Tracker, article_id: str, audience: Audience | None, route: Route | None
) -> List[Dict[str, Any]]:
    """Give ``article_id``: within the conversation's gemeente when one applies, else as it is; remember it."""
    if route is Route.uwv or asks_uwv_by_name(tracker.latest_message or {}, article_id):
        # "en bij het uwv?": UWV's route is asked, not the gemeente's; its answer names UWV and its year
        logger.info("lokaal: UWV asked, no gemeente frame for %s", article_id)
    else:
        shown = lokaal_antwoord(dispatcher, tracker, KENNISBANK, article_id, audience)  # issue 19 §3
        if shown is not None:
            return [SlotSet(LAST_ARTICLE_SLOT, shown), *remembered_after_answer(tracker)]
    rendered = render_article(KENNISBANK, article_id, audience, settings.get("PUBLIC_URL"))
    dispatcher.utter_message(text=rendered.text, buttons=rendered.buttons)
    ask_audience_once(dispatcher, tracker, rendered.ask_audience)
    return [SlotSet(LAST_ARTICLE_SLOT, article_id), *remembered_after_answer(tracker)]


def remembered_after_answer(tracker: Tracker) -> List[Dict[str, Any]]:
    """What an answer remembers besides its article: the aspect asked, the place the message is about and the likely
    audience."""
    return [
        *asked_aspect_events(tracker, tracker.latest_message or {}),
        *gemeente_events(tracker),
        *audience_events(tracker),
    ]


def places_of_conversation(tracker: Tracker) -> Tuple[str, ...]:
    """The gemeente the user named in this conversation and the regions it belongs to, and the places of the sources
    the user named ("wij zijn een installatiebedrijf in de achterhoek (doetinchem)": no seed line puts Doetinchem in
    the Achterhoek, the user did); none named: ()."""
    gemeente, _ = gemeente_van(tracker)
    own = LOKAAL.plaatsen(gemeente) if gemeente else ()
    said = " ".join(user_texts(tracker))
    named = tuple(place for place in sorted(PLACES) if place not in own and LOKAAL.noemt_in_bericht(said, place))
    return own + named


def example_of_own_place(article: Article | None, tracker: Tracker) -> bool:
    """Whether ``article`` is an example from a place of this conversation (``places_of_conversation``)."""
    return article is not None and bool(places_of(article) & set(places_of_conversation(tracker)))


def last_asked_aspect(tracker: Tracker) -> Aspect | None:
    """The aspect the last question asked (slot laatste_aspect), if it is one we know."""
    value = tracker.get_slot(LAST_ASPECT_SLOT)
    return Aspect(value) if isinstance(value, str) and value in Aspect.__members__ else None


def in_context_of(tracker: Tracker, unsure: bool) -> Resolution:
    """``in_context`` for the latest message, with what the conversation holds: the topic, the audience, the place
    and the last question's aspect."""
    return in_context(
        tracker.latest_message or {},
        current_article(tracker),
        audience_of(tracker),
        unsure,
        places_of_conversation(tracker),
        last_asked_aspect(tracker),
        [article.id for article in recent_articles(tracker)[1:]],
    )


def as_follow_up(tracker: Tracker, why: str) -> Resolution | None:
    """The latest message resolved as a follow-up on the current topic (``in_context_of``), with ``why`` in front of
    its reason; None when that finds no article."""
    follow = in_context_of(tracker, unsure=False)
    return Resolution(follow.article_id, f"{why}: {follow.reason}") if follow.article_id else None


#: The hours someone can work, in their words ("20 uur", "een uur of 20", "fulltime", "hele dagen") ...
USER_HOURS = re.compile(
    r"\b\d{1,2}\s?(?:uur|u)\b|\buur of \d{1,2}\b|\bfull[- ]?time\b|\bhele dagen\b|\bvolle (?:werk)?week\b",
    re.IGNORECASE,
)
#: ... against an answer that asks a number of hours ("28 uur kunnen werken").
STATES_HOURS = re.compile(r"\b\d{1,2} uur\b")


def asked_aspect_events(tracker: Tracker, message: Dict[str, Any]) -> List[Dict[str, Any]]:
    """Remember what this question asked (its first aspect that is not who asks or where: ``NOT_ASKED``, "wij zijn de
    cliëntenraad van enschede. hoe lang krijgt iemand bij ons een jobcoach" asks duur); a route alone asked the same
    again, so it is kept, and so is a question only about places or by whom ("wat doen andere gemeenten dan" after
    how long a gemeente's jobcoach lasts: "en bij het uwv?" then asks UWV's duration); anything else forgets it. Only
    when it changes."""
    aspects, route = follow_up_terms(message, current_article(tracker))
    if (not aspects and route is not None) or (aspects and set(aspects) <= NOT_ASKED):
        return []
    asked = next((aspect.value for aspect in aspects if aspect not in NOT_ASKED), None)
    return [SlotSet(LAST_ASPECT_SLOT, asked)] if asked != tracker.get_slot(LAST_ASPECT_SLOT) else []


def current_article(tracker: Tracker) -> str | None:
    """The article answered last (slot laatste_artikel), if the kennisbank still has it."""
    previous = tracker.get_slot(LAST_ARTICLE_SLOT)
    return previous if isinstance(previous, str) and KENNISBANK.get(previous) else None


def recent_for(message: Dict[str, Any], tracker: Tracker) -> List[Article]:
    """``recent_articles`` as the context of ``message``: none when it says it is a new question (``topic_for``)."""
    return [] if says_new_question(message) else recent_articles(tracker)


def recent_articles(tracker: Tracker, limit: int = RECENT_ARTICLES) -> List[Article]:
    """The last ``limit`` different articles of this conversation (slot laatste_artikel), the latest first."""
    current = KENNISBANK.get(current_article(tracker) or "")
    found: List[Article] = [current] if current is not None else []
    for event in reversed(tracker.events):
        if event.get("event") == "slot" and event.get("name") == LAST_ARTICLE_SLOT:
            article = KENNISBANK.get(str(event.get("value") or ""))
            if article is not None and article not in found:
                found.append(article)
                if len(found) == limit:
                    break
    return found


def last_turn_not_understood(events: Sequence[Dict[str, Any]]) -> bool:
    """Whether the bot's reply to the user's previous message was "Dat begrijp ik niet goed" (or "weet niet")."""
    users = [i for i, event in enumerate(events) if event.get("event") == "user"]
    if len(users) < 2:
        return False
    between = events[users[-2] + 1 : users[-1]]
    return any(
        event.get("event") == "bot" and (event.get("metadata") or {}).get("utter_action") in NOT_UNDERSTOOD
        for event in between
    )


def resolve_unsure(
    previous: str | None,
    aspects: Sequence[Aspect],
    route: Route | None,
    audience: Audience | None,
    ranking: Sequence[Tuple[str, float]],
    places: Sequence[str] = (),
    last_aspect: Aspect | None = None,
    text: str = "",
    earlier: Sequence[str] = (),
) -> Resolution:
    """A message the classifier was unsure of, in a conversation with a current topic: a follow-up when it names an
    aspect or route ("nee, via de gemeente"); else the selector's best article on the topic, if it is sure enough."""
    if aspects or route is not None:
        resolution = resolve(previous, aspects, route, audience, ranking, places, last_aspect, text, earlier)
        if resolution.article_id or route is None:  # without a route, resolve() already tried the topic's best
            return resolution
    return on_topic_pick(KENNISBANK, previous, ranking, floor=UNSURE_ON_TOPIC_FLOOR, places=places)


#: A sentence that starts with a verb before its subject, or with a question word, asks something without a question
#: mark ("ik zit in de bijstand in zwolle. heb ik recht op een jobcoach als ik werk vind", blind19).
INVERTED_QUESTION = re.compile(
    r"(?:^|[.!]\s*)(?:heb|hebben|heeft|is|zijn|ben|kan|kun|kunnen|mag|mogen|moet|moeten|krijg|krijgt|krijgen|word|"
    r"wordt|worden|geldt|zit|zitten)\s+(?:ik|je|jij|hij|zij|ze|we|wij|u|er|mijn|onze|ons)\b"
    r"|(?:^|[.!]\s*)(?:hoe|hoeveel|wat|welke|wie|waar|wanneer|waarom)\b",
    re.IGNORECASE,
)


def asks_something(text: str) -> bool:
    """Whether a message asks something: a question mark, or a sentence that starts with its verb or a question word
    (``INVERTED_QUESTION``); "... ik denk niet dat ze bij een baas kan werken. is hier iets" does not."""
    return "?" in text or bool(INVERTED_QUESTION.search(text))


def named_topic_question(
    message: Dict[str, Any], ranking: Sequence[Tuple[str, float]], audience: Audience | None
) -> Resolution | None:
    """An unsure question (``asks_something``) that names one topic: the selector's best article on that topic from
    ``UNSURE_ON_TOPIC_FLOOR``, else the topic's overview ("wij wonen in oss. onze dochter zit op het vso ... is hier
    iets voor haar?", blind10: the vso examples, with Oss's, not "Dat begrijp ik niet goed"). None: no question, or
    not one topic."""
    named = _values(message, "onderwerp")
    if len(named) != 1 or not asks_something(str(message.get("text") or "")):
        return None
    topic = named[0]
    for article_id, confidence in ranking:
        article = KENNISBANK.get(article_id)
        if article is not None and topic in article.topics and confidence >= UNSURE_ON_TOPIC_FLOOR:
            return Resolution(article_id, f"{article_id} ({confidence:.2f}) is het beste artikel over {topic}")
    overview = topic_overview(KENNISBANK, topic, audience)
    return Resolution(overview.id, f"over {topic}: het overzicht") if overview else None


class ActionNietBegrepen(Action):
    """Intent nlu_fallback. With a current topic, the message is tried as a follow-up on it first (issue 19 §1:
    "nee, ik bedoel via de gemeente", "kan het niet langer?"). Otherwise: topics to choose from, and the second
    time in a row honestly "I don't know" with the offer of a person."""

    def name(self) -> str:
        return "action_niet_begrepen"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]) -> List[Dict[str, Any]]:
        about_last = last_answer_reply(dispatcher, tracker)
        if about_last is not None:
            return about_last
        tracker.latest_message = with_word_evidence(tracker.latest_message or {}, tracker)  # read again below
        message = tracker.latest_message
        previous = current_article(tracker)
        ranking = selector_ranking(message)
        _, route = follow_up_terms(message, previous)
        if previous is not None:
            resolution = in_context_of(tracker, unsure=True)
            logger.info("Niet zeker, in context: %s", resolution.reason)
            if resolution.article_id:
                acknowledge_tone(dispatcher, message)
                return answer(dispatcher, tracker, resolution.article_id, audience_of(tracker), route)
        sure = SURE_ARTICLE if best_guess_intent(message) != "faq" else LIKELY_ARTICLE
        if ranking and ranking[0][1] >= sure and KENNISBANK.get(ranking[0][0]):
            # the intent was unsure, the article is not: "wij hebben 30 man. klopt het dat ik een boete krijg ..."
            logger.info("Niet zeker, maar het artikel wel: %s (%.2f)", ranking[0][0], ranking[0][1])
            acknowledge_tone(dispatcher, message)
            return answer(dispatcher, tracker, ranking[0][0], audience_of(tracker), route)
        named = named_topic_question(message, ranking, audience_of(tracker)) or only_article_on(message, previous)
        if named is not None and named.article_id:
            logger.info("Niet zeker, maar de vraag noemt één onderwerp of aspect: %s", named.reason)
            acknowledge_tone(dispatcher, message)
            return answer(dispatcher, tracker, named.article_id, audience_of(tracker), route)
        if previous is not None and question_about_the_last_answer(message):
            # "hoe komen we daar dan achter" after beschut werk's questions for a council: a question (faq) or a
            # follow-up (vervolgvraag), the classifier could not choose; both are about what was just said
            logger.info("Niet zeker, maar een korte vraag die terugwijst: het laatste antwoord opnieuw (%s)", previous)
            return answer(dispatcher, tracker, previous, audience_of(tracker), route)
        if previous is not None and corrects_own_detail(message):
            # "o nee foutje, ik ben 35. niet 25" after Oss's way from dagbesteding to work: the answer depends on what
            # the user said about themselves, so the last answer again, read with the corrected detail (blind31)
            logger.info(
                "Niet zeker, maar een correctie van wat de gebruiker zei: het laatste antwoord opnieuw (%s)", previous
            )
            return answer(dispatcher, tracker, previous, audience_of(tracker), route)
        if last_turn_not_understood(tracker.events):
            dispatcher.utter_message(response="utter_fallback_weet_niet")
        else:
            dispatcher.utter_message(response="utter_fallback_suggesties")
        return []


#: A detail about the user that an answer can depend on: a number (age, hours, percentage) or a benefit.
OWN_DETAIL_ENTITIES = frozenset({"uitkering", "uren", "percentage"})


def corrects_own_detail(message: Dict[str, Any]) -> bool:
    """Whether an unsure message corrects a detail the user gave ("o nee foutje, ik ben 35. niet 25"): a correction
    word ("foutje", "sorry", "ik bedoel", "verkeerd"), a number or a benefit, and no question of its own."""
    text = str(message.get("text") or "")
    detail = bool(re.search(r"\d", text)) or bool(_entity_names(message) & OWN_DETAIL_ENTITIES)
    return antwoorden.is_correction(text) and detail and "?" not in text


#: The two intents a short question about the last answer sits between when the classifier cannot choose.
QUESTION_INTENTS = frozenset({"faq", FOLLOW_UP_INTENT})


def question_about_the_last_answer(message: Dict[str, Any]) -> bool:
    """Whether an unsure message is a short question that points back ("hoe komen we daar dan achter", "wat kan de
    gemeente daaraan doen"): at most ``SHORT_WORDS`` words, a word that points at the topic, and the classifier's two
    best intents a question and a follow-up."""
    text = str(message.get("text") or "")
    best = [str(row.get("name")) for row in message.get("intent_ranking") or [] if row.get("name") != "nlu_fallback"]
    return word_count(text) <= SHORT_WORDS and points_back(text) and set(best[:2]) == QUESTION_INTENTS


class ActionKennisbankAntwoord(Action):
    def name(self) -> str:
        return "action_kennisbank_antwoord"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]) -> List[Dict[str, Any]]:
        about_last = last_answer_reply(dispatcher, tracker)
        if about_last is not None:
            return about_last
        tracker.latest_message = with_word_evidence(tracker.latest_message or {}, tracker)  # read again below
        message = tracker.latest_message
        previous = topic_for(message, tracker)
        audience = audience_of(tracker)
        aspects, route = follow_up_terms(message, previous)
        if (message.get("intent") or {}).get("name") == FOLLOW_UP_INTENT:
            resolution = in_context_of(tracker, unsure=False)
            logger.info("Vervolgvraag: %s", resolution.reason)
            if resolution.article_id is None:
                return self.not_resolved(dispatcher, previous, bool(aspects or route))
        else:
            ranking = selector_ranking(message)  # once per message: every check below reads it
            resolution = chosen_article(message, previous, ranking)
            follow = (
                self.topic_named_as_follow_up(message, previous, tracker)
                or self.corrects(message, previous, tracker)
                or self.checks_last_answer(message, ranking, previous)
                or self.counts_for_last(message, previous)
                or self.council_on_the_topic(message, resolution, previous, audience)
                or self.unsure_follow_up(message, ranking, previous, tracker)
                or self.aspect_of_named_topic(message, ranking, previous, tracker)
                or self.what_they_say_about_it(message, previous)
                or self.law_on_the_question(message, previous, tracker)
                or self.choice_in_recent_answer(message, ranking, tracker)
                or self.hours_against_recent_answer(message, ranking, tracker)
                or self.pointing_back(message, ranking, tracker)
                or age_on_topic(KENNISBANK, str(message.get("text") or ""), KENNISBANK.get(previous or ""))
                or self.rare_word(message, ranking, previous)
                or self.for_the_council(message, ranking, resolution, audience)
                or self.hours_named(message, resolution, previous)
            )
            if follow is not None:
                resolution = follow
            else:
                resolution = on_named_route(message, resolution, audience)
                route = None  # in a full question "uwv" or "gemeente" is part of the question, not a route switch
            logger.info("Kennisbankvraag: %s", resolution.reason)
        resolution = against_recent_answers(message, tracker, resolution, audience)
        own = own_route(tracker)
        if resolution.article_id and own is not None and route is None and not _button_article(message):
            aspects, asked = follow_up_terms(message, previous)
            if asked is None:
                resolution = on_own_route(resolution, own, audience, places_of_conversation(tracker), aspects)
        article_id = resolution.article_id
        if not article_id or KENNISBANK.get(article_id) is None:
            dispatcher.utter_message(response="utter_onbekend_artikel")
            return []
        acknowledge_tone(dispatcher, message)
        return answer(dispatcher, tracker, article_id, audience, route)

    @staticmethod
    def unsure_follow_up(
        message: Dict[str, Any], ranking: Sequence[Tuple[str, float]], previous: str | None, tracker: Tracker
    ) -> Resolution | None:
        """A question the selector is unsure of (under RERANK_THRESHOLD), in a conversation with a topic, that names an
        aspect: resolved as a follow-up, when that finds an article. A route or topic word alone does not count: in a
        full question it is part of the question ("mag de gemeente info delen met werkgevers?", "moet ik daar in staan
        voor een jobcoach?"), and neither does a question that says it is a new one ("ander punt: ...", ``topic_for``
        gives it no topic). Also a follow-up that starts with "en" whose pick, under ``KEEP_TOPIC_BELOW``, says nothing
        about what is asked ("en over hoe lang iemand een jobcoach krijgt?" after the council's questions: the overview
        at 0.35 has no aspect duur). Without the "en", the aspect tags decide too little: they are incomplete.
        A question that names no topic and points back with "dat", "die" or "dit" is one up to ``POINTING_UNSURE`` when
        the pick is off the topic ("kunnen wij dat zelf aanvragen of moet de gemeente dat doen" after beschut werk:
        applying for beschut werk, not loonkostensubsidie at 0.58)."""
        top = ranking[0][1] if ranking else 0.0
        aspects, _ = follow_up_terms(message)
        text = str(message.get("text") or "")
        pointing = (
            bool(ranking)
            and not _values(message, "onderwerp")
            and POINTER.search(text) is not None
            and not on_topic(ranking[0][0], previous)
        )
        limit = POINTING_UNSURE if pointing else OFF_TOPIC_UNSURE
        if previous is None or _button_article(message) or not aspects or top >= limit:
            return None
        pick = KENNISBANK.get(ranking[0][0]) if ranking else None
        asked = set(aspects) - NOT_ASKED
        continues = STARTS_WITH_EN.match(text) is not None
        unanswered = pick is not None and bool(asked) and not asked & set(pick.aspects)
        misses = continues and top < KEEP_TOPIC_BELOW and unanswered
        if (
            top >= RERANK_THRESHOLD
            and not misses
            and not pointing
            and (on_topic(ranking[0][0], previous) or not short_follow_up(message))
        ):
            return None
        why = "als vervolgvraag"
        if top >= RERANK_THRESHOLD:
            why = "zegt niets over wat gevraagd is" if misses else "wijst terug naar het onderwerp" if pointing else why
        return as_follow_up(tracker, f"onzekere vraag ({top:.2f}) {why}")

    @staticmethod
    def aspect_of_named_topic(
        message: Dict[str, Any], ranking: Sequence[Tuple[str, float]], previous: str | None, tracker: Tracker
    ) -> Resolution | None:
        """A question the selector is unsure of (under RERANK_THRESHOLD) that asks an aspect of the one topic it names
        ("mijn zoon zit op het vso en school denkt aan beschut werk. wie besluit of hij dat krijgt?": who decides on
        beschut werk, not Oss's project at 0.29), or, under ``ASPECT_ELSEWHERE_FLOOR``, an aspect only one article has
        ("ik ben vaak ziek ... is er iets waardoor het voor een baas minder risico is?": the no-riskpolis, not privacy
        at 0.09): the article for it, found as for a follow-up on the topic's overview. When the topic named is the
        current one, ``unsure_follow_up`` decides."""
        top = ranking[0][1] if ranking else 0.0
        found_aspects, route = follow_up_terms(message, previous)
        aspects = [aspect for aspect in found_aspects if aspect not in CONTEXT_ASPECTS]
        if _button_article(message) or not aspects or top >= RERANK_THRESHOLD:
            return None
        named = _values(message, "onderwerp")
        current = KENNISBANK.get(previous) if previous else None
        if not named:
            # without a topic only when the selector has next to nothing: at 0.28 its pick beat "nee zeggen" (bezwaar)
            only = next((a for a in aspects if len(ARTICLES_WITH_ASPECT[a]) == 1), None)
            if only is None or top >= ASPECT_ELSEWHERE_FLOOR:
                return None
            (article_id,) = ARTICLES_WITH_ASPECT[only]
            return Resolution(article_id, f"onzeker ({top:.2f}); alleen {article_id} gaat over {only.value}")
        if len(named) > 1 or (current is not None and named[0] in current.topics):
            return None
        audience = audience_of(tracker)
        overview = topic_overview(KENNISBANK, named[0], audience)
        if overview is None:
            return None
        found = resolve(overview.id, aspects, route, audience, ranking, places_of_conversation(tracker))
        article = KENNISBANK.get(found.article_id or "")
        if article is None or named[0] not in article.topics:
            return None
        return Resolution(article.id, f"onzeker ({top:.2f}); de vraag noemt {named[0]}: {found.reason}")

    @staticmethod
    def corrects(message: Dict[str, Any], previous: str | None, tracker: Tracker) -> Resolution | None:
        """ "nee ik bedoel hoe onze gemeente dat moet regelen, niet uwv": a message that starts by correcting the last
        answer and names an aspect or a route is a follow-up on the current topic, whatever the classifier picked."""
        text = str(message.get("text") or "")
        aspects, route = follow_up_terms(message, previous)
        if previous is None or _button_article(message) or not STARTS_CORRECTING.match(text) or not (aspects or route):
            return None
        return as_follow_up(tracker, "correctie als vervolgvraag")

    @staticmethod
    def counts_for_last(message: Dict[str, Any], previous: str | None) -> Resolution | None:
        """ "tellen mensen op een beschutte werkplek daarvoor ook mee?" after the quotum (three blind authors): whether
        something counts for the last answer's subject, which that answer states. The last answer, whatever topic
        the message names (beschut werk's overview does not say what counts for the quotum)."""
        current = KENNISBANK.get(previous or "")
        if current is None or _button_article(message):
            return None
        word = counts_for_it(str(message.get("text") or ""), current)
        if word is None:
            return None
        return Resolution(current.id, f"telt '{word}' mee: het laatste antwoord ({current.id}) noemt het")

    @staticmethod
    def checks_last_answer(
        message: Dict[str, Any], ranking: Sequence[Tuple[str, float]], previous: str | None
    ) -> Resolution | None:
        """ "dus 10 uur kan eigenlijk nooit?": a check of what the last answer said gets that answer, unless the message
        names a topic or the selector is sure of another article."""
        if previous is None or _button_article(message) or not confirms(str(message.get("text") or "")):
            return None
        if Aspect.wet in follow_up_terms(message)[0]:  # a check of the law, not of the last answer
            return None
        if not short_follow_up(message) and ranking and ranking[0][1] >= OFF_TOPIC_UNSURE:
            return None
        return Resolution(previous, f"controleert het laatste antwoord ({previous})")

    @staticmethod
    def rare_word(
        message: Dict[str, Any], ranking: Sequence[Tuple[str, float]], previous: str | None
    ) -> Resolution | None:
        """A short question the selector is unsure of, with a pick off the current topic, that uses a word only a few
        articles use, one of them on the current topic ("moet dat? ik wil geen stempel" after the register's
        condition): that article."""
        current = KENNISBANK.get(previous) if previous else None
        if current is None or _button_article(message) or not ranking or ranking[0][1] >= RERANK_THRESHOLD:
            return None
        if not short_follow_up(message) or on_topic(ranking[0][0], previous):
            return None  # a pick on the topic is the classifier's answer on it ("moet die collega een opleiding ...")
        found = rare_word_article(str(message.get("text") or ""), current, KENNISBANK, WORDS, ranking)
        if found is None or found[0] == ranking[0][0]:
            return None
        return Resolution(found[0], f"onzeker ({ranking[0][1]:.2f}), maar '{found[1]}' staat in {found[0]}")

    @staticmethod
    def for_the_council(
        message: Dict[str, Any], ranking: Sequence[Tuple[str, float]], picked: Resolution, audience: Audience | None
    ) -> Resolution | None:
        """A cliëntenraad asking what it can do or ask ("over beschut werk dan. wat kunnen we vragen") gets the
        article written for it on the pick's topic, when the selector ranks it from ``COUNCIL_RATIO`` of the pick; a
        short question, also when the selector does not rank it (the article for aspect clientenraad on the topic)."""
        text = str(message.get("text") or "")
        pick = KENNISBANK.get(picked.article_id or "")
        if audience is not Audience.clientenraad or pick is None or Aspect.clientenraad in pick.aspects:
            return None
        if _button_article(message) or not COUNCIL_ASKS.search(text):
            return None
        aspects, _ = follow_up_terms(message)
        if set(aspects) - {Aspect.clientenraad}:  # "hoe lang ..." asks a fact, not what the council can do
            return None
        top = ranking[0][1] if ranking else 0.0
        for article_id, confidence in ranking:
            article = KENNISBANK.get(article_id)
            if (
                article is not None
                and confidence >= COUNCIL_RATIO * top
                and article.aspects[0] is Aspect.clientenraad
                and article.topics[0] == pick.topics[0]
            ):
                return Resolution(article.id, f"cliëntenraad vraagt wat hij kan doen: {article.id} ({confidence:.2f})")
        if not short_follow_up(message):
            return None
        # "wat kunnen wij de gemeente dan adviseren?" after the register's figures: nothing for the council ranked, so
        # its article on the topic, as for the follow-up "en voor de cliëntenraad?"
        found = resolve_follow_up(KENNISBANK, pick.id, Aspect.clientenraad, None, audience)
        article = KENNISBANK.get(found.article_id or "")
        if article is None or article.topics[0] != pick.topics[0]:
            return None
        return Resolution(article.id, f"cliëntenraad vraagt wat hij kan doen: {found.reason}")

    @staticmethod
    def hours_named(message: Dict[str, Any], picked: Resolution, previous: str | None) -> Resolution | None:
        """ "mijn dochter heeft wajong en gaat 10 uur in de week werken. krijgt ze dan een jobcoach van het uwv?"
        (five blind authors): the user's hours are one of the conditions, so the article with the conditions on the
        pick's route (UWV's 12 hours of 2017), not who could apply. Only when the question asks nothing but who or
        the conditions."""
        pick = KENNISBANK.get(picked.article_id or "")
        if pick is None or pick.route is None or Aspect.voorwaarden in pick.aspects or _button_article(message):
            return None
        if "uren" not in _entity_names(message):
            return None
        if set(follow_up_terms(message, previous)[0]) - CONTEXT_ASPECTS - {Aspect.wie, Aspect.voorwaarden}:
            return None
        found = resolve_follow_up(KENNISBANK, pick.id, Aspect.voorwaarden, pick.route)
        article = KENNISBANK.get(found.article_id or "")
        if article is None or article.aspects[0] is not Aspect.voorwaarden:
            return None
        return Resolution(article.id, f"{picked.reason}; de vraag noemt de uren, een voorwaarde: {article.id}")

    @staticmethod
    def council_on_the_topic(
        message: Dict[str, Any], picked: Resolution, previous: str | None, audience: Audience | None = None
    ) -> Resolution | None:
        """ "waar moeten wij als clientenraad dan op letten" after Open Hiring, or "de wethouder wil een bedrijf met
        open hiring laten beginnen. waar moeten wij als clientenraad op letten" (blind10, blind11): the council's
        article on that topic, not the general points for a council the selector was sure of. The topic: the one the
        message names, else the current one. A council that asks it about the current topic with a word pointing back
        ("wat kunnen we de gemeente dan adviseren", "wat zouden wij als raad ... moeten vragen hierover", blind12 and
        blind13) gets it whatever the pick."""
        pick = KENNISBANK.get(picked.article_id or "")
        text = str(message.get("text") or "")
        if pick is None or _button_article(message) or not COUNCIL_ASKS.search(text):
            return None
        named = _values(message, "onderwerp")
        current = KENNISBANK.get(previous or "")
        if pick.aspects[0] is not Aspect.clientenraad:
            aspects = set(follow_up_terms(message)[0])
            council = audience is Audience.clientenraad or Aspect.clientenraad in aspects  # "als raad"
            if named or current is None or not council or not POINTS_AT_TOPIC.search(text):
                return None
            if aspects - CONTEXT_ASPECTS:  # "... hoe lang ..." asks a fact
                return None
        elif set(pick.topics) - GROUPING_TOPICS - COUNCIL_GENERAL_TOPICS:
            # a council article on a subject: the pick's, unless the message points back at another current topic
            # ("wat zouden wij als raad aan onze gemeente moeten vragen hierover" after Oss's dagbesteding, blind12)
            points_back = POINTS_AT_TOPIC.search(text) is not None and not named and current is not None
            if not points_back or current.topics[0] in pick.topics:
                return None
        topic = named[0] if len(named) == 1 else (current.topics[0] if current and not named else None)
        if topic is None or (topic in pick.topics and pick.aspects[0] is Aspect.clientenraad):
            return None
        # as for the follow-up "en voor de cliëntenraad?" on the topic's overview (``for_the_council`` does the same)
        overview = topic_overview(KENNISBANK, topic)
        if overview is None:
            return None
        found = resolve_follow_up(KENNISBANK, overview.id, Aspect.clientenraad, None, Audience.clientenraad)
        article = KENNISBANK.get(found.article_id or "")
        if article is None or article.topics[0] != topic:
            return None
        return Resolution(
            article.id, f"cliëntenraad vraagt wat hij kan doen over {topic}: {found.reason}, niet {pick.id}"
        )

    @staticmethod
    def topic_named_as_follow_up(message: Dict[str, Any], previous: str | None, tracker: Tracker) -> Resolution | None:
        """ "en over jobcoaching?" after a cliëntenraad's overview: a short "en ..." that names another topic is a
        follow-up on that topic (for a cliëntenraad its own article), whatever the classifier took it for."""
        text = str(message.get("text") or "")
        if previous is None or _button_article(message) or not TOPIC_FOLLOW_UP.match(text):
            return None
        topic = switched_topic(message, previous, audience_of(tracker))
        return Resolution(topic, f"kort 'en ...' met een ander onderwerp: {topic}") if topic else None

    @staticmethod
    def hours_against_recent_answer(
        message: Dict[str, Any], ranking: Sequence[Tuple[str, float]], tracker: Tracker
    ) -> Resolution | None:
        """The hours someone can work, told after an answer that asks a number of hours ("hij kan echt maar een uur of
        20 in de week aan. kan hij dan wel meedoen?", "moet ik dan fulltime?" after Almere's 28 hours for beschut werk,
        six blind conversations): that answer again, with its exceptions, not the jobcoach's hours of UWV. The latest of
        the recent answers with the aspect voorwaarden that states hours; not when the pick is such an answer itself, or
        the message names another topic."""
        text = str(message.get("text") or "")
        if _button_article(message) or not USER_HOURS.search(text):
            return None
        named = set(_values(message, "onderwerp"))
        asking = [
            article
            for article in recent_for(message, tracker)
            if (not named or named & set(article.topics))
            and Aspect.voorwaarden in article.aspects
            and STATES_HOURS.search(article.answer.for_audience(None))
        ]
        if not asking or (ranking and ranking[0][0] in {a.id for a in asking}):
            return None
        return Resolution(asking[0].id, f"de uren van de gebruiker, na de uren die {asking[0].id} vraagt")

    @staticmethod
    def choice_in_recent_answer(
        message: Dict[str, Any], ranking: Sequence[Tuple[str, float]], tracker: Tracker
    ) -> Resolution | None:
        """A choice question that a recent answer, or the overview of its topic, decides ("krijg ik dan meteen loon of
        eerst met behoud van uitkering?" after Open Hiring, which says "Wie begon, kreeg meteen betaald"): that answer,
        not the article the selector knows for one option (unpaid trial placements, blind14 and blind18). Not when the
        selector's pick is one of the recent answers, or the message names another topic."""
        recent = recent_for(message, tracker)
        if _button_article(message) or not ranking or not recent or ranking[0][0] in {a.id for a in recent}:
            return None
        text = str(message.get("text") or "")
        named = set(_values(message, "onderwerp"))
        audience = audience_of(tracker)
        for article in recent:
            overview = topic_overview(KENNISBANK, article.topics[0], audience)
            for candidate in [article] + ([overview] if overview is not None and overview is not article else []):
                if named and not named & set(candidate.topics):
                    continue
                option = decided_option(KENNISBANK, text, candidate, audience)
                if option is not None:
                    return Resolution(candidate.id, f"keuzevraag: '{option}' staat in {candidate.id} (bij het gesprek)")
        return None

    @staticmethod
    def law_on_the_question(message: Dict[str, Any], previous: str | None, tracker: Tracker) -> Resolution | None:
        """ "en wat zegt de wet zelf" (or "... over die duur") after how long a gemeente's jobcoach lasts: the article
        on the topic that has both what the law says and what was asked (the last question's aspect, or the other
        aspect named), not an article about a law (Breed Offensief) the selector knows for "wet". Between several, the
        one on the current route, then the first by id."""
        current = KENNISBANK.get(previous) if previous else None
        aspects, _ = follow_up_terms(message, previous)
        if current is None or _button_article(message) or Aspect.wet not in aspects:
            return None
        last = last_asked_aspect(tracker)
        wanted = set(aspects) | ({last} if last is not None and len(aspects) == 1 else set())
        if len(wanted) < 2:
            return None
        found = sorted(
            (
                article
                for article in KENNISBANK.articles.values()
                if wanted <= set(article.aspects) and (article is current or related(article, current))
            ),
            key=lambda article: (article.route is not current.route, article.id),
        )
        if not found:
            return None
        asked = ", ".join(sorted(aspect.value for aspect in wanted))
        return Resolution(found[0].id, f"de wet over wat gevraagd is ({asked}) na {current.id}: {found[0].id}")

    @staticmethod
    def what_they_say_about_it(message: Dict[str, Any], previous: str | None) -> Resolution | None:
        """ "wat adviseert de hanzehogeschool daarover" after an answer that says what the Hanzehogeschool advises on
        it: that answer again, whatever the selector picks (it knows the Hanzehogeschool's other advice)."""
        current = KENNISBANK.get(previous) if previous else None
        match = WHAT_THEY_SAY.search(str(message.get("text") or ""))
        if current is None or _button_article(message) or match is None:
            return None
        who = match.group("who").lower()
        if who in STOP_WORDS or not states(current, who):
            return None
        if match.group(1).lower() in ADVICE_VERBS and not any(
            (ref.who or "").lower() == who and ref.kind in (Kind.advies, Kind.onderzoek) for ref in current.sources
        ):
            # "en wat adviseert oval daarover" after an answer that names OVAL only as the source of a fact: its advice
            # is another article
            return None
        return Resolution(current.id, f"wat {who} erover zegt, staat in het laatste antwoord ({current.id})")

    @staticmethod
    def pointing_back(
        message: Dict[str, Any], ranking: Sequence[Tuple[str, float]], tracker: Tracker
    ) -> Resolution | None:
        """A question about something one of the last articles states ("wat betaalt die polis precies" after the
        no-riskpolis, also with another answer in between) gets that article, unless the selector's pick states it too
        (then the pick may answer it better)."""
        if _button_article(message):
            return None
        pick = KENNISBANK.get(ranking[0][0]) if ranking else None
        text = str(message.get("text") or "")
        for earlier in recent_for(message, tracker):
            phrase = asked_from_last_answer(text, earlier)
            if phrase is None:
                continue
            if pick is None or pick.id == earlier.id or states(pick, phrase):
                return None
            return Resolution(earlier.id, f"'{phrase}' staat in een eerder antwoord ({earlier.id}), niet in {pick.id}")
        return None

    @staticmethod
    def not_resolved(dispatcher: CollectingDispatcher, previous: str | None, asked: bool) -> List[Dict[str, Any]]:
        """No current topic: ask which one. A topic but nothing recognised: its follow-ups. Else: no answer."""
        if previous is None:
            dispatcher.utter_message(response="utter_vraag_onderwerp")
            return []
        follow_up = KENNISBANK.articles[previous].follow_up
        if not asked and follow_up:
            buttons = [
                {"title": KENNISBANK.articles[t].title, "payload": f'/faq{{"artikel":"{t}"}}'} for t in follow_up
            ]
            dispatcher.utter_message(response="utter_vervolg_kies", buttons=buttons)
            return []
        dispatcher.utter_message(response="utter_onbekend_artikel")
        return []


#: "en over jobcoaching?", "en met beschut werk", "en voor loonkostensubsidie?": a topic added to the conversation.
TOPIC_FOLLOW_UP = re.compile(r"^\W*(en|ook)\s+(over|met|voor|bij|van)?\s*(\S+\s*){1,3}\?*\W*$", re.IGNORECASE)
#: A message that starts by correcting the last answer: "nee ik bedoel ...", "ik vroeg ...".
STARTS_CORRECTING = re.compile(r"^\W*(nee+\b|ik bedoel\w*\b|ik vroeg\b|ik had het over\b)", re.IGNORECASE)
#: A cliëntenraad asking what it can do or ask: "wat kunnen we vragen", "waar moeten wij op letten".
COUNCIL_ASKS = re.compile(
    r"\b(wat (kunnen|moeten|zouden) (we|wij)|waar (kunnen|moeten|moet) (we|wij|de (cliënten|clienten)raad)"
    r"|welke argumenten|wat (adviseren|vragen) (we|wij)|welke vragen (kunnen|moeten|zouden) (we|wij))\b",
    re.IGNORECASE,
)
#: ... about the current topic, said with a word that points back ("dan", "hierover")
POINTS_AT_TOPIC = re.compile(r"\b(dan|hierover|daarover|hierbij|daarbij|hierin|daarin|erover)\b", re.IGNORECASE)
#: ... its article on the topic is taken from this share of the pick's confidence.
COUNCIL_RATIO = 0.4
#: The topic of the council's general points (clientenraad_aandachtspunten): about the verordening, no subject
COUNCIL_GENERAL_TOPICS = frozenset({"verordening"})
#: "wat adviseert de hanzehogeschool daarover", "wat zegt het lcr hierover": who, about what was just said.
WHAT_THEY_SAY = re.compile(
    r"\bwat (zegt|zeggen|zei|adviseert|adviseren|adviseerde|vindt|vinden|schrijft|schrijven|raadt|raden)\s+"
    r"(de |het )?(?P<who>[\w-]{3,})\s+(daar ?over|hierover|erover|daarvan|hiervan)\b",
    re.IGNORECASE,
)
#: ... asking for advice: the last answer must give that advice, not only name who gave it
ADVICE_VERBS = frozenset({"adviseert", "adviseren", "adviseerde", "raadt", "raden"})
#: A message that says it starts something new: never a follow-up on the current topic.
NEW_QUESTION = re.compile(
    r"\b(ander(e)? (punt|vraag|vraagje|onderwerp|ding|dingetje|kwestie)|iets anders|wat anders|nog een vraag(je)?|"
    r"los daarvan)\b",
    re.IGNORECASE,
)


def says_new_question(message: Dict[str, Any]) -> bool:
    """Whether the message says it starts something new ("ander vraagje. ...", "iets anders: ...")."""
    return NEW_QUESTION.search(str(message.get("text") or "")) is not None


def topic_for(message: Dict[str, Any], tracker: Tracker) -> str | None:
    """The current article as the context of ``message``: none when the message says it is a new question ("ander
    ding. ik ben bang dat mijn baas alles over mijn ziekte hoort" after the no-riskpolis is about privacy)."""
    return None if says_new_question(message) else current_article(tracker)


#: A frustrated message that corrects the assistant: "nee ik zei toch GEMEENTE", "ik vroeg naar een jobcoach, niet
#: naar loon". A complaint alone ("ik heb al 3 keer de gemeente gebeld ... ik word hier gek van") is no correction.
CORRECTION = re.compile(
    r"\b(ik (zei|zeg|vroeg|bedoel\w*|had het over)|nee)\b|\bniet\b[^.!?]{1,40}\bmaar\b", re.IGNORECASE
)


def named_topic_events(
    message: Dict[str, Any], previous: str | None, audience: Audience | None
) -> List[Dict[str, Any]]:
    """A topic the message names becomes the context (its overview), without an answer now: what the user is upset or
    worried about is what they ask about next ("mijn jobcoach stopt na 2 jaar" ... "kan het niet langer?")."""
    topic = switched_topic(message, previous, audience)
    return [SlotSet(LAST_ARTICLE_SLOT, topic)] if topic else []


#: A worried or angry message without a question whose article the selector is this sure of gets that article after the
#: acknowledgement ("ik werk nu 3 maanden met loonkostensubsidie, maar mn baas heeft het nog niet aangevraagd ... ik lig
#: er wakker van": loonkostensubsidie_aanvragen at 0.35). Under it, only a topic the message names gives an answer.
FEELING_ARTICLE = 0.30


def covered_by_recent_answer(
    message: Dict[str, Any],
    resolution: Resolution,
    recent: Sequence[Article],
    audience: Audience | None,
    own_place: bool = False,
) -> Resolution | None:
    """One of the ``recent`` articles (the latest first: ``recent_articles``) when one passage of it covers the
    follow-up's words (``answer_coverage``) better than the article picked for it (``covers``). "moeten aanbieders
    van dagbesteding hier ook beschut werkplekken hebben?" after Almere's beschut werk is about Almere's purchase rule,
    not beschut werk in general; "en als het wel goed gaat, wat voor contract krijg ik" after Almere's beschut werk
    and then what happens when it fails is Almere's year contract. The best cover wins, the latest on a tie.

    Not for a button, a correction, a question that names another topic than the last answer's or asks about other
    places (aspect lokaal), or a pick the selector is sure of (``SURE_ARTICLE``), unless the last answer is the
    example of the user's own place (``own_place``) and covers the question better (``OWN_PLACE_COVERS_BETTER``):
    "wat voor contract krijgt zo iemand dan bij ons?" after Almere's beschut werk is Almere's year contract, not UWV's
    2017 contract rule (blind13, blind18). Never an article on another organisation than the one the question names.
    Another aspect asked does not outweigh it: the articles' aspect tags are incomplete ("hoe lang duurt zo een
    arrangement" after Rijk van Nijmegen's arrangement, which says one year, is not Amsterdam's because only that one
    is tagged duur). None: the pick stands."""
    picked = KENNISBANK.get(resolution.article_id or "")
    if not recent or picked is None or _button_article(message):
        return None
    text = str(message.get("text") or "")
    if CORRECTION.search(text) or says_what_was_meant(text, SHORT_WORDS):
        return None
    named = set(_values(message, "onderwerp"))
    if named and not named & set(recent[0].topics):
        return None
    aspects, route = follow_up_terms(message, recent[0].id)
    if Aspect.lokaal in aspects:  # "verschilt dat per gemeente?": the places' examples, even if the answer says so
        return None
    if Aspect.wet in aspects and Aspect.wet in picked.aspects:
        # "wat zegt de wet zelf over die duur": the article that says what the law says, not the last answer's words
        return None
    # a follow-up without its topic (or a question the selector is unsure of: "over wat voor bedragen hebben we het
    # dan" after the interne jobcoach) asks about what the last answer was about when that answer has the aspect: then
    # it keeps a tie, and the selector's sureness about another article does not count (blind16, blind17)
    ranking = selector_ranking(message)
    follow_up = (message.get("intent") or {}).get("name") == FOLLOW_UP_INTENT or (
        bool(ranking) and ranking[0][1] < RERANK_THRESHOLD
    )
    about_last = follow_up and any(aspect in recent[0].aspects for aspect in aspects)
    sure = bool(ranking) and ranking[0][0] == picked.id and ranking[0][1] >= SURE_ARTICLE
    if sure and not (about_last or own_place):
        return None
    # an article on another organisation than the one asked is no answer ("moet hij dan bij de gemeente ook minimaal
    # 12 uur werken?" after UWV's 12 hours)
    candidates = [
        (answer_coverage(KENNISBANK, text, a, audience), -n, a)
        for n, a in enumerate(recent)
        if a.id != picked.id and (route is None or a.route in (None, route)) and (n == 0 or about_last or not sure)
    ]
    if not candidates:
        return None
    other, _ = answer_coverage(KENNISBANK, text, picked, audience)
    coverage, _, best = max(candidates, key=lambda row: (row[0][0], row[1]))
    margin = COVERS_BETTER
    if best is recent[0]:
        margin = 0.0 if about_last else OWN_PLACE_COVERS_BETTER if own_place else COVERS_BETTER
    if not covers(coverage, other, margin=margin):
        return None
    which = "het laatste antwoord" if best is recent[0] else "een eerder antwoord"
    return Resolution(
        best.id, f"{resolution.reason}; maar {which} ({best.id}) dekt de vraag beter ({coverage[0]:.2f}, {other:.2f})"
    )


def covering_recent_answer(text: str, recent: Sequence[Article], audience: Audience | None) -> Article | None:
    """The latest of the ``recent`` answers one passage of which covers the question (``covers``): "krijg ik dan
    meteen betaald" after Open Hiring, which says "Wie begon, kreeg meteen betaald" (blind17). None: none does."""
    return next((a for a in recent if covers(answer_coverage(KENNISBANK, text, a, audience))), None)


#: A word that points at the place or the thing the last answer was about: "hoeveel mensen vinden daar daarna werk",
#: "hoeveel krijgt de werkgever voor zo'n interne jobcoach", "krijgen we de uren van die collega vergoed".
POINTS_AT_EXAMPLE = re.compile(r"\b(daar|daarna|die|dat|deze|dit|zo'?n|hun)\b", re.IGNORECASE)
#: "daar" points at the example's place itself: it keeps a tie ("hoeveel mensen vinden daar daarna echt werk?" after
#: i-did: i-did's and the general figures both cover it).
THERE = re.compile(r"\bdaar\b", re.IGNORECASE)


def on_the_example(
    message: Dict[str, Any], resolution: Resolution, current: Article | None, audience: Audience | None
) -> Resolution | None:
    """The last answer, a place's example, when the message points back at it (``POINTS_AT_EXAMPLE``) and the article
    picked is no example of that place: "hoeveel krijgt de werkgever dan voor zo'n interne jobcoach" after the
    Achterhoek's interne jobcoach is the Achterhoek's 6 percent, not UWV's 2017 normbedragen (four blind authors asked
    this); "hoeveel uur jobcoaching krijg je daar ongeveer" after the Noordoostpolder's jobcoach is its hours;
    "hoeveel mensen vinden daar daarna echt werk?" after i-did is i-did's 70 percent, not jobcoaching's figures.
    The example must cover the question's words better than the pick (``answer_coverage``; as well, when "daar" names
    its place), and the message must name no place, no other topic and no other places (aspect lokaal). None: the pick
    stands."""
    picked = KENNISBANK.get(resolution.article_id or "")
    if current is None or picked is None or picked.id == current.id or _button_article(message):
        return None
    where = places_of(current)
    text = str(message.get("text") or "")
    if not where or places_of(picked) & where:
        return None
    if not POINTS_AT_EXAMPLE.search(text) or _values(message, "gemeente") or CORRECTION.search(text):
        return None
    named = set(_values(message, "onderwerp"))
    if (named and not named & set(current.topics)) or Aspect.lokaal in follow_up_terms(message, current.id)[0]:
        return None
    mine, _ = answer_coverage(KENNISBANK, text, current, audience)
    theirs, _ = answer_coverage(KENNISBANK, text, picked, audience)
    # a tie is the pick's ("wat kost zo'n jobcoach per uur" after West-Brabant's jobcoach), unless "daar" names the
    # place
    if mine < theirs or mine == 0.0 or (mine == theirs and not THERE.search(text)):
        return None
    return Resolution(
        current.id, f"{resolution.reason}; maar de vraag wijst terug naar het voorbeeld ({current.id}, {mine:.2f})"
    )


def against_recent_answers(
    message: Dict[str, Any], tracker: Tracker, resolution: Resolution, audience: Audience | None
) -> Resolution:
    """The article chosen for a message, held against the conversation's recent answers: one that covers the question
    better (``covered_by_recent_answer``), or the place's example the question points back at (``on_the_example``);
    else the choice as it is."""
    recent = recent_for(message, tracker)
    own_place = bool(recent) and example_of_own_place(recent[0], tracker)
    covered = covered_by_recent_answer(message, resolution, recent, audience, own_place)
    if covered is not None:
        logger.info("Een recent antwoord dekt de vraag: %s", covered.reason)
        return covered
    example = on_the_example(message, resolution, recent[0] if recent else None, audience)
    if example is not None:
        logger.info("Terug naar het voorbeeld: %s", example.reason)
        return example
    return resolution


def only_article_on(message: Dict[str, Any], previous: str | None) -> Resolution | None:
    """The article for an aspect of the message that only one article has (ziekte: the no-riskpolis; bezwaar: where
    to object), whatever else the message says ("de baas is bang dat hij vaak ziek is en dat hij dan moet
    doorbetalen", blind11); none: None. Not when the message names a topic that article neither is on nor mentions:
    "ik wacht al 3 maanden op loonkostensubsidie" (two blind authors) is not about objecting to a gemeente's decision
    on a jobcoach or a beschutte werkplek."""
    aspects, _ = follow_up_terms(message, previous)
    only = next((aspect for aspect in aspects if len(ARTICLES_WITH_ASPECT[aspect]) == 1), None)
    if only is None:
        return None
    (article_id,) = ARTICLES_WITH_ASPECT[only]
    article = KENNISBANK.articles[article_id]
    if any(t not in article.topics and not states(article, t.replace("_", " ")) for t in _values(message, "onderwerp")):
        return None
    return Resolution(article_id, f"alleen {article_id} gaat over {only.value}")


def feeling_article(message: Dict[str, Any], previous: str | None, audience: Audience | None) -> Resolution | None:
    """What a worried or angry message is about, to answer after the acknowledgement: the selector's pick when it is
    sure (``FEELING_ARTICLE``), else the best article on the one topic the message names, else that topic's overview.
    An aspect only one article has comes first, whatever the words: waiting too long or a decision ("ik wacht nu al een
    jaar op een plek", aspect bezwaar) gets where to object or complain; fear of illness ("we zijn bang voor veel
    ziekteverzuim", aspect ziekte) the no-riskpolis. Then the differences between gemeenten ("iedere gemeente doet het
    weer anders met jobcoaches", ``differences_article``) on the topic named or the current one. None: nothing to go
    on ("ik ben echt wanhopig. mijn zoon zit alleen maar thuis")."""
    ranking = selector_ranking(message)
    named = _values(message, "onderwerp")
    only = only_article_on(message, previous)
    if only is not None:
        return Resolution(only.article_id, f"boos of bezorgd; {only.reason}")
    current = KENNISBANK.get(previous or "")
    topics = named or ([current.topics[0]] if current is not None else [])
    differences = (
        differences_article(KENNISBANK, str(message.get("text") or ""), topics[0]) if len(topics) == 1 else None
    )
    if differences is not None:
        return Resolution(differences.id, f"boos of bezorgd over de verschillen per gemeente: {differences.id}")
    if ranking and ranking[0][1] >= FEELING_ARTICLE:
        return on_named_route(message, chosen_article(message, previous, ranking), audience)
    if len(named) != 1:
        return None
    on_named = on_named_topic(KENNISBANK, ranking, named[0])
    if on_named is not None:
        return on_named
    overview = topic_overview(KENNISBANK, named[0], audience)
    return Resolution(overview.id, f"over {named[0]}: het overzicht") if overview else None


class ActionZorgenErkend(Action):
    """Intent zorgen: acknowledge in other words; the rule then offers a person. Worry is not anger (issue 19 §5 asks
    for no article after anger): a worried message about a subject also gets what the sources say about it
    (``feeling_article``), between the acknowledgement and the offer of a person. Without one, a topic the message names
    becomes the context."""

    def name(self) -> str:
        return "action_zorgen_erkend"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]) -> List[Dict[str, Any]]:
        message = with_word_evidence(tracker.latest_message or {}, tracker, feeling=True)
        previous = topic_for(message, tracker)
        audience = audience_of(tracker)
        resolution = feeling_article(message, previous, audience)
        if resolution is None or resolution.article_id is None or KENNISBANK.get(resolution.article_id) is None:
            dispatcher.utter_message(response="utter_zorgen_erkend")
            return named_topic_events(message, previous, audience)
        logger.info("Zorgen over een onderwerp: %s", resolution.reason)
        dispatcher.utter_message(response="utter_zorgen_met_vraag")
        return answer(dispatcher, tracker, resolution.article_id, audience, None)


#: A complaint about the assistant itself: "jullie snappen er niks van", "stomme bot", "dit slaat nergens op".
ABOUT_THE_ASSISTANT = re.compile(r"\b(jij|jullie|bot|robot|chat\w*|computer|assistent|antwoord(en)?)\b", re.IGNORECASE)
#: ... or a short one that names nothing else ("ik word hier gek van", "dit slaat nergens op").
SHORT_COMPLAINT_WORDS = 5


def about_the_assistant(text: str) -> bool:
    """Whether a frustrated message is about the assistant (then it apologises for its help) rather than about the
    subject ("wij hebben mensen uit 4 gemeenten en elke gemeente doet het anders ... ik word er gek van": then it
    acknowledges the anger without an apology for help it has not given yet)."""
    return word_count(text) <= SHORT_COMPLAINT_WORDS or bool(ABOUT_THE_ASSISTANT.search(text))


def question_part(message: Dict[str, Any]) -> Dict[str, Any]:
    """``message`` with only the entities of its last sentence that ends in a question mark."""
    start, end = question_span(str(message.get("text") or "")) or (0, 0)
    entities = [e for e in message.get("entities") or [] if start <= int(e.get("start") or 0) <= end]
    return {**message, "entities": entities}


class ActionFrustratieErkend(Action):
    """Intent frustratie (issue 19 §5): acknowledge. Anger at the assistant ("dit slaat nergens op", "stomme bot") gets
    no article. Anger about a subject the message is clearly about (``feeling_article``) gets what the sources say about
    it after the acknowledgement. When the message also corrects what was asked, or asks a question with an aspect
    ("... belachelijk. kan ik ergens klagen?"), that is answered in context; the rule then offers a person either
    way."""

    def name(self) -> str:
        return "action_frustratie_erkend"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]) -> List[Dict[str, Any]]:
        message = tracker.latest_message or {}
        previous = current_article(tracker)
        audience = audience_of(tracker)
        text = str(message.get("text") or "")
        aspects, route = follow_up_terms(message, previous)
        plain = not CORRECTION.search(text) and not (aspects and "?" in text)
        if plain and not about_the_assistant(text):
            # anger about the subject ("al 4 maanden wachten op loonkostensubsidie ... ik word er gek van"): what the
            # sources say about it, between the acknowledgement and the offer of a person, as for worry
            resolution = feeling_article(with_word_evidence(message, tracker, feeling=True), previous, audience)
            if resolution is not None and resolution.article_id and KENNISBANK.get(resolution.article_id):
                logger.info("Boos over een onderwerp: %s", resolution.reason)
                dispatcher.utter_message(response="utter_frustratie_met_vraag")
                return answer(dispatcher, tracker, resolution.article_id, audience, None)
        if about_the_assistant(text):
            dispatcher.utter_message(response="utter_frustratie_erkend")
        else:
            dispatcher.utter_message(response="utter_frustratie_onderwerp")
        if plain:
            # no article now, but the topic the user is upset about is the context of what they ask next
            # ("al 4 maanden wachten op loonkostensubsidie!!" ... "wat kunnen we de volgende keer anders doen")
            return named_topic_events(message, previous, audience)
        # a correction, or a question with it ("dit duurt al een jaar. belachelijk. kan ik ergens klagen?"): answer it
        if not (aspects or route or switched_topic(message, previous, audience)):
            return []
        if not CORRECTION.search(text):
            # only the question counts: in "dit duurt al een jaar. belachelijk. kan ik ergens klagen?" the "duurt" is
            # the complaint, "klagen" the question
            message = question_part(message)
            aspects, route = follow_up_terms(message, previous)
            if not (aspects or route):  # "dit duurt al een jaar. wat nu?": the complaint only, acknowledged
                return named_topic_events(message, previous, audience)
        resolution = in_context(
            message,
            previous,
            audience,
            False,
            places_of_conversation(tracker),
            last_asked_aspect(tracker),
        )
        logger.info("Frustratie met een correctie of vraag: %s", resolution.reason)
        if resolution.article_id is None or KENNISBANK.get(resolution.article_id) is None:
            return []
        if CORRECTION.search(text):
            dispatcher.utter_message(response="utter_frustratie_correctie")
        return answer(dispatcher, tracker, resolution.article_id, audience, route)


#: An out-of-scope guess under this confidence, with an article the selector is sure of, is a question for the
#: kennisbank ("waar kan ik met mijn klacht heen": out of scope at 0.56, where to complain at 0.54).
UNSURE_OUT_OF_SCOPE = 0.6
#: A word that points back at what was just said: "wie heeft dit in nederland opgezet" after Open Hiring; "het" as the
#: object of a verb: "wanneer moet ik het aanvragen" after who gets loonkostensubsidie (blind28).
POINTS_BACK_WORD = re.compile(
    r"\b(dit|dat|die|deze|daar|hier|daarvoor|hiervoor|ervoor|daarmee|hiermee|het\s+\w{3,}en)\b", re.IGNORECASE
)


class ActionBuitenOnderwerp(Action):
    """Intent out_of_scope: "Sorry, daar weet ik niets over" and what the assistant does know. Unless the message is a
    question for the kennisbank after all: the selector is sure of an article (``SURE_ARTICLE``), and the classifier
    is unsure it is out of scope (``UNSURE_OUT_OF_SCOPE``: "waar kan ik met mijn klacht heen") or the message points
    back at the current topic and the article is on it ("wie heeft dit in nederland opgezet" after Open Hiring, "waar
    kan ik dat doen in nederland"). The selector alone decides nothing: it always picks one of our articles ("hoeveel
    kost een huis in amsterdam": Amsterdam's dagbesteding at 0.92)."""

    def name(self) -> str:
        return "action_buiten_onderwerp"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]) -> List[Dict[str, Any]]:
        message = tracker.latest_message or {}
        ranking = selector_ranking(message)
        confidence = float((message.get("intent") or {}).get("confidence") or 0.0)
        text = str(message.get("text") or "")
        if ranking and ranking[0][1] >= SURE_ARTICLE:
            pick = ranking[0][0]
            unsure = confidence < UNSURE_OUT_OF_SCOPE
            points_back = bool(POINTS_BACK_WORD.search(text)) and on_topic(pick, current_article(tracker))
            if unsure or points_back:
                why = f"buiten het onderwerp ({confidence:.2f})" if unsure else "wijst terug naar het onderwerp"
                logger.info("Toch een kennisbankvraag: %s, %s %.2f", why, pick, ranking[0][1])
                return ActionKennisbankAntwoord().run(dispatcher, tracker, domain)
        dispatcher.utter_message(response="utter_out_of_scope")
        return []


class ActionAudienceBevestigd(Action):
    """Intent tell_audience: the audience slot is set from the message (``audience`` entity). A self-description
    alone ("wij zijn een schoonmaakbedrijf met 30 medewerkers") gets the confirmation and the topics. One that also
    asks a question ("we hebben ook een zaak in lelystad. krijgen we daar hetzelfde?", "mijn zoon is 17 en zit op het
    vso. kan hij later een wajong krijgen?") gets its answer, in the style of the audience it names: a person expects
    the question answered, not "waar gaat uw vraag over?" (eval 2026-12-07: three studied authors). So does a message
    the classifier took for a self-description that names no audience, when the selector is sure of its article ("ik
    heb een klein strafblad maakt dat uit" after Open Hiring: nobody said who they are, blind17)."""

    def name(self) -> str:
        return "action_audience_bevestigd"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]) -> List[Dict[str, Any]]:
        text = str((tracker.latest_message or {}).get("text") or "")
        if asks_a_question(text):
            logger.info("Zelfbeschrijving met een vraag: die vraag beantwoord")
            return ActionKennisbankAntwoord().run(dispatcher, tracker, domain)
        message = tracker.latest_message or {}
        ranking = selector_ranking(message)
        if not _values(message, "audience") and ranking and ranking[0][1] >= SURE_ARTICLE:
            logger.info("Geen doelgroep in het bericht, wel een zeker artikel (%s %.2f): beantwoord", *ranking[0])
            return ActionKennisbankAntwoord().run(dispatcher, tracker, domain)
        dispatcher.utter_message(response="utter_audience_bevestigd")
        return []


#: A question the sources say nothing about is at most this long when it asks about the last answer.
ABOUT_LAST_ANSWER_WORDS = 12


class ActionNietInBronnen(Action):
    """Intent niet_in_bronnen ("hoeveel ww krijg ik per maand"): the sources say nothing about it, a person can help.
    Unless it is a short question about a rare word of the last answer or its questions ("krijg ik in die proeftijd
    betaald" after Almere's beschut werk, whose trial weeks were unpaid): then that answer again, not "my sources say
    nothing" about what it has just said (eval 2026-12-06: two fresh authors asked this). A rare word of an article on
    the same topic counts too: "krijg ik daar ook hulp met schulden" after Open Hiring's overview gets Open Hiring's
    lifecoach, who helps with debts. So does one that a passage of a recent answer covers (``covering_recent_answer``).
    """

    def name(self) -> str:
        return "action_niet_in_bronnen"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]) -> List[Dict[str, Any]]:
        text = str((tracker.latest_message or {}).get("text") or "")
        current = KENNISBANK.get(current_article(tracker) or "")
        if current is not None and word_count(text) <= ABOUT_LAST_ANSWER_WORDS:
            rare = rare_word_article(text, current, KENNISBANK, QUESTION_WORDS)
            if rare is not None:
                article_id, word = rare
                logger.info(
                    "Niet in de bronnen? '%s' staat bij het laatste antwoord of zijn onderwerp: %s", word, article_id
                )
                return answer(dispatcher, tracker, article_id, audience_of(tracker), None)
            covering = covering_recent_answer(text, recent_articles(tracker), audience_of(tracker))
            if covering is not None:
                logger.info("Niet in de bronnen? Een recent antwoord (%s) dekt de vraag", covering.id)
                return answer(dispatcher, tracker, covering.id, audience_of(tracker), None)
        dispatcher.utter_message(response="utter_niet_in_bronnen")
        return []
