"""kennisbank.lokaal on the real kennisbank and seeds: place names, regions, local facts, the national frame."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from eligibility.vocabulary import Audience, Authority, Kind
from kennisbank import loader as kennisbank
from kennisbank import lokaal
from tests.unit.kennisbank import content_rules as rules
from tests.unit.kennisbank.test_loader import anchor_problem
from tools import gemeenten_sync

KB = kennisbank.load()
LOKAAL = lokaal.load(kb=KB)


def test_every_dutch_gemeente_is_known() -> None:
    # 342 gemeenten on 1 January 2025; Bergen (Noord-Holland) and Bergen (Limburg) are one name here
    assert len(LOKAAL.gemeenten) == 341
    for name in ["Utrecht", "Almere", "Oss", "Súdwest-Fryslân", "Mook en Middelaar", "Eemsdelta", "Land van Cuijk"]:
        assert name in LOKAAL.gemeenten


@pytest.mark.parametrize(
    ("typed", "gemeente"),
    [
        ("den bosch", "'s-Hertogenbosch"),
        ("Den Bosch", "'s-Hertogenbosch"),
        ("'s-Hertogenbosch", "'s-Hertogenbosch"),
        ("\u2019s-Hertogenbosch", "'s-Hertogenbosch"),
        ("s-hertogenbosch", "'s-Hertogenbosch"),
        ("'s-Gravenhage", "Den Haag"),
        ("den haag", "Den Haag"),
        ("sudwest fryslan", "Súdwest-Fryslân"),
        ("Sittard-Geleen", "Sittard-Geleen"),
        ("sittard geleen", "Sittard-Geleen"),
        ("in Best", "Best"),
        ("gemeente Buren", "Buren"),
        ("utrecht", "Utrecht"),
    ],
)
def test_spellings_resolve_to_the_gemeente(typed: str, gemeente: str) -> None:
    assert LOKAAL.gemeente(typed) == gemeente


@pytest.mark.parametrize("typed", ["", "Lutjebroek", "Brabant", "de gemeente", "12345", "<script>"])
def test_unknown_places_resolve_to_nothing(typed: str) -> None:
    assert LOKAAL.gemeente(typed) is None


@pytest.mark.parametrize(
    ("text", "gemeente"),
    [
        ("ik woon in Utrecht, hoeveel uur krijg ik daar?", "Utrecht"),
        ("hoe werkt Simpel Switchen in Almere?", "Almere"),
        ("ik kom uit Bergen op Zoom", "Bergen op Zoom"),
        ("ik woon in Best", "Best"),
        ("wat is voor mij het best?", None),
        ("de buren helpen mij", None),
        ("wat is een jobcoach", None),
    ],
)
def test_a_message_names_a_gemeente(text: str, gemeente: str | None) -> None:
    assert LOKAAL.in_tekst(text) == gemeente


def test_every_lookup_example_resolves_and_the_nlu_file_is_in_sync() -> None:
    for example in LOKAAL.lookup_examples():
        assert LOKAAL.gemeente(example), example
    path = gemeenten_sync.TARGET
    assert path.read_text(encoding="utf-8") == gemeenten_sync.render(LOKAAL), "run python tools/gemeenten_sync.py"


def test_the_context_regex_needs_a_word_before_a_word_like_name() -> None:
    pattern = re.compile(LOKAAL.context_regex(), re.IGNORECASE)
    assert pattern.search("ik woon in Best")
    assert pattern.search("de gemeente Buren")
    assert not pattern.search("wat is het best")
    assert not pattern.search("mijn buren werken")


def test_region_memberships_and_the_own_rules_sentence_are_in_the_seeds(seeds_dir: Path) -> None:
    names = [m.naam_bron for m in LOKAAL.leden if m.naam_bron]
    sources = [LOKAAL.eigen_regels_bron, *(m.bron for m in LOKAAL.leden), *names]
    problems = [anchor_problem(KB, ref, seeds_dir) for ref in sources]
    assert not [p for p in problems if p]


def test_the_region_sentence_explains_the_terms_it_uses() -> None:
    """B1 (review R26): "Tynaarlo hoort bij de regio WIZ" does not leave WIZ unexplained."""
    terms = kennisbank.load_terms()
    for m in LOKAAL.leden:
        for audience in (None, Audience.werkgever):
            text = LOKAAL.tekst("lid_van_regio", audience, gemeente=m.gemeente, regio=m.tekst_naam)
            assert not rules.term_problems(m.gemeente, text, terms), text
    tynaarlo = LOKAAL.regios("Tynaarlo")[0]
    assert tynaarlo.regio == "WIZ" and tynaarlo.tekst_naam == "de regio WIZ (provincie Groningen en Noord-Drenthe)"


def test_a_region_name_needs_the_seed_line_of_its_explanation(tmp_path: Path) -> None:
    text = lokaal.LOKAAL_FILE.read_text(encoding="utf-8")
    broken = tmp_path / "lokaal.yml"
    line = next(x for x in text.splitlines(keepends=True) if x.strip().startswith("naam_bron:"))
    broken.write_text(text.replace(line, ""), encoding="utf-8")
    with pytest.raises(lokaal.LokaalError, match="naam_bron"):
        lokaal.load(broken)


def test_every_region_a_gemeente_belongs_to_is_a_region_of_an_article() -> None:
    regions = {
        place
        for article in KB.articles.values()
        for ref in article.sources
        if ref.kind is Kind.regio and ref.region
        for place in lokaal.split_regions(ref.region)
    }
    assert {m.regio for m in LOKAAL.leden} <= regions


def test_almere_facts_come_with_their_year() -> None:
    facts = {f.artikel: f for f in LOKAAL.feiten(KB, "Almere", None)}
    assert {"beschut_werk_almere", "dagbesteding_naar_werk", "dagbesteding_terugval"} <= set(facts)
    assert facts["beschut_werk_almere"].jaren == ("2021",)
    for fact in facts.values():
        assert fact.plaats == "Almere"
        assert all(year for year in fact.jaren)


def test_every_fact_sentence_comes_from_the_article_and_the_first_names_the_place() -> None:
    for gemeente in ["Almere", "Amsterdam", "Oss", "Nijmegen", "Wijchen", "Groningen", "Tynaarlo", "Urk"]:
        facts = LOKAAL.feiten(KB, gemeente, Audience.werkgever)
        assert facts, gemeente
        for fact in facts:
            text = KB.articles[fact.artikel].answer.for_audience(Audience.werkgever)
            assert all(sentence in text.replace("\n- ", " ").replace("\n", " ") for sentence in fact.zinnen)
            assert lokaal.names_place(fact.zinnen[0], fact.plaats)
            assert fact.plaats in LOKAAL.plaatsen(gemeente)


def test_a_member_gemeente_gets_its_regions_facts_only_through_a_seed_line() -> None:
    assert {f.plaats for f in LOKAAL.feiten(KB, "Wijchen", None)} == {"Rijk van Nijmegen"}
    # West-Brabant's gemeenten are not named in the seeds: Breda gets nothing of West-Brabant
    assert LOKAAL.feiten(KB, "Breda", None) == []


@pytest.mark.parametrize("gemeente", ["Eindhoven", "'s-Hertogenbosch", "Zwolle"])
def test_places_the_sources_do_not_describe_have_no_facts(gemeente: str) -> None:
    assert LOKAAL.feiten(KB, gemeente, None) == []


@pytest.mark.parametrize("gemeente", ["Utrecht", "Rotterdam", "Den Haag"])
def test_the_g4_gemeenten_get_only_the_g4_agreement(gemeente: str) -> None:
    """Review R42 C1: 001 r.339 names them among the G4 that agreed on jobcoaching with UWV in 2015. Utrecht and Den
    Haag also have i-did's own example (000 r.176), which names them itself; Den Haag its district Zuidwest's
    job-lifecoaches (002 r.955)."""
    facts = LOKAAL.feiten(KB, gemeente, None)
    (fact,) = [f for f in facts if f.plaats == "G4"]
    own = {"Utrecht": {"i_did_utrecht_den_haag"}, "Den Haag": {"i_did_utrecht_den_haag", "jobcoach_den_haag_zuidwest"}}
    assert {f.artikel for f in facts if f is not fact} == own.get(gemeente, set())
    assert (fact.artikel, fact.plaats, fact.jaren) == ("jobcoach_intern", "G4", ("2015", "2017"))
    assert fact.zinnen == (
        "De G4 zijn de regio's van Amsterdam, Den Haag, Rotterdam en Utrecht.",
        (
            "Begin 2015 spraken UWV en de G4 af om jobcoaching op dezelfde manier te regelen,"
            " maar tussen de vier bleven kleine verschillen (stand 2017)."  # 001 r.349 (review R46 C7)
        ),
    )


def test_the_national_frame_is_never_uwv_2017_or_another_place() -> None:
    assert LOKAAL.kader(KB, "jobcoach_uren", "Utrecht") == "jobcoach_gemeente"
    assert LOKAAL.kader(KB, "beschut_werk_almere", "Utrecht") == "beschut_werk_overzicht"
    assert LOKAAL.kader(KB, "beschut_werk_almere", "Almere") == "beschut_werk_almere"
    assert LOKAAL.kader(KB, "vso_pro_voorbeelden", "Wijchen") == "vso_pro_voorbeelden"
    assert LOKAAL.kader(KB, "vso_pro_voorbeelden", "Utrecht") == "vso_pro_wat_na_school"
    for article in KB.articles.values():
        if not LOKAAL.geldt_voor(article):
            continue
        target = KB.articles[LOKAAL.kader(KB, article.id, "Utrecht")]
        kinds = {ref.kind for ref in target.sources}
        assert target.authority is not Authority.lokaal, article.id
        assert kinds != {Kind.uwv_2017}, article.id


@pytest.mark.parametrize("key", lokaal.TEXT_KEYS)
def test_texts_address_je_or_u_and_are_short(key: str) -> None:
    je = LOKAAL.tekst(key, None, gemeente="Utrecht", regio="WIZ", plaats="WIZ")
    u = LOKAAL.tekst(key, Audience.werkgever, gemeente="Utrecht", regio="WIZ", plaats="WIZ")
    assert not re.search(r"\b(u|uw)\b", je, re.IGNORECASE)
    assert not re.search(r"\b(je|jij|jou|jouw)\b", u, re.IGNORECASE)
    for sentence in re.split(r"(?<=[.?!:])\s+", je + " " + u):
        assert len(sentence.split()) <= 15, sentence


def test_a_broken_file_is_refused(tmp_path: Path) -> None:
    text = lokaal.LOKAAL_FILE.read_text(encoding="utf-8").replace("  geen_feiten:\n", "  geen_feit:\n", 1)
    text = text.replace('den bosch: "\'s-Hertogenbosch"', 'den bosch: "Den Boss"')
    broken = tmp_path / "lokaal.yml"
    broken.write_text(text, encoding="utf-8")
    with pytest.raises(lokaal.LokaalError, match="geen_feiten") as error:
        lokaal.load(broken, kb=KB)
    assert "Den Boss" in str(error.value)


@pytest.mark.parametrize("gemeente", ["Hof van Twente", "Horst aan de Maas"])
def test_a_gemeente_whose_own_web_page_an_article_cites_gets_that_article_as_a_fact(gemeente: str) -> None:
    # review R24 C1: loonkostensubsidie_hoogte read these gemeenten's own pages; "niets in mijn bronnen" would be untrue
    (fact,) = LOKAAL.feiten(KB, gemeente, None)
    assert (fact.artikel, fact.plaats, fact.jaren) == ("loonkostensubsidie_hoogte", gemeente, ("2026",))
    assert lokaal.names_place(fact.zinnen[0], gemeente)
    assert any("70%" in sentence for sentence in fact.zinnen)
    docs = {ref.doc for ref in LOKAAL.bronnen(KB.articles[fact.artikel], gemeente)}
    assert docs == {"hofvantwente_lks" if gemeente == "Hof van Twente" else "horstaandemaas_lks"}


def test_gemeente_bronnen_must_be_outside_sources_of_a_gemeente(tmp_path: Path) -> None:
    text = lokaal.LOKAAL_FILE.read_text(encoding="utf-8")
    text = text.replace("  hofvantwente_lks: Hof van Twente\n", "  hofvantwente_lks: Twente\n  '001': Almere\n", 1)
    broken = tmp_path / "lokaal.yml"
    broken.write_text(text, encoding="utf-8")
    with pytest.raises(lokaal.LokaalError, match="Twente") as error:
        lokaal.load(broken, kb=KB)
    assert "'001' is not an outside source" in str(error.value)


PLACES = ["Almere", "Amsterdam", "Oss", "Nijmegen", "Wijchen", "Groningen", "Tynaarlo", "Hof van Twente"]


@pytest.mark.parametrize("gemeente", PLACES)
def test_a_local_fact_explains_the_terms_it_uses(gemeente: str) -> None:
    """B1 (review R30): a sentence picked because it names the place keeps the article's explanation of its terms."""
    terms = kennisbank.load_terms()
    for audience in (None, Audience.werkgever, Audience.ouder):
        for topics in ((), ("vso_pro",)):
            for fact in LOKAAL.feiten(KB, gemeente, audience, topics):
                assert not rules.term_problems(fact.artikel, " ".join(fact.zinnen), terms), fact.zinnen
                assert len(set(fact.zinnen)) == len(fact.zinnen), fact.zinnen


def test_almere_explains_beschut_werk_right_after_the_advice() -> None:
    facts = {f.artikel: f for f in LOKAAL.feiten(KB, "Almere", None)}
    zinnen = list(facts["beschut_werk_almere"].zinnen)
    advies = next(i for i, zin in enumerate(zinnen) if "advies beschut werk" in zin)
    assert zinnen[advies + 1] == "Beschut werk is betaald werk in een veilige, aangepaste omgeving."
    assert facts["beschut_werk_almere"].uitleg == (zinnen[advies + 1],)
    assert "De banenafspraak is een afspraak uit 2013" in " ".join(facts["beschut_werk_naar_regulier"].zinnen)


@pytest.mark.parametrize("audience", [None, Audience.werkgever])
def test_hof_van_twente_says_it_is_loonkostensubsidie_for_the_werkgever_and_explains_loonwaarde(
    audience: Audience | None,
) -> None:
    (fact,) = LOKAAL.feiten(KB, "Hof van Twente", audience)
    text = " ".join(fact.zinnen)
    # review R42 C5: every page the sentence names is cited; review R78 C4: it is Divosa's national rule, as the
    # gemeente's page gave it in 2026, not a rule of the gemeente's own
    website = next(zin for zin in fact.zinnen if zin.startswith("Op de website van de gemeente Hof van Twente"))
    assert "dezelfde regel als bij Divosa" in website and "2026" in website and "Horst" not in text
    cited = {ref.doc for ref in LOKAAL.bronnen(KB.articles[fact.artikel], fact.plaats, text)}
    assert {"hofvantwente_lks", "divosa_lks"} <= cited and "horstaandemaas_lks" not in cited
    assert "Loonkostensubsidie is geld voor de werkgever" in text
    assert "Loonwaarde zegt hoeveel procent van het minimumloon" in text
    assert text.index("70%") < text.index("Loonwaarde zegt")  # "Dat is ... 70%" stays with its sentence


def test_what_an_earlier_fact_said_or_explained_is_not_said_again() -> None:
    for gemeente in PLACES:
        for audience in (None, Audience.werkgever):
            shown = [zin for _, zinnen in LOKAAL.te_tonen(LOKAAL.feiten(KB, gemeente, audience)) for zin in zinnen]
            assert len(shown) == len(set(shown)), gemeente
    # Tynaarlo: two WIZ facts explain 'verordening' in other words; the second explanation is left out
    shown = [zin for _, zinnen in LOKAAL.te_tonen(LOKAAL.feiten(KB, "Tynaarlo", None)) for zin in zinnen]
    terms = kennisbank.load_terms()
    assert len([zin for zin in shown if terms["verordening"].explained_in(zin)]) == 1


@pytest.mark.parametrize("gemeente", ["Groningen", "Het Hogeland", "Tynaarlo"])
def test_one_seed_line_gives_one_local_fact_with_its_qualifier(gemeente: str) -> None:
    """Review R38: two articles quote 002 r.1073 (12 months in WIZ); the local answer said it twice, and the first
    copy lost "Die termijn kan steeds worden verlengd" to the sentence cap."""
    facts = LOKAAL.feiten(KB, gemeente, None)
    twaalf = [zin for fact in facts for zin in fact.zinnen if "12 maanden" in zin]
    assert len(twaalf) == 1, twaalf
    (fact,) = [f for f in facts if any("12 maanden" in zin for zin in f.zinnen)]
    assert fact.zinnen[fact.zinnen.index(twaalf[0]) + 1] == "Die termijn kan steeds worden verlengd."
    for i, fact in enumerate(facts):
        assert not fact.regels <= set().union(*(f.regels for f in facts[:i])), fact.artikel


def test_a_gemeentes_own_fact_comes_before_its_regions() -> None:
    facts = LOKAAL.feiten(KB, "Groningen", None)
    assert facts[0].plaats == "Groningen" and facts[0].artikel == "vso_pro_route_arbeid"
    assert {f.plaats for f in facts[1:]} == {"WIZ"}


def test_the_opening_line_explains_verordening_so_no_fact_explains_it_again() -> None:
    terms = kennisbank.load_terms()
    opening = LOKAAL.tekst("eigen_regels", None, gemeente="Tynaarlo")
    assert terms["verordening"].explained_in(opening)
    shown = [zin for _, zinnen in LOKAAL.te_tonen(LOKAAL.feiten(KB, "Tynaarlo", None), opening) for zin in zinnen]
    assert not [zin for zin in shown if terms["verordening"].explained_in(zin)], shown


def test_the_sources_of_a_local_fact_carry_every_sentence_shown() -> None:
    """Review R40 L6: the WIZ fact says who researched when (002 r.136) and explains WIZ (002 r.156; review R43
    B1-3 dropped the sociale ontwikkelbedrijven); the sources line names both, and never a source about another
    place."""
    (fact,) = [f for f in LOKAAL.feiten(KB, "Tynaarlo", None) if f.artikel == "jobcoach_gemeente"]
    tekst = " ".join(fact.zinnen)
    assert "Hanzehogeschool" in tekst and "WIZ (Werk in Zicht) is de arbeidsmarktregio" in tekst
    refs = LOKAAL.bronnen(KB.articles["jobcoach_gemeente"], fact.plaats, tekst)
    lines = {(ref.doc, ref.lines) for ref in refs}
    assert {("002", "1073"), ("002", "136"), ("002", "156")} <= lines
    assert all(ref.kind is not Kind.regio or ref.region == "WIZ" for ref in refs)
    assert {(r.doc, r.lines) for r in LOKAAL.bronnen(KB.articles["jobcoach_gemeente"], fact.plaats)} == {
        ("002", "1073")
    }


@pytest.mark.parametrize("gemeente", PLACES)
def test_an_explanation_is_shown_once_and_only_with_its_term(gemeente: str) -> None:
    """Review R42 B4: "Sociale ontwikkelbedrijven zijn ..." in a bullet that no longer used the word; WIZ explained
    by the region line and again by a fact."""
    terms = kennisbank.load_terms()
    region_line = " ".join(
        LOKAAL.tekst("lid_van_regio", None, gemeente=gemeente, regio=m.tekst_naam) for m in LOKAAL.regios(gemeente)
    )
    said = region_line
    for fact, zinnen in LOKAAL.te_tonen(LOKAAL.feiten(KB, gemeente, None), region_line):
        own = " ".join(z for z in zinnen if z not in fact.uitleg)
        for zin in zinnen:
            explained = [t for t in terms.values() if t.explained_in(zin)]
            assert not explained or not all(t.explained_in(said) for t in explained), (zin, "explained before")
            if zin in fact.uitleg:
                assert any(t.used_in(own) for t in explained), (zin, "its term is not used")
            said += " " + zin


def test_the_g4_are_four_regions_not_one() -> None:
    """Review R42 (helper note): "Utrecht hoort bij de regio G4" called four regions one."""
    (g4,) = LOKAAL.regios("Utrecht")
    line = LOKAAL.tekst("lid_van_regio", None, gemeente="Utrecht", regio=g4.tekst_naam)
    assert line.startswith("Utrecht hoort bij de G4: de vier regio's met de grootste gemeenten.")
    (rvn,) = LOKAAL.regios("Wijchen")
    assert LOKAAL.tekst("lid_van_regio", None, gemeente="Wijchen", regio=rvn.tekst_naam).startswith(
        "Wijchen hoort bij de regio Rijk van Nijmegen."
    )


def test_a_region_no_seed_line_lists_takes_its_gemeenten_from_a_named_outside_source() -> None:
    """blind23, blind27, blind28: Zaanstad's council and a company in Doetinchem expect their region's example. No seed
    line lists the gemeenten of Zaanstreek-Waterland or the Achterhoek; the provinces' pages do (bronnen.yml)."""
    zaanstad = LOKAAL.regios("Zaanstad")[0]
    assert zaanstad.regio == "Zaanstreek-Waterland" and zaanstad.bron.kind is Kind.buiten
    assert KB.documents[zaanstad.bron.doc].date == "gelezen op 7 december 2026"
    doetinchem = LOKAAL.regios("Doetinchem")[0]
    assert doetinchem.regio == "Achterhoek" and doetinchem.tekst_naam == "de Achterhoek"
    facts = {f.artikel for f in LOKAAL.feiten(KB, "Doetinchem", None)}
    assert "jobcoach_intern_achterhoek" in facts
    assert not LOKAAL.regios("Breda")  # no source says which gemeenten West-Brabant holds
