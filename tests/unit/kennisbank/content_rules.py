"""The content rules of issue 18 as functions: each takes the content and returns its problems as sentences.

Used by ``test_content_rules.py``. Every problem names the article (or reason), the variant and the sentence, so a
failure says what to fix. The rules and why they are sound are in kennisbank/README.md ("`kind`").
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Dict, Iterable, Iterator, List, Mapping, Sequence, Tuple

import jinja2
import jinja2.meta

from actions.antwoorden import UNITS
from eligibility.parameters import Parameter, Parameters
from eligibility.vocabulary import Authority, Kind, Source
from kennisbank.loader import Article, Kennisbank, Term
from kennisbank.render import MONTHS
from kennisbank.verdicts import FILTERS, Wording, euro, getal

# ---------------------------------------------------------------------------------------------------- sentences

#: Words that state a rule (obligation, permission, a limit, a right). With a number they make a "rule sentence".
RULE_WORDS = (
    "moet",
    "moeten",
    "moest",
    "moesten",
    "mag",
    "mogen",
    "mocht",
    "mochten",
    "minstens",
    "minimaal",
    "hoogstens",
    "maximaal",
    "duurt",
    "duurde",
    "recht",
    "verplicht",
    "altijd",
    "nooit",
)
#: The words of the date rule (issue 18): a uwv-2017 sentence with one of these, or a number, says 2017.
DATE_RULE_WORDS = (
    "moet",
    "moeten",
    "moest",
    "mag",
    "mogen",
    "mocht",
    "minstens",
    "minimaal",
    "hoogstens",
    "maximaal",
    "duurt",
    "duurde",
)
#: Words that generalise; each needs a cited anchor with the same word, or a named attribution.
GENERALISING = ("veel gemeenten", "vaak", "altijd", "steeds meer", "iedereen", "alle", "sowieso")
#: The words an anchor may say instead: "alle werkzoekenden" backs "iedereen", "veel regio's" backs "veel gemeenten".
BACKED_BY = {
    "veel gemeenten": ("veel",),
    "iedereen": ("iedereen", "alle", "allen", "allemaal"),
    "alle": ("alle", "iedereen", "allen", "allemaal"),
    "steeds meer": ("steeds meer", "steeds vaker"),
}
#: Words that attribute a statement to someone; they count only with a named source in the same sentence.
ATTRIBUTION = re.compile(
    r"\b(volgens|schreef|schrijft|schrijven|adviseert|adviseren|adviseerde|pleit|pleiten|pleitte|vindt|vinden|"
    r"zegt|zeggen|zei|noemt|noemde|in het onderzoek|in hun onderzoek|onderzoekers|zag|zagen|ziet|zien)\b",
    re.IGNORECASE,
)
#: A quoted span (at least two words) in typographic or plain quotes.
QUOTE = re.compile(r"[\"“„']([^\"“”„']{3,}?\s[^\"“”„']*?)[\"”']|‘([^‘’]{3,}?\s[^‘’]*?)’")
#: A sentence that sends the reader on (a pointer) or asks: it states no rule itself.
POINTER = re.compile(r"^(vraag|kijk|bel|praat|lees|zoek|check|informeer|ga)\b", re.IGNORECASE)
#: A sentence that starts with one of these continues the previous sentence (and its attribution).
CONTINUES = re.compile(
    r"^(dan|daar|daarna|daarbij|daarvoor|daardoor|die|dat|deze|dit|ook|zo|soms|hij|zij|ze|het|er|wie|"
    r"na|in die|bij twijfel|gaat|lukt|van die|van deze)\b",
    re.IGNORECASE,
)
#: Numbers written as words (twee to twaalf), from the check answers' own table.
NUMBER_WORDS = {word: value for word, value in UNITS.items() if 2 <= value <= 12 and word.isascii()}
YEAR = re.compile(r"\b(19|20)\d{2}\b")


def sentences(text: str) -> List[str]:
    """The sentences of an answer or reason: split after . ! ? and at line breaks; list bullets stripped."""
    found: List[str] = []
    for line in text.splitlines():
        line = line.strip().lstrip("-*• ").strip()
        found += [s.strip() for s in re.split(r"(?<=[.!?])\s+", line) if re.search(r"\w", s)]
    return found


def has_word(text: str, word: str) -> bool:
    """``word`` (or phrase) occurs in ``text`` as whole words, case-insensitively."""
    return re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text, re.IGNORECASE) is not None


def numbers_in(text: str) -> set[float]:
    """The numbers a text states, as digits (Dutch notation: 7,5 and 1.900) or as the words twee..twaalf."""
    found: set[float] = set()
    for match in re.finditer(r"(?<![\w.,])\d{1,3}(?:\.\d{3})*(?:,\d+)?(?![\d])|(?<![\w.,])\d+(?:,\d+)?", text):
        found.add(float(match.group().replace(".", "").replace(",", ".")))
    found |= {float(value) for word, value in NUMBER_WORDS.items() if has_word(text, word)}
    return found


def states_rule(sentence: str, words: Sequence[str] = RULE_WORDS) -> bool:
    """The sentence states a number in digits (not a year) or uses one of ``words``."""
    return bool(re.search(r"\d", YEAR.sub("", sentence))) or any(has_word(sentence, w) for w in words)


def variants(article: Article) -> Dict[str, str]:
    return {key: " ".join(value.split()) for key, value in article.answer.variants().items()}


# ---------------------------------------------------------------------------------------------------- authority


#: Other names a text may use for a ``who``: the full name of an abbreviation.
ALIASES: Dict[str, Tuple[str, ...]] = {"LCR": ("Landelijke Cliëntenraad",)}


def is_named(name: str, text: str) -> bool:
    """``text`` names ``name`` (or one of its ALIASES) as whole words."""
    return any(has_word(text, n) for n in (name, *ALIASES.get(name, ())))


def region_parts(region: str) -> List[str]:
    """'Almere, Amsterdam, Oss en Rijk van Nijmegen' -> the four places; each must be named."""
    return [part.strip() for part in re.split(r",\s*|\s+en\s+", region) if part.strip()]


def authority_problems(article: Article) -> List[str]:
    """regio: every variant names the region; advies: names who; onderzoek and regels: name who and the year."""
    problems: List[str] = []
    for ref in article.sources:
        wanted: List[str] = []
        if ref.kind is Kind.regio and ref.region:
            wanted = region_parts(ref.region)
        elif ref.kind is Kind.advies and ref.who:
            wanted = [ref.who]
        elif ref.kind in (Kind.onderzoek, Kind.regels) and ref.who and ref.year:
            wanted = [ref.who, ref.year]
        for variant, text in variants(article).items():
            missing = [w for w in wanted if not is_named(w, text)]
            if missing:
                problems.append(
                    f"{article.id} [{variant}]: source {ref.doc} r.{ref.lines} is {ref.kind.value if ref.kind else '?'}"
                    f", but the text does not name {' and '.join(map(repr, missing))}"
                )
    return problems


def attribution_names(refs: Iterable[Source]) -> List[str]:
    """What may attribute a sentence: the regions, organisations and years of the cited sources."""
    names: List[str] = []
    for ref in refs:
        if ref.region:
            names += region_parts(ref.region)
        if ref.who:
            names.append(ref.who)
        if ref.year:
            names.append(ref.year)
    return names


def is_attributed(sentence: str, names: Sequence[str]) -> bool:
    """The sentence says whose statement it is: it names a cited region, organisation or year."""
    return any(is_named(name, sentence) for name in names)


LOCAL_KINDS = frozenset({Kind.regio, Kind.advies, Kind.onderzoek, Kind.regels})


def general_rule_problems(article: Article) -> List[str]:
    """An article resting only on regio/advies/onderzoek sources writes no sentence as a general rule.

    A sentence that states a rule (RULE_WORDS or a number) must name a cited region, organisation or year, or
    continue (CONTINUES) a sentence that does, or be a question or a pointer ("Vraag je gemeente …")."""
    if not article.sources or any(ref.kind not in LOCAL_KINDS for ref in article.sources):
        return []
    names = attribution_names(article.sources)
    problems: List[str] = []
    for variant, text in variants(article).items():
        carried = False
        for sentence in sentences(text):
            if sentence.endswith("?"):
                continue  # a question states no rule and keeps the context of the sentence before it
            own = is_attributed(sentence, names)
            attributed = own or (carried and CONTINUES.match(sentence) is not None)
            if states_rule(sentence) and not attributed and not POINTER.match(sentence):
                problems.append(
                    f"{article.id} [{variant}]: a general rule, but every source is regional, advice or research"
                    f" (name {' / '.join(sorted(set(names)))}): {sentence!r}"
                )
            carried = attributed
    return problems


# ---------------------------------------------------------------------------------------------------- generalising


def generalising_problems(where: str, text: str, anchors: Sequence[str], names: Sequence[str]) -> List[str]:
    """Each generalising word needs a cited anchor with that word (or BACKED_BY), or an attribution in its sentence.

    An attribution is the word inside a quote, or an attribution word ("volgens", "schreef", "in het onderzoek",
    …) together with a cited region, organisation or year in the same sentence. A question generalises nothing
    ("Hoe vaak …?")."""
    problems: List[str] = []
    for sentence in sentences(text):
        if sentence.endswith("?"):
            continue
        for word in GENERALISING:
            if not has_word(sentence, word):
                continue
            keys = BACKED_BY.get(word, (word,))
            key = keys[0]
            if any(has_word(anchor, k) for anchor in anchors for k in keys):
                continue
            quoted = " ".join(a or b for a, b in QUOTE.findall(sentence))
            if has_word(quoted, word):
                continue
            if ATTRIBUTION.search(sentence) and is_attributed(sentence, names):
                continue
            problems.append(
                f"{where}: {word!r} without a cited anchor that says {key!r} or a named attribution: {sentence!r}"
            )
    return problems


def article_generalising_problems(article: Article) -> List[str]:
    anchors = [ref.anchor for ref in article.sources if ref.anchor]
    names = attribution_names(article.sources)
    return [
        problem
        for variant, text in variants(article).items()
        for problem in generalising_problems(f"{article.id} [{variant}]", text, anchors, names)
    ]


# ---------------------------------------------------------------------------------------------------- recht


def article_recht_problems(article: Article) -> List[str]:
    """A sentence that says someone has a "recht" rests on a wet source, or quotes/attributes the claim."""
    if any(ref.kind is Kind.wet for ref in article.sources):
        return []
    names = attribution_names(article.sources)
    problems: List[str] = []
    for variant, text in variants(article).items():
        for sentence in sentences(text):
            if not has_word(sentence, "recht"):
                continue
            quoted = " ".join(a or b for a, b in QUOTE.findall(sentence))
            if has_word(quoted, "recht") or (ATTRIBUTION.search(sentence) and is_attributed(sentence, names)):
                continue
            problems.append(f"{article.id} [{variant}]: 'recht' without a wet source: {sentence!r}")
    return problems


# ---------------------------------------------------------------------------------------------------- dates


def seed_text(kb: Kennisbank, ref: Source, seeds_dir: Path) -> str:
    document = kb.documents[ref.doc]
    if not document.file or not ref.lines:
        return ""
    lines = (seeds_dir / document.file).read_text(encoding="utf-8").splitlines()
    first, last = ref.line_range()
    return " ".join(lines[first - 1 : last])


def date_problems(kb: Kennisbank, article: Article, seeds_dir: Path) -> List[str]:
    """Every sentence that rests on a uwv-2017 source and states a rule says 2017 in that sentence.

    A sentence rests on a uwv-2017 source when all the article's sources are uwv-2017, or it names UWV, or it
    states a number (digits or twee..twaalf) that the cited uwv-2017 lines state, unless it names not UWV but the
    gemeente, another year, or a region or organisation of the article's other sources. A rule: a number in digits,
    or moet/mag/minstens/minimaal/hoogstens/maximaal/duurt (and past tenses)."""
    uwv = [ref for ref in article.sources if ref.kind is Kind.uwv_2017]
    if not uwv:
        return []
    only_uwv = all(ref.kind is Kind.uwv_2017 for ref in article.sources)
    others = attribution_names(ref for ref in article.sources if ref.kind is not Kind.uwv_2017)
    cited_numbers = set().union(*(numbers_in(seed_text(kb, ref, seeds_dir)) for ref in uwv))
    problems: List[str] = []
    for variant, text in variants(article).items():
        for sentence in sentences(text):
            if "2017" in sentence or sentence.endswith("?") or POINTER.match(sentence):
                continue
            if not states_rule(sentence, DATE_RULE_WORDS):
                continue
            names_uwv = has_word(sentence, "UWV")
            elsewhere = re.search(r"\b(gemeente|gemeenten|verordening)\b", sentence, re.IGNORECASE) or (
                YEAR.search(sentence) or is_attributed(sentence, others)
            )
            shares = bool(numbers_in(YEAR.sub("", sentence)) & cited_numbers) and not (elsewhere and not names_uwv)
            if only_uwv or names_uwv or shares:
                problems.append(
                    f"{article.id} [{variant}]: a UWV rule of 2017 without '2017' in the sentence: {sentence!r}"
                )
    return problems


# ---------------------------------------------------------------------------------------------------- parameters

WORDS_FOR = {value: word for word, value in NUMBER_WORDS.items()}


def _numbers(value: Any) -> List[float]:
    if isinstance(value, bool):
        return []
    if isinstance(value, (int, float)):
        return [float(value)]
    if isinstance(value, dict):
        return [n for item in value.values() for n in _numbers(item)]
    return []


def renderings(parameter: Parameter) -> List[List[str]]:
    """How a text may write the parameter's value: per number, the accepted forms (one of each must occur).

    Dutch notation with the unit: 10%, 7,5%, 12 uur (or 12 of meer uur), 6 maanden (or zes maanden, een half
    jaar), 3 jaar, 25 of meer werknemers, € 75,82
    (or €75,82), a date as 1 juli 2023. A yes/no parameter has no value to show: []."""
    unit = parameter.unit.split()[0].lower() if parameter.unit else ""
    if isinstance(parameter.value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", parameter.value):
        year, month, day = (int(p) for p in parameter.value.split("-"))
        return [[f"{day} {MONTHS[month - 1]} {year}"]]
    forms: List[List[str]] = []
    for number in _numbers(parameter.value):
        text = getal(number)
        if unit == "procent":
            options = [f"{text}%", f"{text} procent"]
        elif unit == "euro":
            options = [euro(number), euro(number).replace("€ ", "€"), f"{text} euro"]
            if number.is_integer():
                options += [f"€ {text}", f"€{text}"]
        elif unit in ("uur", "maanden", "jaar", "werknemers"):
            words = [text] + ([WORDS_FOR[int(number)]] if number.is_integer() and int(number) in WORDS_FOR else [])
            options = [f"{w}{more} {unit}" for w in words for more in ("", " of meer")]
            if unit == "maanden" and number == 6:
                options.append("half jaar")
            if unit == "maanden" and number == 12:
                options += ["een jaar", "1 jaar"]
        else:
            options = [text]
        forms.append(options)
    return forms


def overlaps(a: Source, b: Source) -> bool:
    if a.doc != b.doc or not a.lines or not b.lines:
        return False
    (a1, a2), (b1, b2) = a.line_range(), b.line_range()
    return a1 <= b2 and b1 <= a2


def states_value(text: str, forms: List[List[str]]) -> bool:
    """Every number of ``forms`` occurs in one of its forms, as whole words: "5%" is not in "7,5%" or "15%"."""

    def occurs(form: str) -> bool:
        return re.search(rf"(?<![\w.,]){re.escape(form)}(?!\w)", text, re.IGNORECASE) is not None

    return bool(forms) and all(any(occurs(form) for form in options) for options in forms)


def parameter_problems(article: Article, parameters: Mapping[str, Parameter]) -> List[str]:
    """One number, one place.

    A parameter whose source lines overlap a source of the article, and whose value the article states, is listed
    in ``parameters:``; a listed parameter's value occurs in every variant (in the forms of ``renderings``)."""
    problems: List[str] = []
    texts = variants(article)
    for name, parameter in parameters.items():
        forms = renderings(parameter)
        listed = name in article.parameters
        cited = any(overlaps(ref, parameter.source) for ref in article.sources)
        stated = any(states_value(text, forms) for text in texts.values())
        if cited and stated and not listed:
            problems.append(
                f"{article.id}: states {name} ({parameter.value!r} {parameter.unit}) from {parameter.source.doc} "
                f"r.{parameter.source.lines}, but does not list it in parameters:"
            )
        if listed and forms:
            for variant, text in texts.items():
                if not states_value(text, forms):
                    shown = " and ".join(" or ".join(repr(f) for f in options) for options in forms)
                    problems.append(f"{article.id} [{variant}]: lists {name}, but does not state {shown}")
    return problems


# ---------------------------------------------------------------------------------------------------- reasons

#: Sample values for the reason templates, as eligibility/checks.py passes them (a missing one is an error).
SAMPLE_VALUES: Dict[str, Any] = {
    "maanden": 6,
    "minimum": 6,
    "uren": 12,
    "uitzondering": 8,
    "loonwaarde": 35,
    "ex_uren": 8,
    "ex_loonwaarde": 20,
    "termijn": 12,
    "minimum_uren": 12,
    "minimum_loonwaarde": 35,
    "per_jaar": {1: 1.2, 2: 0.6, 3: 0.36},
    "per_jaar_uitzondering": {1: 1.8, 2: 0.9, 3: 0.72},
    "jaar": 3,
    "voorbeeld": 24,
    "verschil": 60,
    "afgetopt": True,
    "maximum": 70,
    "subsidie": 70,  # the capped subsidy, stated when afgetopt (review R39 B1-1)
    "opslag": 23.5,
    "opslag_pct": 14.1,
    "totaal": 74.1,
}
UITKERINGEN = ("wajong", "ww", "wia", "ziektewet", "bijstand", "geen")


def rendered_reasons(wording: Wording) -> Iterator[Tuple[str, str]]:
    """Every reason text, rendered as the code renders it, once per sample benefit (the templates branch on it)."""
    env = jinja2.Environment(autoescape=False)  # only parsed, for the names of the variables
    env.filters.update({**FILTERS, "uitkering": str})
    for key, template in wording.sections["reasons"].items():
        needed = jinja2.meta.find_undeclared_variables(env.parse(template))
        unknown = needed - set(SAMPLE_VALUES) - {"uitkering"}
        if unknown:
            raise KeyError(f"reason {key}: no sample value for {sorted(unknown)} (add it to SAMPLE_VALUES)")
        seen: set[str] = set()
        for uitkering in UITKERINGEN if "uitkering" in needed else ("",):
            text = wording.text("reasons", key, uitkering=uitkering, **SAMPLE_VALUES)
            if text not in seen:
                seen.add(text)
                yield key, text


def reason_problems(wording: Wording, parameters: Parameters) -> List[str]:
    """Verdict reasons: "recht" rests on authority wet and source kind wet (a source without kind is not known to be
    law); a uwv-2017 reason says 2017; generalising words as above."""
    problems: List[str] = []
    reported: set[Tuple[str, str]] = set()  # (reason, check): one sample rendering per failing check is enough

    def report(key: str, check: str, problem: str) -> None:
        if (key, check) not in reported:
            reported.add((key, check))
            problems.append(problem)

    for key, text in rendered_reasons(wording):
        rule = parameters.rules.get(key)
        if rule is None:
            problems.append(f"reason {key}: no rule of that name in eligibility/parameters.yml")
            continue
        kind = rule.source.kind
        if has_word(text, "recht") and not (rule.authority is Authority.wet and kind is Kind.wet):
            shown = kind.value if kind else "missing"
            report(
                key,
                "recht",
                f"reason {key}: says 'recht' but its rule has authority {rule.authority.value} and source kind "
                f"{shown}; both must be wet: {text!r}",
            )
        if (rule.authority is Authority.uwv_2017 or kind is Kind.uwv_2017) and "2017" not in text:
            report(key, "2017", f"reason {key}: rests on uwv-2017 but does not say 2017: {text!r}")
        anchors = [rule.source.anchor] if rule.source.anchor else []
        for problem in generalising_problems(f"reason {key}", text, anchors, attribution_names([rule.source])):
            report(key, problem, problem)
    return problems


def parameter_source_problems(parameters: Parameters) -> List[str]:
    """Every parameter and rule source has a kind, and it agrees with the authority."""
    agree = {
        Authority.wet: {Kind.wet},
        Authority.uwv_2017: {Kind.uwv_2017},
        Authority.gemeente: {Kind.wet, Kind.regio, Kind.onderzoek},
        Authority.lokaal: {Kind.regio, Kind.onderzoek},
        Authority.advies: {Kind.advies},
        Authority.beschrijving: {Kind.beschrijving, Kind.onderzoek},
        Authority.buiten: {Kind.buiten},
    }
    problems: List[str] = []
    items: List[Tuple[str, Authority, Source]] = [
        (f"parameter {p.name}", p.authority, p.source) for p in parameters.parameters.values()
    ] + [(f"rule {r.name}", r.authority, r.source) for r in parameters.rules.values() if r.param is None]
    for where, authority, source in items:
        if source.kind is None:
            problems.append(f"{where}: source {source.doc} r.{source.lines} has no kind")
        elif source.kind not in agree[authority]:
            problems.append(f"{where}: kind {source.kind.value} does not agree with authority {authority.value}")
    return problems


def planted_article(text: str, *sources: Source, parameters: Sequence[str] = ()) -> Article:
    """An article with ``text`` as both variants, for the tests that show a check catches a planted break."""
    return Article(
        id="x_test",
        title="Test",
        topics=["test"],
        aspects=["overzicht"],
        authority="beschrijving",
        as_of="2021",
        answer={"je": text, "u": text},
        sources=list(sources),
        parameters=list(parameters),
    )


# ---------------------------------------------------------------------------------------------------- terms (B1)

#: How many sentences after the sentence of its first use a term's explanation may still start.
TERM_WINDOW = 4


def term_problems(where: str, text: str, terms: Mapping[str, Term]) -> List[str]:
    """Each term of ``termen.yml`` that ``text`` uses is explained in ``text``: the explanation starts in the sentence
    of the term's first use or at most TERM_WINDOW sentences later (an explanation before the first use counts)."""
    text = " ".join(text.split())
    parts = sentences(text)
    problems: List[str] = []
    for name, term in terms.items():
        first = next((i for i, sentence in enumerate(parts) if term.used_in(sentence)), None)
        if first is None:
            continue
        if not term.explained_in(" ".join(parts[: first + TERM_WINDOW + 1])):
            problems.append(f"{where}: uses {name!r} without explaining it (termen.yml): {parts[first]!r}")
    return problems


def article_term_problems(article: Article, terms: Mapping[str, Term]) -> List[str]:
    return [
        problem
        for variant, text in variants(article).items()
        for problem in term_problems(f"{article.id} [{variant}]", text, terms)
    ]


def wording_term_problems(wording: Wording, terms: Mapping[str, Term], subjects: Mapping[str, str]) -> List[str]:
    """The same for each reason of checks.yml, one reason at a time (a verdict shows a varying choice of them), as
    the raw template. A reason need not explain the subject of its own check (``subjects``: key prefix -> term), which
    the verdict's first line names. The steps are left out: they follow the reasons and send the reader on."""
    problems: List[str] = []
    for key, text in wording.sections["reasons"].items():
        own = {term for prefix, term in subjects.items() if key.startswith(prefix)}
        others = {name: term for name, term in terms.items() if name not in own}
        problems += term_problems(f"checks.yml reasons.{key}", text, others)
    return problems


def bron_refs(term: Term) -> List[Tuple[str, int, int]]:
    """The seed lines a term's ``bron`` names (``Term.bron_regels``)."""
    return term.bron_regels()


def term_source_problems(article: Article, terms: Mapping[str, Term]) -> List[str]:
    """An article whose text explains a term cites one of the seed lines of the term's ``bron``."""
    problems: List[str] = []
    texts = " ".join(variants(article).values())
    for name, term in terms.items():
        if not (term.used_in(texts) and term.explained_in(texts)):
            continue
        if not cites_one_of(article.sources, term):
            problems.append(f"{article.id}: explains {name!r} but cites none of its seed lines ({term.bron})")
    return problems


def cites_one_of(sources: Iterable[Source], term: Term) -> bool:
    return any(term.carried_by(ref) for ref in sources)


def reason_term_source_problems(wording: Wording, terms: Mapping[str, Term], parameters: Parameters) -> List[str]:
    """A verdict reason that explains a term cites one of the term's seed lines: its rule's ``source`` or ``also``
    in parameters.yml (the verdict's ``Bron:`` shows both)."""
    problems: List[str] = []
    for key, text in wording.sections["reasons"].items():
        rule = parameters.rules.get(key)
        if rule is None:
            continue  # reason_problems reports it
        for name, term in terms.items():
            if term.explained_in(" ".join(text.split())) and not cites_one_of((rule.source, *rule.also), term):
                problems.append(
                    f"reason {key}: explains {name!r} but its rule cites none of its seed lines ({term.bron}); "
                    "add one to the rule's also: in eligibility/parameters.yml"
                )
    return problems
