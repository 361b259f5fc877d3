"""Local questions (issue 19 §3): an answer about a named gemeente, honest about what the sources know.

When the user names a gemeente (the ``gemeente`` entity, remembered in the slot ``gemeente``), a question on a
topic the gemeente decides on is answered in four parts:

1. the gemeente sets its own rules (a verordening);
2. what the kennisbank's ``regio`` sources say about that place or the region a seed puts it in, or what an
   article read on the gemeente's own web page, each with its year; or that the sources say nothing about it;
3. the national frame: the kennisbank article for the question (never another place's article, never UWV's
   2017 practice: ``kennisbank/lokaal.yml`` names the article to use instead);
4. ask that gemeente, or a consultant (the handoff offer).

The texts are in ``kennisbank/lokaal.yml``, the facts in the articles; ``kennisbank.lokaal`` finds them.
``action_kennisbank_antwoord`` calls ``lokaal_antwoord`` first; ``action_lokaal_gemeente`` answers "ik woon in
Utrecht" (intent ``noem_gemeente``).
"""

from __future__ import annotations

import logging
import re
from typing import Any, Dict, List, Sequence

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.doelgroep import audience_of
from common import settings
from eligibility.vocabulary import Audience, Source
from kennisbank import loader as kennisbank
from kennisbank import lokaal as lokaal_kb
from kennisbank.context import LAST_ARTICLE_SLOT, covers, places_of, shares_topic, source_places, text_coverage
from kennisbank.loader import Article, Kennisbank
from kennisbank.lokaal import Lokaal, LokaalFeit
from kennisbank.render import render_article, sources_text

logger = logging.getLogger(__name__)

LOKAAL: Lokaal = lokaal_kb.load(kb=kennisbank.default())
#: The places the sources give examples from (the regions of every ``regio`` source).
PLACES = source_places(kennisbank.default())
#: At most this many articles' facts in one answer; the other local articles become buttons.
MAX_FEITEN = 3
MAX_KNOPPEN = 3
#: "ik woon in Utrecht, hoeveel uur krijg ik daar?": the article the selector picks for the question part, if it
#: is at least this sure. A message without a question word ("ik woon in Utrecht", "en in Almere?") is about the
#: previous question, if any.
MIN_VRAAG_ZEKERHEID = 0.15
#: ... or this sure, without a current topic or on it ("ik woon in zwolle. hoe lang krijg je daar een jobcoach van de
#: gemeete?", two articles at 0.11: not "stel je vraag maar")
MIN_VRAAG_ZEKERHEID_OP_ONDERWERP = 0.10
VRAAGWOORDEN = frozenset(
    "hoe hoeveel wat welke wie waar wanneer waarom kan kun kunnen krijg krijgt krijgen mag moet geldt".split()
)
#: A question for the national picture ("en landelijk?", "hoe is het in heel Nederland?") ...
NATIONAAL = r"landelijk\w*|in (heel )?nederland|in het hele land|in het algemeen"
#: ... or about other places ("wat doen andere gemeenten?", "hoe is het elders?"): no frame of the user's own gemeente.
LANDELIJK = re.compile(
    rf"\b({NATIONAAL}|andere (gemeenten|gemeentes|plaatsen|steden|regio'?s)|elders|ergens anders)\b", re.IGNORECASE
)
#: "en landelijk?", "en in het algemeen?": only the national picture of what was just asked.
ALLEEN_NATIONAAL = re.compile(rf"^\W*(en\s+)?(hoe\s+(is|zit)\s+(het|dat)\s+)?({NATIONAAL})\W*$", re.IGNORECASE)
#: A message with a question mark asks its own question from this many words ("en in Almere?" does not).
MIN_VRAAG_WOORDEN = 6
MEDEWERKER_KNOP = {"title": "Praat met een medewerker", "payload": "/request_human"}


def gemeente_van(tracker: Tracker) -> tuple[str | None, bool]:
    """The gemeente of the conversation, and whether the latest message names it. Of several places in one message,
    the first one that is new to the conversation: a correction or a move names the new place next to the old one
    ("sorry ik zeg zwolle maar we zijn verhuisd naar almere", "nee ik bedoel ze woont in amsterdam, wij in
    groningen")."""
    message = tracker.latest_message or {}
    text = str(message.get("text") or "")
    slot = tracker.get_slot("gemeente")
    remembered = LOKAAL.gemeente(str(slot)) if slot else None
    before = gemeente_voor_bericht(tracker)
    # "wij zijn de clientenraad van breda, niet amsterdam": a place named as the wrong one is not the user's
    wrong = [match.span() for match in NIET_DAAR.finditer(text)]
    entities = sorted(message.get("entities") or [], key=lambda entity: int(entity.get("start") or 0))
    places = [
        (found, any(start <= int(entity.get("start") or 0) < end for start, end in wrong))
        for entity in entities
        if entity.get("entity") == "gemeente" and (found := LOKAAL.gemeente(str(entity.get("value") or "")))
    ]
    named = [place for place, negated in places if not negated] or [place for place, _ in places]
    if named:
        return next((place for place in named if place != before), named[0]), True
    found = LOKAAL.in_tekst(text)
    if found:
        return found, True
    return remembered, False


def gemeente_events(tracker: Tracker) -> List[Dict[str, Any]]:
    """The slot ``gemeente`` set to the place the latest message is about, when Rasa's slot mapping (the last place
    the message names) chose another: "... wij zijn de clientenraad van breda, niet amsterdam" is about Breda in the
    questions that follow (blind31)."""
    gemeente, named_now = gemeente_van(tracker)
    slot = tracker.get_slot("gemeente")
    if not named_now or gemeente is None or (slot and LOKAAL.gemeente(str(slot)) == gemeente):
        return []
    return [SlotSet("gemeente", gemeente)]


def gemeente_voor_bericht(tracker: Tracker) -> str | None:
    """The gemeente of the conversation before the latest message (Rasa's slot mapping already set the slot to the
    last place the message names): the last ``gemeente`` slot event before the latest user event."""
    users = 0
    for event in reversed(tracker.events):
        users += event.get("event") == "user"
        if users and event.get("event") == "slot" and event.get("name") == "gemeente":
            value = event.get("value")
            return LOKAAL.gemeente(str(value)) if value else None
    return None


def _knop(tracker: Tracker) -> bool:
    """Whether the latest message is a button that names its article."""
    return any(e.get("entity") == "artikel" for e in tracker.latest_message.get("entities") or [])


def _artikel_knop(kb: Kennisbank, article_id: str) -> Dict[str, str]:
    return {"title": kb.articles[article_id].title, "payload": f'/faq{{"artikel":"{article_id}"}}'}


def _met_plaats_en_jaar(feit: LokaalFeit, zinnen: Sequence[str]) -> str:
    """The fact's sentences with " (WIZ, 2024)" after its last own sentence, before the explanations of terms that
    follow it (review R44: the tag read as if a national definition were the place's); no tag when the text
    already names the place and one of its years (review R40, R56 F7)."""
    tekst = " ".join(zinnen)
    # a text that names the place and a year of its sources is dated already; the tag took the years of all the
    # article's sources about the place, also of sentences not shown ("(Oss, 2020 en 2021)": review R56 F7)
    if LOKAAL.noemt(tekst, feit.plaats) and any(jaar in tekst for jaar in feit.jaren):
        return tekst
    eigen = max((i for i, zin in enumerate(zinnen) if zin not in feit.uitleg), default=len(zinnen) - 1)
    tag = f"({feit.plaats}, {feit.jaar_tekst()})"
    return " ".join([*zinnen[: eigen + 1], tag, *zinnen[eigen + 1 :]])


def lokale_tekst(
    kb: Kennisbank,
    gemeente: str,
    audience: Audience | None,
    feiten: List[LokaalFeit],
    slot_zin: str,
    topics: Sequence[str] = (),
    hieronder: bool = False,
    volgt: str = "",
    gevraagd: Sequence[LokaalFeit] = (),
) -> tuple[str, List[Dict[str, str]]]:
    """Parts 1 and 2: own rules, the local facts with their years (or that there are none), their sources; and
    buttons for the local articles not shown. With ``topics``, only facts on those topics are shown in full.
    ``hieronder``: the article that follows is about this place itself, so no "nothing about it" line. ``volgt``: the
    text of that article; what it says (or explains) is not said here too (review R44). ``gevraagd``: facts whose
    sentences cover the question's words, shown first whatever their topic (``gevraagde_feiten``)."""
    opening = LOKAAL.tekst("eigen_regels", audience, gemeente=gemeente)
    lines = [opening]
    refs: List[Source] = [LOKAAL.eigen_regels_bron]
    if topics:
        on_topic = [f for f in feiten if set(topics).intersection(kb.articles[f.artikel].topics)]
    else:
        on_topic = list(feiten)
    shown = [*gevraagd, *(f for f in on_topic if f not in gevraagd)][:MAX_FEITEN]
    rest = [f for f in feiten if f not in shown][:MAX_KNOPPEN]
    for membership in LOKAAL.regios(gemeente):
        if any(f.plaats == membership.regio for f in [*shown, *rest]):
            lines.append(LOKAAL.tekst("lid_van_regio", audience, gemeente=gemeente, regio=membership.tekst_naam))
            refs.append(membership.bron)
            if membership.naam_bron is not None:
                refs.append(membership.naam_bron)
    if shown:
        lines.append(LOKAAL.tekst("feiten", audience, gemeente=gemeente))
        # what the opening, the region line or an earlier fact said is not said again
        for feit, zinnen in LOKAAL.te_tonen(shown, " ".join([*lines, volgt])):
            if zinnen:
                tekst = " ".join(zinnen)
                lines.append(f"- {_met_plaats_en_jaar(feit, zinnen)}")
                refs += LOKAAL.bronnen(kb.articles[feit.artikel], feit.plaats, tekst)
    elif hieronder:
        pass
    elif rest:
        lines.append(LOKAAL.tekst("geen_feiten_onderwerp", audience, gemeente=gemeente))
    else:
        lines.append(LOKAAL.tekst("geen_feiten", audience, gemeente=gemeente))
    if rest:
        lines.append(LOKAAL.tekst("andere_onderwerpen", audience, gemeente=gemeente))
    lines.append(slot_zin)
    lines.append(sources_text(kb, refs))
    return "\n".join(lines), [_artikel_knop(kb, f.artikel) for f in rest]


def gevraagde_feiten(
    kb: Kennisbank, question: str, feiten: Sequence[LokaalFeit], plaatsen: Sequence[str] = ()
) -> List[LokaalFeit]:
    """The place's facts whose sentences cover the question's words (``covers``), best first: in Amsterdam, "krijgen
    werkgevers hier extra geld voor jobcoaching bij beschut werk?" after its way back from work is its €2,500 for the
    employer's jobcoaching (a fact on the jobcoach), not its way from dagbesteding to work (blind22). The names of the
    ``plaatsen`` do not count: every fact names its place."""
    for plaats in plaatsen:
        question = re.sub(rf"\b{re.escape(plaats)}\b", " ", question, flags=re.IGNORECASE)
    scored = [(text_coverage(kb, question, " ".join(f.zinnen)), n, f) for n, f in enumerate(feiten)]
    return [f for coverage, _, f in sorted(scored, key=lambda row: (-row[0][0], row[1])) if covers(coverage)]


def user_texts(tracker: Tracker) -> list[str]:
    """What the user wrote in this conversation, oldest first (a button's payload left out)."""
    texts = [str(e.get("text") or "") for e in tracker.events if e.get("event") == "user"]
    latest = str(tracker.latest_message.get("text") or "")
    if not texts or texts[-1] != latest:
        texts.append(latest)
    return [text for text in texts if text and not text.startswith("/")]


#: "niet amsterdam", "niet in almere": a place the user says is not theirs (a correction names the old place too).
NIET_DAAR = re.compile(r"\bniet\s+(?:in\s+|uit\s+|bij\s+|de\s+gemeente\s+)?[\w'-]+(?:\s+[\w'-]+)?", re.IGNORECASE)


def zonder_verkeerde_plaats(text: str) -> str:
    """``text`` without a place the user names as the wrong one ("ik zit in de raad van oss, niet amsterdam", "het is
    niet de achterhoek maar west-brabant"); another "niet ..." stays: "ik wil niet meer werken" is part of the
    question."""

    def weg(match: re.Match[str]) -> str:
        span = match.group(0)
        named = LOKAAL.in_tekst(span) or any(LOKAAL.noemt_in_bericht(span, place) for place in PLACES)
        return " " if named else span

    return NIET_DAAR.sub(weg, text)


def noemt_plaats_van(text: str, article: Article) -> bool:
    """Whether ``text`` names a place the example ``article`` is about ("... winterswijk (achterhoek) ..."). Not a place
    it names as the wrong one: "sorry ik haal dingen door elkaar, ik zit in de raad van oss, niet amsterdam" after
    Amsterdam's example is about Oss (blind15, blind29)."""
    text = zonder_verkeerde_plaats(text)
    return any(LOKAAL.noemt_in_bericht(text, place) for place in places_of(article))


def lokaal_antwoord(
    dispatcher: CollectingDispatcher, tracker: Tracker, kb: Kennisbank, article_id: str, audience: Audience | None
) -> str | None:
    """Answer ``article_id`` within the frame of the conversation's gemeente; returns the article to remember as the
    current topic: the question's own article, also when its national frame was shown instead ("hoeveel uur krijg
    ik in Utrecht?" ... "en bij het uwv?" is about the hours, not about who gets a jobcoach). None: no gemeente
    applies, so the caller gives its normal answer."""
    gemeente, named_now = gemeente_van(tracker)
    article = kb.get(article_id)
    if gemeente is None or article is None:
        return None
    if not named_now and LANDELIJK.search(str(tracker.latest_message.get("text") or "")):
        # "en landelijk?" after a local answer: the national answer, without the gemeente's frame
        logger.info("lokaal: %s remembered, but the national answer is asked", gemeente)
        return None
    if not LOKAAL.geldt_voor(article):
        logger.info("lokaal: %s named, but %s is not a gemeente topic (%s)", gemeente, article_id, article.topics)
        return None
    kader = LOKAAL.kader(kb, article_id, gemeente)
    # another place's example, and now this place named ("en in oss?" after Amsterdam's way back from work): this
    # place's example on the topic, if the sources have one. Not for a place remembered: "hoe werkt van zorg naar werk"
    # in Wijchen asks about Oss's project by its name (review R58)
    elders_gevraagd = named_now and kader != article_id
    voorbeeld = LOKAAL.eigen_voorbeeld(kb, article, frozenset(LOKAAL.plaatsen(gemeente))) if elders_gevraagd else None
    eigen_voorbeeld = voorbeeld is not None
    if voorbeeld is not None:
        kader = voorbeeld.id
    if kader != article_id and _knop(tracker):
        # a follow-up button ("Beschut werk in Almere (2021)", "Wie krijgt een jobcoach via UWV?") asks for
        # exactly that article, which names its own place or UWV and year: give it as it is
        logger.info("lokaal: %s asked by a button; %s's frame left out", article_id, gemeente)
        return None
    # a gemeente named now counts from now: "we hebben ook een zaak in lelystad. krijgen we daar hetzelfde?" after
    # Almere is about Lelystad, although an earlier message named Almere, the place of the example
    texts = [str(tracker.latest_message.get("text") or "")] if named_now else user_texts(tracker)
    if kader != article_id and any(noemt_plaats_van(text, article) for text in texts):
        # "wij zijn de clientenraad van winterswijk (achterhoek). wat heeft onze regio geregeld": the user names the
        # example's own place; the seeds do not say Winterswijk is in it, the user does. Also for the follow-ups
        # after it ("wat leert die collega daar dan"). The example names its place and year itself
        logger.info("lokaal: the user named the place of %s; %s's frame left out", article_id, gemeente)
        return None
    feiten = LOKAAL.feiten(kb, gemeente, audience, kb.articles[kader].topics)
    # the article shown next says its own local facts in full: not twice in one turn (review R42 B5, C4)
    eigen = next((f for f in feiten if f.artikel == kader), None)
    feiten = [f for f in feiten if f.artikel != kader]
    rendered = render_article(kb, kader, audience, settings.get("PUBLIC_URL"))
    # an article that names the place is no "general" answer either (review R46: Route Arbeid+ for Groningen)
    # ... in its answer, not in its sources line ("Hanzehogeschool Groningen" is no fact about Groningen: review R56 F1)
    # the national article given instead of another place's example is the general answer, also when it names this
    # place in passing (review R58: Wijchen asking about Oss's approach)
    antwoord = kb.articles[kader].answer.for_audience(audience)
    # ... but a fact about this place or its region in the national frame is one, unless another place's example was
    # asked (review R72 R-2: the WIZ terms for Tynaarlo in jobcoach_gemeente, shown for a question about the hours)
    example_of = places_of(article)
    elders = bool(example_of) and not example_of & set(LOKAAL.plaatsen(gemeente))
    over_hier = (
        eigen_voorbeeld
        or (eigen is not None and not elders)
        or (kader == article_id and any(LOKAAL.noemt(antwoord, p) for p in LOKAAL.plaatsen(gemeente)))
    )
    slot_zin = LOKAAL.tekst("hieronder" if over_hier else "landelijk", audience)
    logger.info(
        "lokaal: %s (%s), question article %s, national frame %s, local facts from %s",
        gemeente,
        "named now" if named_now else "remembered",
        article_id,
        kader,
        [f.artikel for f in feiten] or "none",
    )
    if not named_now and not feiten and not over_hier and frame_given(tracker, gemeente, audience):
        # the frame was given in this conversation, and nothing is known about this place on this topic: the frame
        # once more in short, not all of it before every answer
        logger.info("lokaal: the frame for %s was given before; in short now", gemeente)
        herinnering = LOKAAL.tekst("herinnering", audience, gemeente=gemeente)
        dispatcher.utter_message(text="\n".join([herinnering, sources_text(kb, [LOKAAL.eigen_regels_bron])]))
    else:
        question = str(tracker.latest_message.get("text") or "")
        gevraagd = gevraagde_feiten(kb, question, feiten, LOKAAL.plaatsen(gemeente))
        text, knoppen = lokale_tekst(
            kb,
            gemeente,
            audience,
            feiten,
            slot_zin,
            article.topics,
            hieronder=over_hier,
            volgt=rendered.text,
            gevraagd=gevraagd,
        )
        dispatcher.utter_message(text=text, buttons=knoppen)
    dispatcher.utter_message(text=rendered.text, buttons=rendered.buttons)
    dispatcher.utter_message(
        text=LOKAAL.tekst("verwijzing", audience, gemeente=gemeente), buttons=[dict(MEDEWERKER_KNOP)]
    )
    ask_audience_once(dispatcher, tracker, rendered.ask_audience)
    return kader if eigen_voorbeeld else article_id


def frame_given(tracker: Tracker, gemeente: str, audience: Audience | None) -> bool:
    """Whether an earlier answer in this conversation opened with the frame of ``gemeente`` (its own rules)."""
    opening = LOKAAL.tekst("eigen_regels", audience, gemeente=gemeente)
    return any(e.get("event") == "bot" and opening in str(e.get("text") or "") for e in tracker.events)


def ask_audience_once(dispatcher: CollectingDispatcher, tracker: Tracker, needed: bool) -> None:
    """ "Wie ben je?" after an answer that differs per audience, when the audience is unknown; once per conversation:
    a user who did not answer it the first time is not asked after every answer."""
    asked = any(
        event.get("event") == "bot" and (event.get("metadata") or {}).get("utter_action") == "utter_vraag_doelgroep"
        for event in tracker.events
    )
    if needed and not asked:
        dispatcher.utter_message(response="utter_vraag_doelgroep")


def heeft_vraag(text: str) -> bool:
    """Whether a message asks something besides naming a place: it has a question word or a question mark ("wij wonen
    in oss ... is er daar iets met beschut werk?"); a short "en in Almere?" is about the previous question."""
    words = re.findall(r"\w+", text.casefold())
    return ("?" in text and len(words) >= MIN_VRAAG_WOORDEN) or bool(VRAAGWOORDEN.intersection(words))


def gevraagd_artikel(message: Dict[str, Any], vorig: str | None = None) -> str | None:
    """The article the response selector picked for a message, when it is sure enough (``MIN_VRAAG_ZEKERHEID``; from
    ``MIN_VRAAG_ZEKERHEID_OP_ONDERWERP`` when there is no current article ``vorig`` or the pick shares its topic)."""
    selected = ((message.get("response_selector") or {}).get("faq") or {}).get("response") or {}
    key = str(selected.get("intent_response_key") or "")
    confidence = float(selected.get("confidence") or 0.0)
    prefix, _, article_id = key.partition("/")
    if prefix != "faq" or not article_id or confidence < MIN_VRAAG_ZEKERHEID_OP_ONDERWERP:
        return None
    if confidence >= MIN_VRAAG_ZEKERHEID:
        return article_id
    kb = kennisbank.default()
    picked, current = kb.get(article_id), kb.get(vorig or "")
    return article_id if picked is not None and (current is None or shares_topic(picked, current)) else None


def vorig_artikel(tracker: Tracker) -> str | None:
    """The article answered last ("wat is beschut werk?" ... "en in Almere?"): action_kennisbank_antwoord and the
    local answer both keep it in the slot laatste_artikel."""
    last = tracker.get_slot(LAST_ARTICLE_SLOT)
    return last if isinstance(last, str) and last else None


class ActionLokaalGemeente(Action):
    """ "ik woon in Utrecht" (intent noem_gemeente): remember the place; with a question, answer it locally."""

    def name(self) -> str:
        return "action_lokaal_gemeente"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]) -> List[Dict[str, Any]]:
        kb = kennisbank.default()
        audience = audience_of(tracker)
        gemeente, _ = gemeente_van(tracker)
        if gemeente is None:
            logger.info("lokaal: a place was mentioned that is not a known gemeente")
            dispatcher.utter_message(text=LOKAAL.tekst("onbekende_plaats", audience), buttons=[dict(MEDEWERKER_KNOP)])
            return []
        text = str(tracker.latest_message.get("text") or "")
        vorig = vorig_artikel(tracker)
        article_id = (gevraagd_artikel(tracker.latest_message, vorig) if heeft_vraag(text) else None) or vorig
        shown = lokaal_antwoord(dispatcher, tracker, kb, article_id, audience) if article_id else None
        if shown is not None:
            return [SlotSet("gemeente", gemeente), SlotSet(LAST_ARTICLE_SLOT, shown)]
        feiten = LOKAAL.feiten(kb, gemeente, audience)
        logger.info("lokaal: %s remembered; local facts from %s", gemeente, [f.artikel for f in feiten] or "none")
        # a question about this place on the last answer's topic, which no gemeente decides ("zitten die ook in
        # leeuwarden?", "en in leeuwarden?" after a foundation for graduates): the sources do not say, rather than "ask
        # your question"
        last = kb.get(article_id) if article_id else None
        asked = (
            last
            if last is not None
            and ("?" in text or heeft_vraag(text))
            and not LOKAAL.geldt_voor(last)
            and not places_of(last) & set(LOKAAL.plaatsen(gemeente))
            else None
        )
        slot_zin = LOKAAL.tekst("onthouden" if asked is None else "niet_lokaal", audience, gemeente=gemeente)
        text, knoppen = lokale_tekst(kb, gemeente, audience, feiten, slot_zin)
        dispatcher.utter_message(text=text, buttons=knoppen if asked is None else [*knoppen, dict(MEDEWERKER_KNOP)])
        if asked is not None:  # the topic asked about stays the current one
            return [SlotSet("gemeente", gemeente), SlotSet(LAST_ARTICLE_SLOT, asked.id)]
        # the first fact shown is the current topic: "wie test dan wat ze kan?" is about it (eval, issue 19 §1)
        topic = [SlotSet(LAST_ARTICLE_SLOT, feiten[0].artikel)] if feiten else []
        return [SlotSet("gemeente", gemeente), *topic]
