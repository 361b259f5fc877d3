"""The kennisbank: valid, sourced (anchors found in the seeds), rendered per audience."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from eligibility.vocabulary import Audience, Source
from kennisbank import loader as kennisbank
from kennisbank.loader import KennisbankError
from kennisbank.render import EXPORT_TOPIC, render_article
from tests.conftest import ROOT

KB = kennisbank.load()
ARTICLES = sorted(KB.articles)


def test_kennisbank_loads_and_is_not_empty() -> None:
    assert {
        "jobcoach_overzicht",
        "doelgroepregister_overzicht",
        "loonkostensubsidie_overzicht",
        "open_hiring_overzicht",
    } <= set(ARTICLES)


def _normalise(text: str) -> str:
    text = re.sub(r"[*_#>\[\]()]", " ", text)
    return re.sub(r"\s+", " ", text).strip().casefold()


def anchor_problem(kb: kennisbank.Kennisbank, ref: Source, seeds_dir: Path) -> str | None:
    """None when the anchor of ``ref`` occurs at its lines in the seed; else why not.

    Also used for the eligibility rules (tests/unit/eligibility/test_checks.py)."""
    document = kb.documents[ref.doc]
    if not document.file:
        return None
    if not (ref.lines and ref.anchor):
        return f"a seed source needs lines and an anchor ({ref.doc})"
    lines = (seeds_dir / document.file).read_text(encoding="utf-8").splitlines()
    first, last = ref.line_range()
    if not 1 <= first <= last <= len(lines):
        return f"lines {ref.lines} outside {document.file}"
    cited = _normalise(" ".join(lines[first - 1 : last]))
    if _normalise(ref.anchor) not in cited:
        return f"anchor {ref.anchor!r} not in {ref.doc} r.{ref.lines}"
    return None


@pytest.mark.parametrize("article_id", ARTICLES)
def test_every_source_anchor_occurs_at_its_lines(article_id: str, seeds_dir: Path) -> None:
    for ref in KB.articles[article_id].sources:
        problem = anchor_problem(KB, ref, seeds_dir)
        assert problem is None, f"{article_id}: {problem}"


@pytest.mark.parametrize("article_id", ARTICLES)
def test_rendered_answer_ends_with_source_and_date(article_id: str) -> None:
    rendered = render_article(KB, article_id, None)
    *body, source, stand = rendered.text.split("\n")
    assert body and source.startswith("Bron: ") and stand.startswith("Stand: ")
    assert re.search(r"\d{4}", stand)


@pytest.mark.parametrize("article_id", ARTICLES)
def test_u_for_employers_and_cliëntenraad_je_for_others(article_id: str) -> None:
    def words(audience: Audience | None) -> set[str]:
        return set(re.findall(r"\w+", KB.articles[article_id].answer.for_audience(audience).lower()))

    for audience in (Audience.werkgever, Audience.clientenraad):
        assert not words(audience) & {"je", "jij", "jouw", "jou"}, audience
    for audience in (None, Audience.werkzoekende, Audience.ouder):
        assert not words(audience) & {"u", "uw"}, audience


@pytest.mark.parametrize("article_id", ARTICLES)
def test_amounts_are_dated(article_id: str) -> None:
    article = KB.articles[article_id]
    for text in article.answer.variants().values():
        for sentence in re.split(r"(?<=[.!?])\s+", text):
            if "€" in sentence:
                assert re.search(r"\b(19|20)\d{2}\b", sentence), f"{article_id}: amount without a year: {sentence}"


def test_an_answer_that_invites_a_consultant_has_the_button_for_it() -> None:
    # "Wil je hulp bij een bezwaar? Praat dan met een medewerker." (review R70)
    buttons = render_article(KB, "bezwaar_en_klagen", None).buttons
    assert buttons[-1] == {"title": "Praat met een medewerker", "payload": "/request_human"}
    assert all(b["payload"] != "/request_human" for b in render_article(KB, "jobcoach_overzicht", None).buttons)


def test_button_payload_asks_for_the_article() -> None:
    kb = kennisbank.Kennisbank(
        KB.documents,
        {
            **KB.articles,
            "x_test": KB.articles["jobcoach_overzicht"].copy(
                update={"id": "x_test", "follow_up": ["open_hiring_overzicht"]}
            ),
        },
    )
    assert render_article(kb, "x_test", None).buttons == [
        {"title": "Wat is Open Hiring?", "payload": '/faq{"artikel":"open_hiring_overzicht"}'}
    ]


def test_generated_nlu_is_in_sync() -> None:
    from tools import kennisbank_sync

    assert kennisbank_sync.TARGET.read_text(encoding="utf-8") == kennisbank_sync.render(KB)


@pytest.fixture()
def broken_copy(tmp_path: Path) -> Path:
    target = tmp_path / "kennisbank"
    shutil.copytree(ROOT / "kennisbank", target)
    return target


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('as_of: "2017-05"', 'as_of: "mei 2017"', "as_of"),
        ('as_of: "2017-05"', 'as_of: "2017-13"', "as_of"),
        ("authority: beschrijving", "authority: geruchten", "authority"),
        ('lines: "11"', 'lines: "elf"', "lines"),
        (
            "anchor: individuele voorziening die wordt toegekend door UWV of gemeente",
            "anchor: een hele lange zin van veel meer dan twaalf woorden die nergens op slaat echt",
            "anchor",
        ),
        ('doc: "001"', 'doc: "999"', "unknown source document"),
        ("id: jobcoach_overzicht", "id: iets_anders", "differs from the file name"),
        ("title: Wat is een jobcoach?", "titel: Wat is een jobcoach?", "extra fields not permitted"),
        # context (issue 19 §1): every article says what it answers about its topic
        ("aspects: [overzicht]\n", "", "aspects"),
        ("aspects: [overzicht]", "aspects: []", "at least one aspect"),
        ("aspects: [overzicht]", "aspects: [overzicht, overzicht]", "listed twice"),
        ("aspects: [overzicht]", "aspects: [prijs]", "aspects"),
        ("aspects: [overzicht]", "aspects: [overzicht]\nroute: provincie", "route"),
    ],
)
def test_malformed_article_fails_loudly(broken_copy: Path, old: str, new: str, message: str) -> None:
    path = broken_copy / "artikelen" / "jobcoach" / "jobcoach_overzicht.yml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(KennisbankError, match=message):
        kennisbank.load(broken_copy)


def test_unknown_follow_up_fails(broken_copy: Path) -> None:
    path = broken_copy / "artikelen" / "jobcoach" / "jobcoach_overzicht.yml"
    path.write_text(path.read_text(encoding="utf-8") + "follow_up: [bestaat_niet]\n", encoding="utf-8")
    with pytest.raises(KennisbankError, match="bestaat_niet"):
        kennisbank.load(broken_copy)


def test_errors_of_documents_articles_and_references_are_reported_together_in_that_order(
    broken_copy: Path,
) -> None:
    bronnen = broken_copy / "bronnen.yml"
    bronnen.write_text(bronnen.read_text(encoding="utf-8") + '"998":\n  title: zonder datum\n', encoding="utf-8")
    jobcoach = broken_copy / "artikelen" / "jobcoach"
    overzicht = jobcoach / "jobcoach_overzicht.yml"
    overzicht.write_text(
        overzicht.read_text(encoding="utf-8").replace('as_of: "2017-05"', 'as_of: "mei"', 1), encoding="utf-8"
    )
    gemeente = jobcoach / "jobcoach_gemeente.yml"
    gemeente.write_text(
        gemeente.read_text(encoding="utf-8").replace("follow_up: [", "follow_up: [bestaat_niet, ", 1), encoding="utf-8"
    )
    with pytest.raises(KennisbankError) as raised:
        kennisbank.load(broken_copy)
    problems = str(raised.value).split("\n- ")[1:]
    steps = [0 if p.startswith("bronnen.yml") else 1 if p.startswith("artikelen/") else 2 for p in problems]
    assert steps == sorted(steps) and set(steps) == {0, 1, 2}, problems
    assert problems[0].startswith("bronnen.yml 998:") and "date" in problems[0]
    assert problems[1].startswith("artikelen/jobcoach/jobcoach_overzicht.yml:") and "as_of" in problems[1]
    assert "jobcoach_gemeente: follow_up 'bestaat_niet' is not an article" in problems


def test_invalid_yaml_fails(broken_copy: Path) -> None:
    (broken_copy / "artikelen" / "kapot.yml").write_text("id: [unclosed\n", encoding="utf-8")
    with pytest.raises(KennisbankError, match="not valid YAML"):
        kennisbank.load(broken_copy)


def sentences(text: str) -> list[str]:
    """Sentences of an answer; list items and lines count as sentences too."""
    parts = []
    for line in text.splitlines():
        line = line.strip().lstrip("-*• ").strip()
        parts += [s for s in re.split(r"(?<=[.!?:])\s+", line) if re.search(r"\w", s)]
    return parts


def word_count(sentence: str) -> int:
    return len(re.findall(r"[\w€%'’–-]+", sentence))


@pytest.mark.parametrize("article_id", ARTICLES)
def test_answers_are_b1_short_sentences(article_id: str) -> None:
    for variant, text in KB.articles[article_id].answer.variants().items():
        counts = [word_count(s) for s in sentences(text)]
        assert counts, f"{article_id}/{variant}: empty answer"
        assert max(counts) <= 25, f"{article_id}/{variant}: a sentence of {max(counts)} words"
        average = sum(counts) / len(counts)
        assert average <= 15, f"{article_id}/{variant}: average sentence {average:.1f} words"


def test_readability_measure_counts_words() -> None:
    text = "Eén zin. Nog een zin!\n- een punt\n- nog een"
    assert sentences(text) == ["Eén zin.", "Nog een zin!", "een punt", "nog een"]
    assert word_count("De gemeente betaalt €55–70 per uur (stand 2017).") == 8


@pytest.mark.parametrize("article_id", [a for a in ARTICLES if KB.articles[a].questions])
def test_each_question_article_has_at_least_15_examples(article_id: str) -> None:
    questions = KB.articles[article_id].questions
    assert len(questions) >= 15, f"{article_id}: {len(questions)} examples"
    assert len({q.lower() for q in questions}) == len(questions), f"{article_id}: duplicate examples"


def test_no_example_belongs_to_two_articles() -> None:
    owner: dict[str, str] = {}
    for article in KB.articles.values():
        for question in article.questions:
            key = question.strip().lower()
            assert owner.setdefault(key, article.id) == article.id, f"{question!r}: {owner[key]} and {article.id}"


def test_every_article_is_reachable() -> None:
    domain = (ROOT / "domain.yml").read_text(encoding="utf-8")
    reachable = {a.id for a in KB.articles.values() if a.questions}
    reachable |= {target for a in KB.articles.values() for target in a.follow_up}
    reachable |= set(re.findall(r'"artikel":"([a-z0-9_]+)"', domain))
    assert set(ARTICLES) - reachable == set()


def test_question_lists_export_as_markdown_with_sources() -> None:
    from reintegratie.channels.kennisbank_export import markdown_document

    lists = [a for a in ARTICLES if EXPORT_TOPIC in KB.articles[a].topics]
    assert {"jobcoach_vragen_clientenraad", "open_hiring_vragen_clientenraad"} <= set(lists)
    for article_id in lists:
        document = markdown_document(KB, article_id)
        assert document is not None and document.startswith(f"# {KB.articles[article_id].title}\n")
        assert "- " in document and "Bron: " in document and "Stand: " in document
    assert markdown_document(KB, "jobcoach_overzicht") is None  # not a question list
    assert markdown_document(KB, "../../etc/passwd") is None
