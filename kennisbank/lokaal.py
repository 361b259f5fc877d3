"""Local questions (issue 19 §3): a gemeente's name → what the kennisbank says about that place.

Pure Python, no Rasa. ``kennisbank/lokaal.yml`` holds the fixed texts, every Dutch gemeente with common
spellings, the regions a seed line puts a gemeente in, and the national article to answer with. The local
*facts* are not in that file: they are the sentences of the articles whose sources have ``kind: regio`` with a
``region`` this place is, or belongs to, and the source's ``year``; or that cite the gemeente's own web page (an
outside source that ``gemeente_bronnen`` gives to the gemeente), with the year of the article's ``as_of``. A
term of ``termen.yml`` that such a sentence uses keeps the article's own sentence that explains it (review R30).

``actions/lokaal.py`` turns this into chat messages: the gemeente sets its own rules (verordening), the local
facts with their year (only if there are any), the national frame (an article), and a pointer to the gemeente
or a consultant.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, Dict, FrozenSet, List, Mapping, Sequence, Tuple

import yaml

from eligibility.vocabulary import ADDRESS, Audience, Authority, Kind, Source
from kennisbank.loader import Article, Kennisbank, Term, load_terms

LOKAAL_FILE = Path(__file__).resolve().parent / "lokaal.yml"

#: Words before a place name that make a name which is also a Dutch word ("best", "buren") a place.
CONTEXT_WORDS = ("gemeente", "in", "uit", "te")
#: A sentence that starts with one of these continues the sentence before it (as in test_content_rules).
CONTINUATIONS = ("Dan ", "Daar ", "Die ", "Dat ", "Ook ", "Soms ", "Zo ")
MAX_SENTENCES_PER_ARTICLE = 3
TEXT_KEYS = (
    "eigen_regels",
    "lid_van_regio",
    "feiten",
    "geen_feiten",
    "geen_feiten_onderwerp",
    "andere_onderwerpen",
    "landelijk",
    "hieronder",
    "herinnering",
    "verwijzing",
    "onthouden",
    "niet_lokaal",
    "onbekende_plaats",
)


class LokaalError(ValueError):
    """kennisbank/lokaal.yml is not valid."""


def normalise(name: str) -> str:
    """'\u2019s-Hertogenbosch' -> 's hertogenbosch', 'Súdwest-Fryslân' -> 'sudwest fryslan': for comparing names."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = re.sub(r"['\u2019\u2018`]", "", text)
    text = re.sub(r"[^\w\s]", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def split_regions(region: str) -> Tuple[str, ...]:
    """'Almere, Amsterdam, Oss en Rijk van Nijmegen' -> ('Almere', 'Amsterdam', 'Oss', 'Rijk van Nijmegen')."""
    return tuple(part.strip() for part in re.split(r",\s*|\s+en\s+", region) if part.strip())


def places_of(article: Article) -> frozenset[str]:
    """The places an example article is about (authority lokaal: the regions of its ``regio`` sources); none for
    an article that states a rule or describes."""
    if article.authority is not Authority.lokaal:
        return frozenset()
    return frozenset(
        place for ref in article.sources if ref.kind is Kind.regio and ref.region for place in split_regions(ref.region)
    )


def sentences(text: str) -> List[str]:
    """The sentences of an answer text (list items count as sentences; their dash is dropped)."""
    parts: List[str] = []
    for line in text.splitlines():
        line = re.sub(r"^\s*-\s+", "", line).strip()
        parts += [s.strip() for s in re.split(r"(?<=[.?!])\s+(?=[A-Z'\u2018\"(])", line) if s.strip()]
    return parts


def names_place(sentence: str, place: str, wider: Sequence[str] = ()) -> bool:
    """Whether ``sentence`` names ``place``, outside the phrases ``wider`` in which the name means something wider
    ("Groningen en Noord-Drenthe" is the province and the region WIZ, not the gemeente Groningen)."""
    for phrase in wider:
        sentence = sentence.replace(phrase, " ")
    return re.search(rf"(?<![\w-]){re.escape(place)}(?![\w-])", sentence) is not None


@dataclass(frozen=True)
class Membership:
    """A gemeente belongs to a region: a seed line says so, or a named, dated outside source (kind buiten). ``naam``:
    the region as the texts write it, with a short explanation where the name is a B1 term (``naam_bron``: the seed
    line of that explanation)."""

    gemeente: str
    regio: str
    bron: Source
    naam: str = ""
    naam_bron: Source | None = None

    @property
    def tekst_naam(self) -> str:
        """The region as the answer writes it after "hoort bij": its ``naam``, else "de regio <regio>"."""
        return self.naam or f"de regio {self.regio}"


@dataclass(frozen=True)
class LokaalFeit:
    """What one article says about a place: its sentences naming the place (with the article's explanations of the
    terms they use), and the years of those sources."""

    artikel: str
    titel: str
    plaats: str  # the region as the article writes it: the gemeente itself or its region
    jaren: Tuple[str, ...]
    zinnen: Tuple[str, ...]
    uitleg: Tuple[str, ...] = ()  # those of ``zinnen`` that were added to explain a term
    regels: FrozenSet[Tuple[str, str]] = frozenset()  # the seed lines (doc, lines) its sources about the place cite

    def jaar_tekst(self) -> str:
        return " en ".join(self.jaren)


@dataclass(frozen=True)
class Lokaal:
    teksten: Mapping[str, Mapping[str, str]]
    gemeenten: Tuple[str, ...]
    aliassen: Mapping[str, str]  # normalised alias -> gemeente
    alleen_met_context: FrozenSet[str]
    leden: Tuple[Membership, ...]
    landelijk_kader: Mapping[str, str]
    onderwerpen: FrozenSet[str]
    eigen_regels_bron: Source
    gemeente_bronnen: Mapping[str, str]  # outside source (bronnen.yml key) -> the gemeente whose own page it is
    termen: Mapping[str, Term]  # termen.yml: a local sentence that uses a term keeps the article's explanation
    #: place -> phrases in which its name means something wider (lokaal.yml ``andere_betekenis``)
    andere_betekenis: Mapping[str, Tuple[str, ...]] = field(default_factory=dict)

    def noemt(self, sentence: str, place: str) -> bool:
        """Whether ``sentence`` names ``place`` itself (``names_place`` without its wider senses)."""
        return names_place(sentence, place, self.andere_betekenis.get(place, ()))

    def noemt_in_bericht(self, text: str, place: str) -> bool:
        """``noemt`` for what a user typed, in any case ("... winterswijk (achterhoek) ...")."""
        wider = tuple(phrase.casefold() for phrase in self.andere_betekenis.get(place, ()))
        return names_place(text.casefold(), place.casefold(), wider)

    # --- names ---

    @cached_property
    def _by_name(self) -> Dict[str, str]:
        """Normalised name or alias -> gemeente; built once (it was 3 ms of every kennisbank answer)."""
        names = {normalise(g): g for g in self.gemeenten}
        names.update(self.aliassen)
        return names

    @cached_property
    def _context_only(self) -> FrozenSet[str]:
        return frozenset(normalise(g) for g in self.alleen_met_context)

    def gemeente(self, value: str | None) -> str | None:
        """The gemeente a name means ('den bosch', 'in Best', "'s-Hertogenbosch"), or None."""
        if not value:
            return None
        key = normalise(value)
        by_name = self._by_name
        if key in by_name:
            return by_name[key]
        first, _, rest = key.partition(" ")
        if first in CONTEXT_WORDS and rest in by_name:
            return by_name[rest]
        return None

    def in_tekst(self, text: str) -> str | None:
        """The gemeente a message names (the longest name wins; a word-like name needs 'in', 'uit', ...)."""
        key = f" {normalise(text)} "
        context_only = self._context_only
        best: Tuple[int, str] | None = None
        for name, gemeente in self._by_name.items():
            if name in context_only:
                found = any(f" {word} {name} " in key for word in CONTEXT_WORDS)
            else:
                found = f" {name} " in key
            if found and (best is None or len(name) > best[0]):
                best = (len(name), gemeente)
        return best[1] if best else None

    def lookup_examples(self) -> List[str]:
        """The lookup table of the ``gemeente`` entity (data/nlu/gemeenten.yml): names as users type them."""
        context_only = self._context_only
        examples: Dict[str, None] = {}
        for name in [*self.gemeenten, *self.aliassen]:
            if normalise(name) in context_only:
                continue
            lower = name.casefold().lstrip("'\u2019")
            plain = "".join(c for c in unicodedata.normalize("NFKD", lower) if not unicodedata.combining(c))
            for variant in (lower, plain, plain.replace("-", " ")):
                examples[variant] = None
        # longest first: a regex alternation takes the first name that matches ("bergen op zoom", not "bergen")
        return sorted(examples, key=lambda e: (-len(e), e))

    def context_regex(self) -> str:
        """The regex of the ``gemeente`` entity for names that are also Dutch words: 'in best', 'gemeente buren'."""
        names = "|".join(sorted((g.casefold() for g in self.alleen_met_context), key=lambda n: (-len(n), n)))
        return rf"\b(?:{'|'.join(CONTEXT_WORDS)})\s+(?:{names})\b"

    # --- places and facts ---

    def regios(self, gemeente: str) -> Tuple[Membership, ...]:
        return tuple(m for m in self.leden if m.gemeente == gemeente)

    def plaatsen(self, gemeente: str) -> Tuple[str, ...]:
        """The gemeente and the regions a seed line puts it in: the ``region`` values that are about it."""
        return (gemeente, *(m.regio for m in self.regios(gemeente)))

    def feiten(
        self, kb: Kennisbank, gemeente: str, audience: Audience | None, topics: Sequence[str] = ()
    ) -> List[LokaalFeit]:
        """What the kennisbank says about this place: articles with a ``regio`` source for it.

        Articles sharing a topic with ``topics`` come first, then facts about the gemeente itself before those about
        its region, then the kennisbank's order. A fact whose seed lines an earlier fact already cites is left out:
        two articles quoting one line (review R38: the 12 months of WIZ, twice) make one fact."""
        places = self.plaatsen(gemeente)
        found: List[LokaalFeit] = []
        for article in kb.articles.values():
            fact = _feit(article, places, audience, self.gemeente_bronnen, self.termen, self.andere_betekenis)
            if fact is not None:
                found.append(fact)
        wanted = set(topics)
        found.sort(key=lambda f: (not wanted.intersection(kb.articles[f.artikel].topics), f.plaats != gemeente))
        cited: set[Tuple[str, str]] = set()
        kept: List[LokaalFeit] = []
        for fact in found:
            if fact.regels and fact.regels <= cited:
                continue
            kept.append(fact)
            cited |= fact.regels
        return kept

    def te_tonen(self, feiten: Sequence[LokaalFeit], al_gezegd: str = "") -> List[Tuple[LokaalFeit, List[str]]]:
        """The sentences to show of each fact, in order: a sentence an earlier fact or ``al_gezegd`` (the answer's
        opening, the article that follows) said is left out, and so is a sentence explaining terms already explained
        (review R30: one thing said once), and a "Dat ..." that continued a sentence left out (review R44)."""
        said: List[str] = [al_gezegd] if al_gezegd else []
        shown: List[Tuple[LokaalFeit, List[str]]] = []
        for feit in feiten:
            zinnen: List[str] = []
            dropped = False
            for zin in feit.zinnen:
                if (dropped and zin.startswith(CONTINUATIONS)) or self._al_gezegd(zin, said):
                    dropped = True
                    continue
                dropped = False
                zin = _zonder_herhaalde_uitleg(zin, said)
                zinnen.append(zin)
                said.append(zin)
            # an added explanation stays only for a term the fact's own shown sentences use (review R42 B4)
            own = " ".join(" ".join(z.split()) for z in zinnen if z not in feit.uitleg)
            zinnen = [z for z in zinnen if z not in feit.uitleg or self._legt_gebruikte_term_uit(z, own)]
            shown.append((feit, zinnen))
        return shown

    def _legt_gebruikte_term_uit(self, zin: str, tekst: str) -> bool:
        """``zin`` explains a term that ``tekst`` uses."""
        zin = " ".join(zin.split())
        return any(term.explained_in(zin) and term.used_in(tekst) for term in self.termen.values())

    def _al_gezegd(self, zin: str, said: Sequence[str]) -> bool:
        """``zin`` is in one of ``said`` (a text of several sentences), or explains only what they explained."""
        tekst = " ".join(" ".join(said).split())
        return " ".join(zin.split()) in tekst or self._al_uitgelegd(zin, tekst)

    def _al_uitgelegd(self, zin: str, tekst: str) -> bool:
        """``zin`` explains one or more terms, and ``tekst`` explains them all already."""
        zin, tekst = " ".join(zin.split()), " ".join(tekst.split())
        explained = [term for term in self.termen.values() if term.explained_in(zin)]
        return bool(explained) and all(term.explained_in(tekst) for term in explained)

    def kader(self, kb: Kennisbank, article_id: str, gemeente: str) -> str:
        """The article to answer with when the user asks about ``gemeente``: never another place's article,
        never UWV's 2017 practice; an article about this very place stays."""
        article = kb.articles[article_id]
        places = set(self.plaatsen(gemeente))
        about_here = any(
            ref.kind is Kind.regio and ref.region and places.intersection(split_regions(ref.region))
            for ref in article.sources
        )
        if about_here:
            return article_id
        return self.landelijk_kader.get(article_id, article_id)

    @staticmethod
    def eigen_voorbeeld(kb: Kennisbank, article: Article, places: FrozenSet[str]) -> Article | None:
        """For another place's example: the example of one of ``places`` on the same topic, the one that shares the
        most aspects with it ("en in oss?" after how Amsterdam catches a relapse from work: how Oss does it, not the
        national text). None: not an example, or the sources have no example here."""
        if not places_of(article):
            return None
        own = [a for a in kb.articles.values() if a.topics[0] == article.topics[0] and places & places_of(a)]
        return max(own, key=lambda a: (len(set(a.aspects) & set(article.aspects)), a.id), default=None)

    def bronnen(self, article: Article, plaats: str, tekst: str = "") -> List[Source]:
        """The sources of ``article`` behind a local fact about ``plaats``: its ``regio`` sources there and the place's
        own web page; and, for the shown ``tekst``, the sources of the researchers or advisers it names and of the
        terms it explains (review R40: "De Hanzehogeschool deed in 2023 en 2024 onderzoek" is 002 r.136). Never a
        source about another place."""
        here = [ref for ref in article.sources if plaats in _plaatsen_van(ref, self.gemeente_bronnen)]
        tekst = " ".join(tekst.split())
        explained = [term for term in self.termen.values() if term.explained_in(tekst)]
        behind = [
            ref
            for ref in article.sources
            if not _plaatsen_van(ref, self.gemeente_bronnen)
            and ((ref.who and ref.who in tekst) or any(term.carried_by(ref) for term in explained))
        ]
        return here + [ref for ref in behind if ref not in here]

    def geldt_voor(self, article: Article) -> bool:
        """Whether the gemeente decides on the article's topic (a remembered gemeente frames only these)."""
        return bool(self.onderwerpen.intersection(article.topics))

    def tekst(self, key: str, audience: Audience | None, **values: str) -> str:
        return self.teksten[key][ADDRESS[audience]].format(**values)


def _zonder_herhaalde_uitleg(zin: str, said: Sequence[str]) -> str:
    """``zin`` without an aside in brackets that was said before in this reply: "een consulent van WerkBedrijf (de
    uitvoeringsorganisatie voor werk in die regio)" explains WerkBedrijf once (review R46)."""
    tekst = " ".join(said)
    for aside in re.findall(r" \([^()]{12,}\)", zin):
        if aside.strip() in tekst:
            zin = zin.replace(aside, "", 1)
    return zin


def _plaatsen_van(ref: Source, gemeente_bronnen: Mapping[str, str]) -> Tuple[str, ...]:
    """The places a source is about: a ``regio`` source's region(s), or the gemeente of its own web page."""
    if ref.kind is Kind.regio and ref.region and ref.year:
        return split_regions(ref.region)
    if ref.kind is Kind.buiten and ref.doc in gemeente_bronnen:
        return (gemeente_bronnen[ref.doc],)
    return ()


def _uitleg(parts: Sequence[str], term: Term) -> List[str]:
    """The article's own sentence that explains ``term`` (an ``uitleg`` pattern); with the sentence before it when
    the pattern spans both ("... het uitstroomprofiel dagbesteding. Dat betekent: ...")."""
    for i, sentence in enumerate(parts):
        if term.explained_in(sentence):
            return [sentence]
        if i and term.explained_in(f"{parts[i - 1]} {sentence}"):
            return [parts[i - 1], sentence]
    return []


def _met_uitleg(
    groups: Sequence[Sequence[str]], parts: Sequence[str], terms: Mapping[str, Term]
) -> Tuple[List[str], List[str]]:
    """The chosen sentences, each group followed by the explanations of the terms it uses that the text so far does
    not explain (B1: a local sentence alone leaves its terms unexplained); no sentence twice. Also: which of them
    were added as explanations."""
    kept: List[str] = []
    added: List[str] = []
    for group in groups:
        kept += [s for s in group if s not in kept]
        uses = sorted(
            (i, match.start(), name)
            for i, sentence in enumerate(group)
            for name, term in terms.items()
            if (match := term.used_in(" ".join(sentence.split())))
        )
        for _, _, name in uses:
            term = terms[name]
            if not term.explained_in(" ".join(" ".join(kept).split())):
                new = [s for s in _uitleg(parts, term) if s not in kept]
                kept += new
                added += new
    return kept, added


def _feit(
    article: Article,
    places: Sequence[str],
    audience: Audience | None,
    gemeente_bronnen: Mapping[str, str],
    terms: Mapping[str, Term],
    wider: Mapping[str, Tuple[str, ...]] | None = None,
) -> LokaalFeit | None:
    # a gemeente's own page has no year of its own: the year the article was read (its as_of)
    refs = [
        (place, ref.year if ref.kind is Kind.regio else article.as_of[:4])
        for ref in article.sources
        for place in _plaatsen_van(ref, gemeente_bronnen)
        if place in places
    ]
    if not refs:
        return None
    place = refs[0][0]
    years = tuple(sorted({year for p, year in refs if p == place and year}))
    parts = sentences(article.answer.for_audience(audience))
    # a sentence naming the place starts a group; the sentences that continue it ("Dan ...") join the group
    # after MAX_SENTENCES_PER_ARTICLE, no new group starts, but the last one keeps its continuations: "Die termijn
    # kan steeds worden verlengd" belongs to the 12 months before it (review R38)
    groups: List[List[str]] = []
    previous_named = False
    for sentence in parts:
        if previous_named and sentence.startswith(CONTINUATIONS):
            groups[-1].append(sentence)
        elif sum(len(group) for group in groups) >= MAX_SENTENCES_PER_ARTICLE:
            break
        elif names_place(sentence, place, (wider or {}).get(place, ())):
            groups.append([sentence])
        else:
            previous_named = False
            continue
        previous_named = True
    if not groups:
        return None
    kept, added = _met_uitleg(groups, parts, terms)
    lines = frozenset(
        (ref.doc, ref.lines or "") for ref in article.sources if place in _plaatsen_van(ref, gemeente_bronnen)
    )
    return LokaalFeit(article.id, article.title, place, years, tuple(kept), tuple(added), lines)


def _source(raw: Any, where: str) -> Source:
    try:
        return Source(**raw)
    except (TypeError, ValueError) as error:
        raise LokaalError(f"lokaal.yml {where}: {error}") from error


def load(path: Path = LOKAAL_FILE, kb: Kennisbank | None = None) -> Lokaal:
    """Read and check ``lokaal.yml``; with ``kb``, also that the articles it names exist. The terms are termen.yml's."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    errors: List[str] = []
    teksten = raw.get("teksten") or {}
    for key in TEXT_KEYS:
        if not (isinstance(teksten.get(key), dict) and set(teksten[key]) == {"je", "u"}):
            errors.append(f"teksten.{key} needs exactly 'je' and 'u'")
    gemeenten = tuple(str(g) for g in raw.get("gemeenten") or ())
    known = {normalise(g): g for g in gemeenten}
    if len(known) != len(gemeenten):
        errors.append("gemeenten: a name occurs twice")
    aliassen: Dict[str, str] = {}
    for alias, target in (raw.get("aliassen") or {}).items():
        if target not in gemeenten:
            errors.append(f"aliassen: {alias!r} points to {target!r}, not a gemeente")
        aliassen[normalise(str(alias))] = str(target)
    context = frozenset(str(g) for g in raw.get("alleen_met_context") or ())
    errors += [f"alleen_met_context: {g!r} is not a gemeente" for g in sorted(context - set(gemeenten))]
    leden: List[Membership] = []
    for i, entry in enumerate(raw.get("regio_leden") or ()):
        bron = _source(entry.get("bron"), f"regio_leden[{i}]")
        naam_bron = _source(entry["naam_bron"], f"regio_leden[{i}].naam_bron") if entry.get("naam_bron") else None
        if entry.get("naam") and naam_bron is None:
            errors.append(f"regio_leden[{i}]: 'naam' needs 'naam_bron' (the seed line of its explanation)")
        for g in entry.get("gemeenten") or ():
            if g not in gemeenten:
                errors.append(f"regio_leden[{i}]: {g!r} is not a gemeente")
            leden.append(Membership(str(g), str(entry["regio"]), bron, str(entry.get("naam") or ""), naam_bron))
    kader = {str(k): str(v) for k, v in (raw.get("landelijk_kader") or {}).items()}
    gemeente_bronnen = {str(k): str(v) for k, v in (raw.get("gemeente_bronnen") or {}).items()}
    errors += [
        f"gemeente_bronnen: {doc!r} points to {g!r}, not a gemeente"
        for doc, g in gemeente_bronnen.items()
        if g not in gemeenten
    ]
    if kb is not None:
        errors += [
            f"gemeente_bronnen: {doc!r} is not an outside source in bronnen.yml"
            for doc in gemeente_bronnen
            if doc not in kb.documents or kb.documents[doc].file is not None
        ]
        errors += [
            f"landelijk_kader: {name!r} is not an article"
            for pair in kader.items()
            for name in pair
            if name not in kb.articles
        ]
    if errors:
        raise LokaalError("kennisbank/lokaal.yml is not valid:\n- " + "\n- ".join(errors))
    return Lokaal(
        teksten={k: dict(v) for k, v in teksten.items()},
        gemeenten=gemeenten,
        aliassen=aliassen,
        alleen_met_context=context,
        leden=tuple(leden),
        landelijk_kader=kader,
        onderwerpen=frozenset(str(t) for t in raw.get("onderwerpen") or ()),
        eigen_regels_bron=_source(raw.get("eigen_regels_bron"), "eigen_regels_bron"),
        gemeente_bronnen=gemeente_bronnen,
        termen=load_terms(),
        andere_betekenis={
            str(place): tuple(str(phrase) for phrase in phrases)
            for place, phrases in (raw.get("andere_betekenis") or {}).items()
        },
    )


@lru_cache(maxsize=1)
def default() -> Lokaal:
    """The project's lokaal.yml, loaded once per process."""
    return load()
