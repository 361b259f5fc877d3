"""Follow-up questions resolved against the current topic (issue 19 §1). Pure Python, no Rasa.

The assistant remembers the last article it gave (slot ``laatste_artikel``). A follow-up that leaves out the
topic ("hoe lang dan?", "en bij de gemeente?", "wat als hij ziek wordt?") names only an aspect or a route
(``kennisbank.aspects``); ``resolve_follow_up`` turns (last article, aspect, route, audience) into an article
by scoring every article, and says why in one sentence (the action logs it). ``rerank`` keeps a new question on
the current topic when the classifier is unsure between articles.

Scoring, highest wins (ties: the example most about the conversation's own place first, then the overview, then the one
that uses more of the message's words, then the id):

- an article must have the asked aspect and the asked route (hard filters);
- it must be related to the last article (a shared topic, or a follow-up link either way), unless it is the
  only article in the kennisbank with that aspect and no route is asked ("ziekte" is only the no-riskpolis);
- +4 when the asked aspect is its main aspect, +3 when it is another of its aspects;
- +2 per shared topic, +1 when both have the same main (first) topic;
- +1 when the last article lists it as a follow-up, +0.5 the other way round;
- route only ("en bij de gemeente?"): +2 when it has the last article's main aspect, +1 for any shared aspect;
- no route asked: -2 when it is about the other organisation than the last article (the conversation stays on the
  route the user chose: "nee, via de gemeente" ... "mag ik dat dan zelf aanvragen?");
- +0.5 when its aspects fit the audience (werkgever, clientenraad); -1 when it is written first for another
  audience than the known one (primary aspect werkgever or clientenraad), unless that aspect is what is asked;
- place: the conversation is about a place when the user named a gemeente, or when the last article was an example
  from one place ("hoe werkt op weg naar werk in nijmegen"). Then an example from another place gets -3 ("hoeveel
  krijgt de aanbieder daarvoor" is Nijmegen's tariff, not Amsterdam's), and one about this place +1. In a
  conversation about no place, an example from one place gets -1: a general article on the topic first;
- -1.5 for the last article itself, unless the asked aspect is its main aspect: another article that answers is
  better news than the same one again. A route asked after an article on that very route gives that article (the
  user saw the gemeente's frame of it).

A follow-up with no aspect or route we know ("en andersom?", "wat dan wel?") takes the selector's best candidate on
the current topic, the last article included (the answer is often in what was just said; eval analysis of
2026-12-05: 20 failed turns had their answer there), from ``ON_TOPIC_FLOOR`` (``on_topic_pick``). A short unsure
question that names no topic does the same (``rerank`` with ``stay``); "dus ...?" checks the last answer
(``confirms``); a rare word of an article on the topic points at it (``rare_word_article``). When none reaches
it, the last article itself, unless the message only asks what comes next ("en dan?": ``asks_what_next``; the caller
offers the topic's follow-up questions).

A year of a year-by-year split ("hoeveel is dat in jaar 2?") that the last article states is answered by that article
(``year_asked``, ``states``): the interne jobcoach's amounts per year, not the hours of another article. So is a thing
the user points at with "die"/"dat"/"deze" when the last article names it and few others do ("hoe hoog is die heffing"
after the quotum, "wat betaalt die polis" after the no-riskpolis: ``pointed_at``), and a question for its source
("wie zegt dat?": ``asks_for_source``; every answer ends with its source and date).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Dict, Iterable, List, Mapping, Sequence, Tuple

import simplemma
from spacy.lang.nl.stop_words import STOP_WORDS

from eligibility.vocabulary import Audience
from kennisbank.aspects import Aspect, Route
from kennisbank.loader import Article, Kennisbank
from kennisbank.lokaal import names_place, places_of
from kennisbank.render import EXPORT_TOPIC

#: Aspects that fit an audience best, a small bonus when the rest ties.
AUDIENCE_ASPECTS = {Audience.werkgever: Aspect.werkgever, Audience.clientenraad: Aspect.clientenraad}
ROUTE_NAMES = {Route.uwv: "UWV", Route.gemeente: "de gemeente"}

#: Under this confidence of the response selector, ``rerank`` prefers a candidate on the current topic.
#: From 5-fold cross-validation (tools/bench_nlu.py, results/bench_nlu/predictions.json): below it the
#: selector's first pick was right in fewer than half of the held-out questions (docs/conversation.md, Context).
#: The slot (domain.yml) that holds the article answered last: the topic a follow-up is resolved against.
LAST_ARTICLE_SLOT = "laatste_artikel"
#: The slot that holds the aspect the last question asked ("hoeveel uur moet ik werken": voorwaarden).
LAST_ASPECT_SLOT = "laatste_aspect"

RERANK_THRESHOLD = 0.30
#: Below this confidence a pick on another topic than the conversation's gives way to a candidate on it (``rerank``).
KEEP_TOPIC_BELOW = 0.40
#: A candidate on the current topic is taken when its confidence is at least this share of the first pick's.
RERANK_RATIO = 0.5
#: A follow-up without a known aspect takes the selector's best candidate on the current topic from this confidence;
#: below it none (the caller gives the last answer again, or the topic's follow-up questions). From 0.05 to 0.10 after
#: the eval of 2026-12-06: candidates under 0.10 were a sibling article picked on one shared word ("wat krijg ik daar
#: dan voor" after the interne jobcoach: UWV's conditions at 0.08), while the answer was the last one.
ON_TOPIC_FLOOR = 0.10
#: "iedere gemeente doet het weer anders", "3 jobcoaches van 3 verschillende gemeentes": the differences between places
#: (not "bij ons", which the aspect lokaal also holds: it says where the asker is)
DIFFERS_PER_PLACE = re.compile(
    r"\b(?:elke|iedere|verschillende|andere)\s+gemeente\w*|\bper\s+(?:gemeente|regio)\b|\bandere\s+regels\b"
    r"|\bdoet\s+het\s+(?:weer\s+|allemaal\s+|steeds\s+)?anders\b",
    re.IGNORECASE,
)
#: "en daarna?", "wat gebeurt er daarna?", "hoe gaat het daarna verder?": what came next (``next_step``); not "en dan?",
#: which asks what else the user may want to know (the last article's follow-ups)
NEXT_STEP = re.compile(
    r"^\W*(?:en\s+)?(?:daarna|vervolgens|en\s+toen|wat\s+(?:gebeurt|komt)\s+er\s+(?:daarna|hierna|na\s+\w+)"
    r"|hoe\s+(?:gaat|loopt)\s+het\s+(?:daarna\s+)?verder)(?:\s+dan)?\W*$",
    re.IGNORECASE,
)
#: ... at most this many sentences of what follows
NEXT_STEP_SENTENCES = 8
#: ... after the passage that holds this share of the earlier question's words (``covers`` asks half): "en daarna?"
#: asks for the continuation, so the passage need only be the best one ("krijgt ze dan meteen loon?" after Almere's
#: beschut werk: "In die weken kreeg je kind nog geen loon" has "krijgen" and "loon", not "meteen": 0.46)
NEXT_STEP_SHARE = 0.4
#: Words that point back at what was just said (``points_back``), besides the pronominal adverbs ("daaraan").
POINTS_BACK_WORDS = frozenset({"dan", "dat", "die", "dit", "deze", "daar", "hier"})
#: A word names one thing when at most this many articles use it ("stempel": the register's label, 4 articles).
RARE_WORD_MAX = 4
#: "telt beschut werk daar ook voor?", "tellen ... ook mee", "wordt dat meegeteld": does it count for the last answer's
#: subject ("tellen vrijwilligerswerk of een opleiding dan ook als succes?" asks what counts as success: not this)
COUNTS_TOO = re.compile(
    r"\b(?:telt|tellen|tel|geteld)\b.*\b(?:mee|daar\w*|hiervoor)\b|\bmee(?:tellen|geteld|telt)\b", re.IGNORECASE
)
#: ... in a short question; a longer one says what it asks about itself
COUNTS_TOO_WORDS = 14
#: "telt dagbesteding mee voor de banenafspraak?", "... voor die banenafspraak?": it names what it counts for, so not
#: the last answer's subject
COUNTS_FOR_NAMED = re.compile(r"\b(?:voor|bij)\s+(?:de|het|die|dat|deze)\s+\w{4,}", re.IGNORECASE)
#: A message that checks what it understood of the last answer: "dus 10 uur kan eigenlijk nooit?".
CONFIRMS = re.compile(r"^\W*(dus|oftewel|dat betekent( dus)?|betekent dat( dus)?|klopt het dus)\b", re.IGNORECASE)


#: A year of a split per year: "jaar 2", "het tweede jaar".
YEAR = re.compile(r"\bjaar ([123]|twee|drie)\b|\b(eerste|tweede|derde|[123]e|1ste|[23]de) jaar\b", re.IGNORECASE)
ORDINAL_YEARS = {
    **dict.fromkeys(("eerste", "1e", "1ste"), "1"),
    **dict.fromkeys(("tweede", "2e", "2de", "twee"), "2"),
    **dict.fromkeys(("derde", "3e", "3de", "drie"), "3"),
}
#: A question for an age ("tot hoe oud blijft hij op school") and an age an answer states ("tot 18 jaar").
AGE_ASKED = re.compile(
    r"\b(hoe oud|(tot|vanaf|op) welke leeftijd"
    r"|hoe ?lang blijf\w*(\s+\w+){0,3}\s+op (school|het pro|het vso|de praktijkschool|het praktijkonderwijs)"
    r"|tot\s+(?:m[ij]n|me|m'n|zijn|z'n|haar|je|hun)\s+(?:1[4-9]|2[0-3])(?:e|de|ste)?(\s+\w+){0,2}\s+op school)\b",
    re.IGNORECASE,
)
#: ... about school: the topic of the vso and the Pro, whatever the conversation was about since.
SCHOOL_AGE = re.compile(r"\bop school\b", re.IGNORECASE)
SCHOOL_TOPIC = "vso_pro"
AGE_STATED = re.compile(r"\b(1[4-9]|2[0-9]) jaar\b|\b(achttiende|achttien)\b|\b\d{2}-jarig", re.IGNORECASE)
#: A question for the places where something happened: "welke gemeenten deden daaraan mee?".
PLACES_ASKED = re.compile(
    r"\b(welke|wat voor) (gemeenten|gemeentes|plaatsen|steden|regio'?s)\b|\bwaar (was|gebeurde|gebeurt) (dat|dit)\b",
    re.IGNORECASE,
)
#: "welke regio's waren dat?": the places of what was just said.
POINTS_BACK = re.compile(r"\b(waren|zijn|was|is)\s+(dat|die|deze|dit)\b", re.IGNORECASE)
#: ... answered by the last article when it names at least this many of the places the sources know.
PLACES_NAMED = 2
#: "die heffing", "dat register": a thing the user points at.
POINTED = re.compile(r"\b(?:die|dat|deze|dit)\s+(\d+(?:[.,]\d+)?\s+\w+|\w{4,})", re.IGNORECASE)
#: A word names a thing of the last article when at most this many articles use it ("heffing": 1, "jobcoach": 42).
RARE_WORD_ARTICLES = 3
#: "daarover", "hiervoor", "waarmee", "ermee": a pointer to something said, never the thing itself.
PRONOMINAL_ADVERB = re.compile(
    r"^(daar|hier|waar|er)(aan|achter|bij|binnen|boven|buiten|door|in|langs|mee|na|naar|naartoe|om|onder|op|over|tegen"
    r"|toe|tussen|uit|van|vandaan|voor|zonder)$"
)
#: A question for the source of what was just said: "wie zegt dat?", "waar staat dat?", "welke bron?".
SOURCE_QUESTION = re.compile(
    r"\b(wie (zegt|zei|schrijft|vindt) (dat|dit)|waar (staat|lees ik) (dat|dit)|welke bron(nen)?"
    r"|hoe (weet|weten) (je|jullie|u) (dat|dit)|wat is (de|je|jullie|uw) bron|volgens wie"
    r"|waar (vind|lees|haal|krijg) (ik|je|u|we|wij) (daar |hier |er )?meer\b|meer (info|informatie) (over|daarover))\b"
    r"|\bwaar (kan|kun|kunnen|moet|moeten) (ik|je|u|we|wij) (daar |hier |er )?(nog )?(meer )?(over )?"
    r"(lezen|kijken|zien)(\s+(over|daarover|erover))?\W*$",
    re.IGNORECASE,
)
#: A message that says which topic the user meant ("sorry, ik bedoelde eigenlijk de no-riskpolis", "loonkostensubsidie
#: bedoel ik"): the question before it, asked again for that topic (actions.kennisbank.in_context,
#: reintegratie/nlu/correction_guard.py).
MEANT = re.compile(r"\b(ik bedoel\w*|bedoel(de)? ik|ik vroeg (naar|over))\b", re.IGNORECASE)


def word_count(text: str) -> int:
    """The words of a message, as the length rules of the context count them: "zo'n" and "z'n" are one word each."""
    return len(re.findall(r"\w+(?:['’]\w+)*", text))


def says_what_was_meant(text: str, max_words: int) -> bool:
    """ "nee ik bedoel de no-riskpolis", "loonkostensubsidie bedoel ik": at most ``max_words`` words, and it says what
    the user meant (``MEANT``)."""
    return word_count(text) <= max_words and MEANT.search(text) is not None


#: A question whether what was just said still holds: "en geldt dat nu nog steeds?", "is dat nog actueel?". It is
#: answered with the date of the last answer and who knows what holds now, not with the article again.
STILL_VALID = re.compile(
    r"\b(geldt|gelden|klopt|is|zijn)\s+(dat|dit|het|die|deze)\s+(nu\s+|nou\s+|vandaag\s+|tegenwoordig\s+|ook\s+)?"
    r"(nog|nog steeds|nog altijd|nog wel)(\s+(zo|steeds|altijd|actueel|geldig|van kracht))?\W*$"
    r"|\b(is|zijn)\s+(dat|dit|die|deze)\s+(regels?\s+|bedragen\s+|cijfers\s+)?(nog\s+)?(actueel|up.to.date|verouderd|achterhaald)\b"
    r"|^\W*(en\s+)?wat\s+geldt\s+(er\s+)?(nu|vandaag|tegenwoordig)\W*$",
    re.IGNORECASE,
)
#: A follow-up that only asks what comes next or what else there is: the topic's follow-up questions, not an article.
WHAT_NEXT = re.compile(
    r"^\W*(en\s+)?((wat\s+)?(dan|nu|verder|nog meer|daarna|toen)|wat nog meer|en)(\s+(dan|nog|verder))?\W*$",
    re.IGNORECASE,
)


#: A question sentence that only asks for help or the right address ("kunt u mij helpen?", "ben ik hier goed?"): with
#: a self-description it is a greeting, not a question for the kennisbank.
ASKS_FOR_HELP = re.compile(
    r"\b(kun|kunt|kan|kunnen|wil|wilt)\s+(je|jij|u|jullie)\s+(mij|me|ons)\s+(\w+\s+)?helpen\b"
    r"|\b(ben|zijn)\s+(ik|we|wij)\s+hier\s+(wel\s+)?(goed|juist|aan het (goede|juiste) adres)\b"
    r"|\bmag\s+ik\s+(iets|een vraag|wat)\s+vragen\b",
    re.IGNORECASE,
)
#: A question sentence has at least this many words ("is daar iets voor hier?"; "wat nu?" alone says too little).
QUESTION_MIN_WORDS = 4


def question_span(text: str) -> Tuple[int, int] | None:
    """Where the last sentence that ends in a question mark starts and ends in ``text``; None without one."""
    end = text.rfind("?")
    if end < 0:
        return None
    return max(text.rfind(mark, 0, end) for mark in ".!?") + 1, end


def asks_a_question(text: str) -> bool:
    """Whether a self-description also asks a question: its last sentence that ends in a question mark has at least
    ``QUESTION_MIN_WORDS`` words and asks more than help ("wij wonen in oss. onze zoon zit op het vso ... is daar iets
    voor hier?" asks; "ik ben werkgever, ben ik hier goed?" does not)."""
    span = question_span(text)
    if span is None:
        return False
    sentence = text[span[0] : span[1]]
    return word_count(sentence) >= QUESTION_MIN_WORDS and not ASKS_FOR_HELP.search(sentence)


@dataclass(frozen=True)
class Resolution:
    """The article to give (``None``: none fits) and why, in one sentence for the log."""

    article_id: str | None
    reason: str


def topic_overview(kb: Kennisbank, topic: str, audience: Audience | None = None) -> Article | None:
    """The article that says what a topic is (its main topic, main aspect overzicht; the national one first): the
    context for a follow-up that names another topic ("ik vroeg naar een jobcoach, niet naar loon"). For a
    cliëntenraad, the topic's article written for it, if it has one ("en over jobcoaching?" in a cliëntenraad's
    conversation: the questions it can ask about jobcoaching)."""
    for_them = sorted(
        (
            a
            for a in kb.articles.values()
            if audience is Audience.clientenraad and a.topics[0] == topic and a.aspects[0] is Aspect.clientenraad
        ),
        key=lambda a: (EXPORT_TOPIC not in a.topics, a.id),
    )
    if for_them:
        return for_them[0]
    found = [a for a in kb.articles.values() if a.topics[0] == topic and a.aspects[0] is Aspect.overzicht]
    found.sort(key=lambda a: (a.route is not None, a.id))
    return found[0] if found else None


#: The year after the one just told ("en het jaar erna?"): in an answer split per year, its second year at least.
NEXT_YEAR = re.compile(r"\b(?:jaar (?:erna|daarna|daarop)|volgend jaar)\b", re.IGNORECASE)


def year_asked(text: str) -> str | None:
    """The year a message asks about, as the articles write it ("jaar 2"; "het jaar erna": "jaar 2", the answer that
    splits per year gives every year); none: None."""
    found = YEAR.search(text)
    if found is None:
        return "jaar 2" if NEXT_YEAR.search(text) else None
    number = found.group(1) or found.group(2)
    return f"jaar {ORDINAL_YEARS.get(number.lower(), number)}"


def age_stated(text: str, article: Article) -> str | None:
    """The age ``article`` states when ``text`` asks for one ("tot hoe oud blijft hij op school" after the Pro route:
    "18 jaar"); none: None."""
    if not AGE_ASKED.search(text):
        return None
    for variant in article.answer.variants().values():
        found = AGE_STATED.search(variant)
        if found:
            return found.group(0)
    return None


def age_on_topic(kb: Kennisbank, text: str, current: Article | None) -> Resolution | None:
    """An age asked on the current topic that the last article does not state ("en hoe lang blijft hij dan op school"
    after the Pro's aftercare, blind12 and blind13): the topic's article that states one (the Pro: "tot 18 jaar"),
    the topic's overview first. An age at school is asked on the vso and Pro too ("en klopt het dat ik tot me 18e op
    school moet blijven?" after Nijmegen's dagbesteding, blind25). None: no age asked, or none stated on the topic."""
    if current is None or not AGE_ASKED.search(text) or age_stated(text, current):
        return None
    school = SCHOOL_TOPIC if SCHOOL_AGE.search(text) else None
    on_topic = [
        a for a in kb.articles.values() if a.id != current.id and (shares_topic(a, current) or school in a.topics)
    ]
    on_topic.sort(
        key=lambda a: (
            school is not None and school not in a.topics,
            a.topics[0] != current.topics[0],
            a.aspects[0] is not Aspect.overzicht,
            a.id,
        )
    )
    for article in on_topic:
        age = age_stated(text, article)
        if age:
            return Resolution(article.id, f"'{age}' staat in {article.id}, bij het onderwerp van {current.id}")
    return None


def source_places(kb: Kennisbank) -> frozenset[str]:
    """The places the sources give examples from: the regions of every ``regio`` source."""
    return frozenset(place for article in kb.articles.values() for place in places_of(article))


def places_stated(text: str, article: Article, places: frozenset[str]) -> str | None:
    """The places ``article`` names when ``text`` asks where something happened ("welke gemeenten deden daaraan mee?"
    after Simpel Switchen's points: "Almere, Amsterdam, ..."), if it names at least ``PLACES_NAMED`` of ``places``; or,
    when the question points back ("welke regio's waren dat?"), that article (it says whether its sources name them).
    Else None."""
    if not PLACES_ASKED.search(text):
        return None
    variants = article.answer.variants().values()
    named = sorted(place for place in places if any(names_place(variant, place) for variant in variants))
    if len(named) >= PLACES_NAMED:
        return ", ".join(named)
    if POINTS_BACK.search(text):
        # "welke regio's waren dat" after the differences per region: the places of that answer, which says whether its
        # sources name them
        return "de plaatsen van het laatste antwoord"
    return None


def states(article: Article, phrase: str) -> bool:
    """Whether any answer variant of ``article`` contains ``phrase`` (case-insensitive)."""
    return any(phrase.lower() in text.lower() for text in article.answer.variants().values())


def article_words(kb: Kennisbank, questions: bool = False) -> Dict[str, frozenset[str]]:
    """Per word of three letters or more ("ips"): the articles whose answer (any variant) uses it; with ``questions``
    also the articles whose example questions do ("proeftijd" is in a question on Almere's beschut werk, its answer
    says "op proef")."""
    found: Dict[str, set[str]] = {}
    for article in kb.articles.values():
        texts = [*article.answer.variants().values(), *(article.questions if questions else [])]
        for text in texts:
            for word in re.findall(r"\w{3,}", text.lower()):
                found.setdefault(word, set()).add(article.id)
    return {word: frozenset(ids) for word, ids in found.items()}


#: A question for the amount of what was just said, naming no thing of its own: "om hoeveel geld gaat het ongeveer",
#: "over wat voor bedragen hebben we het dan", "hoeveel geld is dat", "hoe hoog is dat bedrag", "hoeveel is dat dan
#: ongeveer? gaat dat per uur?" (blind27).
AMOUNT_OF_IT = re.compile(
    r"^\W*(?:en\s+|maar\s+)?(?:om|over)\s+(?:hoeveel|welke?|wat\s+voor)\s+(?:geld|bedrag|bedragen|euro)\s+"
    r"(?:gaat\s+het|hebben\s+we\s+het|praten\s+we)\b(?:\s+\w+){0,2}\W*$"
    r"|^\W*(?:en\s+)?(?:hoeveel\s+(?:geld|euro)|welk\s+bedrag|hoe\s?hoog)\s+is\s+(?:dat|dit|het)(?:\s+bedrag)?"
    r"(?:\s+\w+){0,2}\W*$"
    r"|^\W*(?:en\s+)?hoeveel\s+is\s+(?:dat|dit|het)(?:\s+dan)?(?:\s+ongeveer)?\W*"
    r"(?:(?:gaat|is)\s+(?:dat|dit|het)\s+per\s+(?:uur|week|maand|jaar)\W*)?$",
    re.IGNORECASE,
)


def amount_stated(text: str, article: Article) -> str | None:
    """ "een bedrag" when ``text`` asks the amount of what was just said (``AMOUNT_OF_IT``) and ``article`` states
    amounts in euro ("om hoeveel geld gaat het ongeveer" after the interne jobcoach, whose answer has them per year,
    blind25); else None."""
    return "een bedrag" if AMOUNT_OF_IT.search(text) and states(article, "€") else None


def pointed_at(text: str, article: Article, words: Dict[str, frozenset[str]]) -> str | None:
    """The word after "die"/"dat"/"deze"/"dit" in ``text`` that ``article`` uses and at most ``RARE_WORD_ARTICLES``
    articles do ("hoe hoog is die heffing" after the quotum: "heffing"), or a number with its unit that ``article``
    states ("waar komt die 12 maanden vandaan"); none: None."""
    for match in POINTED.finditer(text):
        thing = " ".join(match.group(1).lower().split())
        if thing[0].isdigit():  # "die 12 maanden": a number the last article states
            if states(article, thing):
                return thing
            continue
        users = word_users(thing, words)
        if article.id in users and len(users) <= RARE_WORD_ARTICLES:
            return thing
    return None


def content_words(text: str, acronyms: frozenset[str] = frozenset()) -> List[str]:
    """The words of ``text`` that can name a thing: five letters or more ("stempel"), or one of ``acronyms`` ("oval",
    "ips"); not a Dutch function word (spaCy's list: "zonder", "welke") or a pronominal adverb ("daarover",
    "hiervoor"), which a few articles use without being about it ("en wat adviseert oval daarover" took "daarover" for
    the rare word). Short words are mostly fillers ("echt", "heel"), so only the acronyms among them count."""
    return [
        word
        for word in re.findall(r"\w{3,}", text.lower())
        if (len(word) >= 5 or word in acronyms) and word not in STOP_WORDS and not PRONOMINAL_ADVERB.match(word)
    ]


@lru_cache(maxsize=4)
def acronyms(kb: Kennisbank) -> frozenset[str]:
    """The abbreviations the articles write in capitals ("OVAL", "IPS", "LCR"), in lower case."""
    found: set[str] = set()
    for article in kb.articles.values():
        for text in [article.title, *article.answer.variants().values()]:
            found.update(word.lower() for word in re.findall(r"\b[A-Z]{3,5}\b", text))
    return frozenset(found)


#: A word this long also names the compounds it ends: "profielen" is in "uitstroomprofielen" (Dutch writes compounds
#: as one word).
COMPOUND_HEAD = 7


def word_users(word: str, words: Dict[str, frozenset[str]]) -> frozenset[str]:
    """The articles that use ``word`` (``article_words``); when none does, from ``COMPOUND_HEAD`` letters, those with a
    compound that ends in it ("welke profielen zijn er" after the Pro route: "uitstroomprofielen"). Not both: "plekken"
    is rare, the compounds on "-plekken" are not."""
    users = set(words.get(word, frozenset()))
    if not users and len(word) >= COMPOUND_HEAD:
        for other, ids in words.items():
            if len(other) > len(word) and other.endswith(word):
                users |= ids
    return frozenset(users)


def rare_word_article(
    text: str,
    previous: Article,
    kb: Kennisbank,
    words: Dict[str, frozenset[str]],
    ranking: Sequence[Tuple[str, float]] = (),
) -> Tuple[str, str] | None:
    """A word of ``text`` (``content_words``) that at most ``RARE_WORD_MAX`` articles use (``previous`` also in another
    form of it), one of them ``previous`` or an article related to it: (that article, the word). The rarest word wins;
    on a tie ``previous``, then the article the selector (``ranking``) is surest of ("ik wil geen stempel" after the
    register's condition: an article on the register that says "stempel"). None: no such word."""
    confidence = dict(ranking)
    found: List[Tuple[int, bool, float, str, str]] = []
    said = answer_lemmas(kb)[previous.id]
    for word in dict.fromkeys(content_words(text, acronyms(kb))):
        users = word_users(word, words)
        if previous.id not in users and (word in said or lemma(word) in said):
            # another form of the word in the last answer ("hoeveel mensen wachten er" after "46 procent wachtte")
            users |= {previous.id}
        if not users or len(users) > RARE_WORD_MAX:
            continue
        for article_id in users:
            article = kb.articles[article_id]
            if article.id == previous.id or related(article, previous):
                found.append(
                    (len(users), article.id != previous.id, -confidence.get(article.id, 0.0), article.id, word)
                )
    if not found:
        return None
    *_, article_id, word = min(found)
    return article_id, word


#: A follow-up whose words one passage of the last answer covers this well (``answer_coverage``) ...
LAST_ANSWER_COVERS = 0.5
#: ... and better by this margin than the article picked for it, is answered by the last answer again ...
COVERS_BETTER = 0.2
#: ... when the words it covers weigh this much together (``word_weight``): two telling words, or one rare one. "wat
#: krijg ik daar dan voor" says nothing a passage could cover ("krijg" is in most answers).
COVERED_WEIGHT = 2.0


#: Words the answers and the users use for the same thing: one lemma, so that "moet hij minimaal 12 uur werken?" is
#: covered by "minstens 12 uur per week".
SAME_WORD = {"minimaal": "minstens"}


@lru_cache(maxsize=65536)
def lemma(word: str) -> str:
    """The dictionary form of a Dutch word (simplemma, as the offline NLU pipeline): "kreeg" and "krijg" are "krijgen",
    "werkplekken" is "werkplek"; "minimaal" is "minstens" (``SAME_WORD``)."""
    found = str(simplemma.lemmatize(word, lang="nl")).lower()
    return SAME_WORD.get(found, found)


#: Words of spoken Dutch that stress or soften, and say nothing about what is asked ("moet hij echt 28 uur werken?").
#: The answers seldom use them, so their weight would be high.
FILLERS = frozenset("echt eigenlijk even zomaar best heel erg trouwens ongeveer allemaal sowieso ofzo".split())


def question_words(text: str) -> List[str]:
    """The words of a question that can say what it asks, as lemmas (``lemma``), each once: four letters or more
    ("loon", "plek") or a number of two digits or more ("28 uur"); no function word, filler (``FILLERS``) or
    pronominal adverb (``content_words`` for the longer words)."""
    return list(
        dict.fromkeys(
            lemma(word)
            for word in re.findall(r"\d{2,}|[^\W\d]{4,}", text.lower())
            if word not in STOP_WORDS and word not in FILLERS and not PRONOMINAL_ADVERB.match(word)
        )
    )


def lemmas_of(text: str) -> frozenset[str]:
    """The lemmas of the words of ``text``."""
    return frozenset(lemma(word) for word in re.findall(r"\w+", text.lower()))


def matches_word(word: str, lemmas: Iterable[str]) -> bool:
    """Whether ``lemmas`` hold the lemma ``word``, or, from five letters, a compound that ends in or holds it
    ("contract" in "jaarcontract")."""
    return any(other == word or (len(word) >= 5 and word in other) for other in lemmas)


@lru_cache(maxsize=4)
def answer_lemmas(kb: Kennisbank) -> Dict[str, frozenset[str]]:
    """Per article, the lemmas of all its answer variants."""
    return {article.id: lemmas_of(" ".join(article.answer.variants().values())) for article in kb.articles.values()}


@lru_cache(maxsize=4096)
def word_weight(kb: Kennisbank, word: str) -> float:
    """How much the lemma ``word`` tells which answer is meant: ln((articles + 1) / (articles whose answer has it +
    1)) ("aanbieder" weighs more than "krijgen"); 0 for a word no answer has ("eigenlijk"): no answer can cover it, so
    it tells none of them apart."""
    found = answer_lemmas(kb)
    users = sum(1 for lemmas in found.values() if matches_word(word, lemmas))
    return math.log((len(found) + 1) / (users + 1)) if users else 0.0


def answer_coverage(kb: Kennisbank, text: str, article: Article, audience: Audience | None) -> Tuple[float, float]:
    """How well one passage of ``article``'s answer for ``audience`` (two sentences in a row, the best pair) covers the
    words of the question ``text`` (``question_words``, each by its ``word_weight``): (the share of their weight it
    uses, that weight). "moeten aanbieders van dagbesteding hier ook beschut werkplekken hebben?" after Almere's beschut
    werk: all four words, in "In Almere moesten aanbieders van dagbesteding in 2021 minimaal één beschutte werkplek
    bieden". (0, 0) for a question without such words."""
    return text_coverage(kb, text, article.answer.for_audience(audience))


def text_coverage(kb: Kennisbank, question: str, text: str) -> Tuple[float, float]:
    """``answer_coverage`` of any text: one local fact's sentences ("krijgen werkgevers hier extra geld voor jobcoaching
    bij beschut werk?" in Amsterdam: its €2,500 for the employer, 0.67; its way from dagbesteding to work, 0.19)."""
    weights = {word: word_weight(kb, word) for word in question_words(question)}
    total = sum(weights.values())
    if not total:
        return 0.0, 0.0
    best = max(passage_weights(weights, text), default=0.0)
    return best / total, best


def passage_weights(weights: Mapping[str, float], answer: str) -> List[float]:
    """For each passage of ``answer`` (``passage_lemmas``), the weight of the question's words it holds."""
    return [
        sum(weight for word, weight in weights.items() if matches_word(word, lemmas))
        for lemmas in passage_lemmas(answer)
    ]


def answer_sentences(answer: str) -> List[str]:
    """The sentences of an answer text, in order (a list item counts as one)."""
    return [line for line in re.split(r"(?<=[.?!])\s+|\n", answer) if line.strip()]


@lru_cache(maxsize=1024)
def passage_lemmas(answer: str) -> Tuple[frozenset[str], ...]:
    """The lemmas of each passage of an answer text (two sentences in a row), once per text: ``answer_coverage`` reads
    up to four answers for every message."""
    lines = answer_sentences(answer)
    return tuple(lemmas_of(" ".join(lines[start : start + 2])) for start in range(len(lines)))


def differences_article(kb: Kennisbank, text: str, topic: str) -> Article | None:
    """The article on how ``topic`` differs per gemeente (main aspect lokaal, no one place's example) when ``text``
    is about those differences ("we hebben mensen uit 5 verschillende gemeenten en iedere gemeente doet het weer
    anders met jobcoaches"); None otherwise."""
    if not DIFFERS_PER_PLACE.search(text):
        return None
    return next(
        (
            article
            for article in kb.articles.values()
            if article.topics[0] == topic and article.aspects[0] is Aspect.lokaal and not places_of(article)
        ),
        None,
    )


def points_back(text: str) -> bool:
    """Whether a message has a word that points back at what was just said: "dat", "die", "dan", "daar", "daaraan",
    "hierover" (``POINTS_BACK_WORDS`` and the pronominal adverbs ``PRONOMINAL_ADVERB``)."""
    words = re.findall(r"\w+", text.lower())
    return any(word in POINTS_BACK_WORDS or (PRONOMINAL_ADVERB.match(word) and word[:4] != "waar") for word in words)


def asks_next_step(text: str) -> bool:
    """Whether a message asks only what came next in what the last answer told: "en daarna?", "wat gebeurt er
    daarna?" (two blind authors after Almere's eight trial weeks)."""
    return bool(NEXT_STEP.match(text))


def next_step(kb: Kennisbank, article: Article, audience: Audience | None, question: str) -> str | None:
    """What ``article``'s answer says after the passage that answered the earlier ``question`` (``covers``): its next
    ``NEXT_STEP_SENTENCES`` sentences, after the answer's first sentence when the article is one place's example (it
    names the place and year). "en daarna?" after "moet mijn zoon eerst 8 weken voor niks werken?" and Almere's beschut
    werk: the travel costs, the loonwaardemeting in week six, the year contract. None: no passage answered the
    question, or nothing follows it."""
    answer = article.answer.for_audience(audience)
    sentences = answer_sentences(answer)
    # where the user lives says where, not what was asked ("wij wonen in almere. klopt het dat ...")
    where = {lemma(word) for place in places_of(article) for word in re.findall(r"\w+", place.lower())} | {"wonen"}
    weights = {word: word_weight(kb, word) for word in question_words(question) if word not in where}
    total = sum(weights.values())
    used = passage_weights(weights, answer)
    if not total or not used or not covers((max(used) / total, max(used)), least=NEXT_STEP_SHARE):
        return None
    # the passage that answered it: the last of the first run of best passages ("Was het advies positief? Dan werkte
    # je eerst acht weken op proef." and "Dan werkte ... In die weken kreeg je nog geen loon." both have the weeks)
    start = used.index(max(used))
    while start + 1 < len(used) and used[start + 1] == used[start]:
        start += 1
    end = start + 2 + NEXT_STEP_SENTENCES
    # a question in the text introduces the next sentence: "Ging alles goed? Dan kreeg je een jaarcontract"
    while end < len(sentences) and sentences[end - 1].rstrip().endswith("?"):
        end += 1
    rest = sentences[start + 2 : end]
    if not rest:
        return None
    lead = sentences[:1] if places_of(article) and start > 0 else []
    return " ".join([*lead, *rest])


#: A choice question ("krijg ik meteen loon of eerst met behoud van uitkering?"): its two options, split at the last
#: " of " of the question sentence.
CHOICE = re.compile(r"^(?P<first>.+)\s+of\s+(?P<second>.+?)\W*$", re.IGNORECASE | re.DOTALL)
#: An option is decided by a passage that covers this share of its words' weight (``answer_coverage``).
DECIDES_SHARE = 0.75


def choice_options(text: str) -> Tuple[str, str] | None:
    """The two options of a choice question (the last sentence with a question mark, else the whole message), each
    with a word that can say what it asks (``question_words``); None: no such question ("kan dat of niet?")."""
    span = question_span(text)
    match = CHOICE.match(text[span[0] : span[1]] if span else text)
    if match is None:
        return None
    first, second = match.group("first").strip(), match.group("second").strip()
    return (first, second) if question_words(first) and question_words(second) else None


def decided_option(kb: Kennisbank, text: str, article: Article, audience: Audience | None) -> str | None:
    """The option of a choice question that one passage of ``article`` covers (``DECIDES_SHARE`` of its words' weight,
    ``COVERED_WEIGHT`` together): "krijg ik dan meteen loon" in Open Hiring's "Wie begon, kreeg meteen betaald: loon
    vanaf het begin". None: not a choice question, or the article decides neither option."""
    for option in choice_options(text) or ():
        share, weight = answer_coverage(kb, option, article, audience)
        if share >= DECIDES_SHARE and weight >= COVERED_WEIGHT:
            return option
    return None


def covers(
    coverage: Tuple[float, float],
    picked: float | None = None,
    margin: float = COVERS_BETTER,
    least: float = LAST_ANSWER_COVERS,
) -> bool:
    """Whether a passage that covers a question this well (``answer_coverage``: share, weight) answers it: from
    ``least`` (``LAST_ANSWER_COVERS``) of the question's weight, ``COVERED_WEIGHT`` together, and, against an article
    picked for it that covers ``picked``, by ``margin`` more (0: a tie is enough)."""
    share, weight = coverage
    better = picked is None or share >= picked + margin
    return share >= least and weight >= COVERED_WEIGHT and better


def counts_for_it(text: str, article: Article) -> str | None:
    """ "tellen mensen op een beschutte werkplek daarvoor ook mee?" after the quotum: whether something counts for
    what the last answer is about, which that answer states ("geen beschutte werkplek"). The word of the message the
    article uses (``content_words``); none, or no such question (``COUNTS_TOO``): None."""
    if not COUNTS_TOO.search(text) or word_count(text) > COUNTS_TOO_WORDS or COUNTS_FOR_NAMED.search(text):
        return None
    return next((word for word in content_words(text) if states(article, word)), None)


def confirms(text: str) -> bool:
    """ "dus 10 uur kan eigenlijk nooit?": the user checks what they understood of the last answer."""
    return bool(CONFIRMS.match(text))


def asks_for_source(text: str) -> bool:
    """ "wie zegt dat?", "waar staat dat?": the source of the last answer, which every answer names."""
    return bool(SOURCE_QUESTION.search(text))


def asks_if_still_valid(text: str) -> bool:
    """ "en geldt dat nu nog steeds?": whether the last answer still holds today."""
    return bool(STILL_VALID.search(text.strip()))


def asks_what_next(text: str) -> bool:
    """ "en dan?", "en verder?", "wat nog meer?": a question about what comes next, with nothing to look up."""
    return bool(WHAT_NEXT.match(text.strip()))


def here(previous: Article, places: Sequence[str]) -> frozenset[str]:
    """Where the conversation is: the gemeente and its regions (``places``), else the last article's place."""
    return frozenset(places) or places_of(previous)


def own_place_share(article: Article, where: frozenset[str]) -> float:
    """Which part of the places ``article`` is an example from is the conversation's (``where``): 1 for Almere's own
    beschut werk in Almere, 1/3 for the step to a regular job in Almere, Amsterdam and Rijk van Nijmegen."""
    about = places_of(article)
    return len(about & where) / len(about) if about else 0.0


def place_points(candidate: Article, where: frozenset[str]) -> float:
    about = places_of(candidate)
    if not where or not about:
        return 0.0
    return 1.0 if about & where else -3.0


#: Topics that group articles for an audience, not by subject: sharing only such a topic is no relation (the register's
#: questions for a cliëntenraad are not about beschut werk's).
GROUPING_TOPICS = frozenset({"vragen_clientenraad"})


def shares_topic(a: Article, b: Article) -> bool:
    """Whether ``a`` and ``b`` share a subject topic (a grouping topic alone does not count)."""
    return bool((set(a.topics) & set(b.topics)) - GROUPING_TOPICS)


#: "moet de gemeente die plek geven?", "de gemeente zegt ...": the organisation is the subject of the question, not a
#: route the user switches to ("en bij de gemeente?").
SUBJECT_BEFORE = re.compile(
    r"\b(moet|moeten|mag|mogen|kan|kunnen|zal|zou|wil|gaat|doet|geeft|heeft|zegt|betaalt|zit|staat|krijgt|regelt|bepaalt|"
    r"weet|vraagt|neemt|laat|houdt|biedt)\s+(de|het|mijn|onze|jullie)\s*$",
    re.IGNORECASE,
)
SUBJECT_AFTER = re.compile(
    r"^\s*(zegt|zei|moet|mag|kan|wil|heeft|had|geeft|doet|weigert|vindt|beslist|betaalt|zit|biedt|regelt)\b",
    re.IGNORECASE,
)


def as_subject(text: str, start: int, end: int) -> bool:
    """Whether the organisation at ``text[start:end]`` is the subject of a verb ("moet de gemeente", "de gemeente
    zegt")."""
    return bool(SUBJECT_BEFORE.search(text[:start]) or SUBJECT_AFTER.match(text[end:]))


def splits_by_route(kb: Kennisbank, article: Article) -> bool:
    """Whether the articles on ``article``'s subject topics are about more than one organisation (jobcoaching: UWV and
    the gemeente). Beschut werk is the gemeente's alone: there "moet de gemeente ..." asks a fact, not the other
    organisation's way."""
    routes = {
        a.route for a in kb.articles.values() if a.route is not None and (a is article or shares_topic(a, article))
    }
    return len(routes) > 1


def related(a: Article, b: Article) -> bool:
    return shares_topic(a, b) or b.id in a.follow_up or a.id in b.follow_up


def score(
    candidate: Article,
    previous: Article,
    aspect: Aspect | None,
    route: Route | None,
    audience: Audience | None,
    places: Sequence[str] = (),
) -> float:
    """How well ``candidate`` answers the follow-up after ``previous`` (the module docstring lists the terms)."""
    points = 0.0
    if aspect is not None:
        points += 4 if candidate.aspects[0] is aspect else 3
    elif route is not None:
        if previous.aspects[0] in candidate.aspects:
            points += 2
        elif set(previous.aspects) & set(candidate.aspects):
            points += 1
    points += 2 * len(set(candidate.topics) & set(previous.topics))
    points += 1 if candidate.topics[0] == previous.topics[0] else 0
    points += 1 if candidate.id in previous.follow_up else 0
    points += 0.5 if previous.id in candidate.follow_up else 0
    if route is None and previous.route and candidate.route and candidate.route is not previous.route:
        points -= 2
    elif route is None and previous.route and candidate.route is previous.route:
        points += 0.5
    if audience in AUDIENCE_ASPECTS and AUDIENCE_ASPECTS[audience] in candidate.aspects:
        points += 0.5
    elif (
        audience is not None
        and candidate.aspects[0] in AUDIENCE_ASPECTS.values()
        and candidate.aspects[0] is not aspect
    ):
        # an article written for another audience first (the employer's subsidy for an interne jobcoach, for a job
        # seeker asking how long they get a jobcoach); not when that audience is what is asked ("en voor mijn baas?")
        points -= 1
    where = here(previous, places)
    # the same article again is seldom the answer; but the example from the conversation's own place answers every
    # aspect it has ("hoe gaat zo'n plaatsing dan in z'n werk" after Almere's beschut werk, in Almere)
    own_place = bool(set(places) & places_of(candidate))
    if candidate.id == previous.id and not (
        aspect is not None and (candidate.aspects[0] is aspect or (own_place and aspect in candidate.aspects))
    ):
        points -= 1.5
    if not where and places_of(candidate):
        # an example from one place, while the conversation is about none: a general article on the topic first ("nee
        # ik bedoel hoe onze gemeente dat moet regelen" is not the Achterhoek's rule of 2017)
        points -= 1
    return points + place_points(candidate, where)


def _what(aspect: Aspect | None, route: Route | None) -> str:
    parts = ([f"aspect {aspect.value}"] if aspect else []) + ([f"route {route.value}"] if route else [])
    return " en ".join(parts)


def resolve_follow_up(
    kb: Kennisbank,
    previous_id: str | None,
    aspect: Aspect | None,
    route: Route | None,
    audience: Audience | None = None,
    places: Sequence[str] = (),
    preference: Mapping[str, float] | None = None,
    route_asked: bool = True,
) -> Resolution:
    """The article that answers a follow-up with this aspect and/or route after ``previous_id``; ``route_asked``: the
    user asked the route (not: the route of their own situation, ``on_own_route``); ``places``: the
    conversation's gemeente and its regions; with them, another place's example is left out while another article or
    the own place's example can answer (aspect lokaal excepted). Two articles with the same score: the example most
    about the conversation's own place (``own_place_share``: "en hoe gaat dat, moet hij meteen bij ons in dienst?" in
    Almere is Almere's trial weeks, not the step to a regular job in three places), then the overview, then the one
    ``preference`` rates higher (the message's words it uses: "wie doet die screening daar" after the points on
    dagbesteding is Oss's screening, not Amsterdam's, which comes first in the alphabet), then the id."""
    previous = kb.get(previous_id) if previous_id else None
    if previous is None:
        return Resolution(None, "geen huidig onderwerp")
    if aspect is None and route is None:
        return Resolution(None, f"geen aspect of route herkend (onderwerp {previous.id})")
    if aspect is None and route is not None and previous.route is route:
        # "en bij het uwv?" about a UWV article: the user saw the gemeente's frame of it, or asks it again
        return Resolution(previous.id, f"{_what(aspect, route)} na {previous.id}: dat artikel gaat over {route.value}")
    matching = [
        article
        for article in kb.articles.values()
        if (aspect is None or aspect in article.aspects) and (route is None or article.route is route)
    ]
    candidates = [article for article in matching if related(article, previous)]
    general = [article for article in candidates if not places_of(article)]
    if general and aspect is not Aspect.lokaal and not here(previous, places):
        # a conversation about no place: an example from one place is not the answer when a general article has the
        # aspect ("kan ik dat ook zelf aanvragen?" after beschut werk: since 2017 yes, not how Almere applied in 2021)
        candidates = general
    elif candidates and aspect not in (None, Aspect.lokaal) and route_asked and route and not here(previous, places):
        # ... and when only examples have it on the route asked, that route's general article ("nee ik bedoelde bij
        # de gemeente" after UWV's hours: the gemeente decides, not the Noordoostpolder's 90 hours of 2016)
        fallback = resolve_follow_up(kb, previous_id, None, route, audience, places, preference)
        if fallback.article_id and not places_of(kb.articles[fallback.article_id]):
            return Resolution(fallback.article_id, f"{_what(aspect, route)}: alleen voorbeelden; {fallback.reason}")
    elsewhere = [a for a in candidates if places_of(a) and not places_of(a) & set(places)]
    if places and elsewhere and aspect is not Aspect.lokaal:
        # the user's own gemeente is known: another place's example is not its answer ("hoe lang duurt zo'n traject"
        # in Druten, after Op weg naar werk: not Amsterdam's trajectory) while another article or the own place's
        # example can answer; "hoe doen ze dat in andere plaatsen" (aspect lokaal) asks for them
        kept = [a for a in candidates if a not in elsewhere]
        if kept:
            candidates = kept
        elif places_of(previous) & set(places):
            return Resolution(
                previous.id,
                f"{_what(aspect, route)} na {previous.id}: alleen voorbeelden uit andere plaatsen; "
                f"het voorbeeld van de eigen plaats",
            )
    only_one = len(matching) == 1 and aspect is not None and route is None
    if not candidates and only_one:
        return Resolution(
            matching[0].id,
            f"{_what(aspect, route)} na {previous.id}: {matching[0].id}, het enige artikel met dit aspect",
        )
    if not candidates:
        return Resolution(None, f"{_what(aspect, route)}: geen artikel bij het onderwerp van {previous.id}")
    prefer = preference or {}
    where = here(previous, places)
    scored: List[Tuple[float, float, bool, bool, str, Article]] = [
        (
            score(a, previous, aspect, route, audience, places),
            own_place_share(a, where),
            aspect is not None and a.aspects[0] is aspect,
            a.aspects[0] is Aspect.overzicht,
            a.id,
            a,
        )
        for a in candidates
    ]
    scored.sort(key=lambda row: (-row[0], -row[1], not row[2], -prefer.get(row[4], 0.0), not row[3], row[4]))
    best_score, _, _, _, _, best = scored[0]
    shared = sorted(set(best.topics) & set(previous.topics))
    link = "gedeeld onderwerp " + ", ".join(shared) if shared else "vervolgvraag-link"
    runner_up = f"; daarna {scored[1][4]} ({scored[1][0]:g})" if len(scored) > 1 else ""
    return Resolution(
        best.id, f"{_what(aspect, route)} na {previous.id}: {best.id} ({best_score:g}, {link}){runner_up}"
    )


def rerank(
    kb: Kennisbank,
    previous_id: str | None,
    ranking: Sequence[Tuple[str, float]],
    threshold: float = KEEP_TOPIC_BELOW,
    ratio: float = RERANK_RATIO,
    stay: bool = False,
) -> Resolution:
    """The selector's pick, or, when it is unsure (under ``threshold``: ``KEEP_TOPIC_BELOW``, above the
    ``RERANK_THRESHOLD`` of the other checks, because leaving the conversation's topic needs more evidence: "hoeveel
    plekken moeten er komen in heel nederland" after beschut werk is not Open Hiring in the Netherlands at 0.37), the
    best candidate on the current topic.

    ``ranking`` is (article id, confidence), best first. Unknown ids are skipped. ``stay``: the message is a short one
    that names no topic (``short_follow_up``); unsure and off the topic, it gets the topic's best candidate from
    ``ON_TOPIC_FLOOR``, else the last article again ("wat krijgen we voor de begeleiding" after Almere's beschut werk is
    about that, not about Open Hiring at 0.15)."""
    known = [(article_id, confidence) for article_id, confidence in ranking if kb.get(article_id)]
    if not known:
        return Resolution(None, "geen bekend artikel in de ranking")
    top_id, top_confidence = known[0]
    if top_confidence >= threshold:
        return Resolution(top_id, f"{top_id}: zeker genoeg ({top_confidence:.2f} >= {threshold:.2f})")
    previous = kb.get(previous_id) if previous_id else None
    if previous is None:
        return Resolution(top_id, f"{top_id}: onzeker ({top_confidence:.2f}), maar geen huidig onderwerp")
    if shares_topic(kb.articles[top_id], previous):
        return Resolution(top_id, f"{top_id}: onzeker ({top_confidence:.2f}), al bij het onderwerp van {previous.id}")
    for article_id, confidence in known[1:]:
        # from the floor too: at 0.07 for the pick, a candidate at 0.04 is no evidence ("wat is normaal dan")
        enough = confidence >= max(ratio * top_confidence, ON_TOPIC_FLOOR)
        if enough and shares_topic(kb.articles[article_id], previous):
            return Resolution(
                article_id,
                f"{article_id}: onzeker tussen {top_id} ({top_confidence:.2f}) en {article_id} ({confidence:.2f}); "
                f"{article_id} past bij het onderwerp van {previous.id}",
            )
    if stay:
        on_topic = on_topic_pick(kb, previous.id, known)
        chosen = on_topic.article_id or previous.id
        why = f"{top_id}: onzeker ({top_confidence:.2f}) bij een korte vraag zonder onderwerp"
        return Resolution(chosen, f"{why}; blijft bij {chosen}")
    return Resolution(top_id, f"{top_id}: onzeker ({top_confidence:.2f}), geen kandidaat bij {previous.id}")


def on_named_topic(
    kb: Kennisbank,
    ranking: Sequence[Tuple[str, float]],
    topic: str,
    threshold: float = RERANK_THRESHOLD,
    ratio: float = RERANK_RATIO,
) -> Resolution | None:
    """A question that names one topic, whose pick the selector is unsure of and is on another topic: the best candidate
    on the named topic, from ``ratio`` of the pick ("geldt bij ons ook dat je 28 uur moet kunnen werken voor beschut
    werk?": beschut werk at 0.11, not the quotum at 0.12). None: the pick stays."""
    known = [(article_id, confidence) for article_id, confidence in ranking if kb.get(article_id)]
    if not known or known[0][1] >= threshold or topic in kb.articles[known[0][0]].topics:
        return None
    top_id, top_confidence = known[0]
    for article_id, confidence in known[1:]:
        if confidence >= ratio * top_confidence and topic in kb.articles[article_id].topics:
            return Resolution(
                article_id,
                f"{top_id} ({top_confidence:.2f}) onzeker; de vraag noemt {topic}: {article_id} ({confidence:.2f})",
            )
    return None


def on_topic_pick(
    kb: Kennisbank,
    previous_id: str | None,
    ranking: Sequence[Tuple[str, float]],
    floor: float = ON_TOPIC_FLOOR,
    places: Sequence[str] = (),
) -> Resolution:
    """A follow-up with no aspect or route we know ("en werkt het eigenlijk wel?"): the selector's best candidate
    from ``floor`` that is the last article or related to it, and no example from another place than the
    conversation's; none: nothing (the caller offers the topic's follow-up questions, or says it has no answer)."""
    previous = kb.get(previous_id) if previous_id else None
    if previous is None:
        return Resolution(None, "geen huidig onderwerp")
    where = here(previous, places)
    for article_id, confidence in ranking:
        if confidence < floor:
            break
        article = kb.get(article_id)
        if article is None or not (article.id == previous.id or related(article, previous)):
            continue
        if place_points(article, where) < 0:
            continue
        return Resolution(
            article.id,
            f"vervolgvraag zonder aspect na {previous.id}: {article.id} ({confidence:.2f}), bij het onderwerp",
        )
    return Resolution(None, f"vervolgvraag zonder aspect: geen kandidaat bij {previous.id} boven {floor:.2f}")
