"""The territory search (dashboard/data/search.py) on the committed commune table
(COG 2026: 4,025 communes of Auvergne-Rhône-Alpes, 172 EPCI)."""

from __future__ import annotations

import pytest

from dashboard.data import search, store

LANGEAC = "Langeac (43112) — CC des Rives du Haut Allier"
ANNONAY_CA = "200072015"  # CA Annonay Rhône Agglo, 29 communes
RIVES = "200073393"  # CC des Rives du Haut Allier


def labels(query: str, limit: int = search.MAX_RESULTS) -> list[str]:
    return [r.label for r in search.search(query, limit)]


@pytest.mark.parametrize(("text", "folded"), [
    ("Saint-Étienne", "saint etienne"),
    ("L'Isle-d'Abeau", "l isle d abeau"),
    ("  LANGEAC ", "langeac"),
    ("Œuilly", "oeuilly"),
    ("Vernosc-lès-Annonay", "vernosc les annonay"),
    ("l’Arbresle", "l arbresle"),  # typographic apostrophe
    ("", ""),
])
def test_fold(text, folded):
    assert search.fold(text) == folded


def test_index_holds_every_commune_and_every_epci():
    results = search.index().results
    assert len(results) == 4025 + 172
    kinds = [r.kind for r in results]
    assert kinds.count("commune") == 4025 and kinds.count("epci") == 172
    assert len({r.key for r in results}) == len(results)


def test_commune_result():
    (langeac,) = search.search("Langeac")
    assert langeac == search.Result(
        "commune", "43112", "Langeac", LANGEAC,
        f"/territoire?epci={RIVES}&commune=43112", langeac.population)
    assert langeac.key == "commune:43112"
    assert langeac.population == int(
        store.communes().set_index("code_insee").at["43112", "population"])


def test_epci_result_counts_its_communes():
    (annonay,) = search.search(ANNONAY_CA)
    assert annonay.kind == "epci" and annonay.code == ANNONAY_CA
    assert annonay.label == "CA Annonay Rhône Agglo (EPCI, 29 communes)"
    assert annonay.url == f"/territoire?epci={ANNONAY_CA}"
    members = store.communes().query("epci_siren == @ANNONAY_CA")
    assert annonay.population == int(members["population"].sum())


@pytest.mark.parametrize("query", ["Langeac", "langeac", "LANGEAC", " langeac ", "43112"])
def test_case_and_code(query):
    assert labels(query)[0] == LANGEAC


@pytest.mark.parametrize("query", ["saint etienne", "Saint-Étienne", "SAINT ÉTIENNE",
                                   "saint-etienne", "st etienne", "St-Étienne", "42218"])
def test_accents_hyphens_and_abbreviations(query):
    assert labels(query)[0] == "Saint-Étienne (42218) — Saint-Étienne Métropole"


@pytest.mark.parametrize("query", ["L'Arbresle", "l arbresle", "larbresle", "l’arbresle"])
def test_apostrophes(query):
    assert labels(query)[0] == "L'Arbresle (69010) — CC du Pays de l'Arbresle (CCPA)"


def test_ranking_exact_then_word_prefix_bigger_first():
    # The exact name first; then the names with a word starting with "annonay",
    # EPCI and communes mixed, bigger population first.
    assert [(r.kind, r.name) for r in search.search("annonay")] == [
        ("commune", "Annonay"),
        ("epci", "CA Annonay Rhône Agglo"),
        ("commune", "Vernosc-lès-Annonay"),
        ("commune", "Boulieu-lès-Annonay"),
        ("commune", "Saint-Marcel-lès-Annonay"),
    ]


def test_prefix_before_word_prefix():
    # The names starting with "Puy" (smallest last), then the CA du Puy-en-Velay and Le
    # Puy-en-Velay (bigger than all of them), where a later word starts with it.
    names = [r.name for r in search.search("puy", 8)]
    assert names[:6] == ["Puy-Guillaume", "Puy-Saint-Martin", "Puycapel", "Puygiron",
                         "Puygros", "Puy-Saint-Gulmier"]
    assert names[6:] == ["CA du Puy-en-Velay", "Le Puy-en-Velay"]
    assert [r.name for r in search.search("saint etienne d", 2)] == [
        "Saint-Étienne-de-Saint-Geoirs", "Saint-Étienne-de-Fontbellon"]


def test_exact_before_bigger_word_prefix():
    # Lyon (exact) before the Métropole de Lyon, bigger but only holding the word.
    assert [r.name for r in search.search("lyon", 2)] == ["Lyon", "Métropole de Lyon"]


def test_substring_last():
    # "tienne" is only inside the names: the last rank, EPCI and communes mixed.
    assert [r.label for r in search.search("tienne", 2)] == [
        "Saint-Étienne Métropole (EPCI, 53 communes)",
        "Saint-Étienne (42218) — Saint-Étienne Métropole",
    ]


def test_every_word_of_the_query_starts_a_word_of_the_name():
    assert [r.label for r in search.search("rives allier")] == [
        "CC des Rives du Haut Allier (EPCI, 60 communes)"]


def test_codes():
    assert [r.key for r in search.search("200072015")] == [f"epci:{ANNONAY_CA}"]
    assert [r.key for r in search.search("200 072 015")] == [f"epci:{ANNONAY_CA}"]
    assert search.search("00000") == ()  # an INSEE-shaped code of no commune
    assert search.search("999999999") == ()
    # 43300 is Langeac's postcode: postcodes are not in the data, nothing is invented.
    assert search.search("43300") == ()


@pytest.mark.parametrize("query", ["", "   ", "--", "xyzzy", None, 42, ["langeac"]])
def test_nothing_found(query):
    assert search.search(query) == ()


def test_limit():
    assert len(search.search("saint")) == search.MAX_RESULTS
    assert len(search.search("saint", 3)) == 3
    assert search.search("saint", 0) == ()
    many = search.search("a", 50)
    assert len(many) == 50
    # Prefix matches ("A…") first, bigger first.
    assert all(r.name[0] in "AÂ" for r in many[:10])
    assert [r.name for r in many[:3]] == ["Annecy", "Annemasse", "Aix-les-Bains"]


def test_long_query_is_cut_not_an_error():
    assert search.search("langeac" + "x" * 10_000) == ()
    assert search.search("langeac" + " " * 200) == search.search("langeac")


@pytest.mark.parametrize(("key", "expected"), [
    ("commune:43112", "Langeac"),
    (f"epci:{ANNONAY_CA}", "CA Annonay Rhône Agglo"),
    ("epci:43112", None),  # a commune code given as an EPCI
    ("commune:99999", None),
    ("43112", None),
    ("commune:" + "1" * 50, None),
    (None, None),
    (43112, None),
])
def test_lookup(key, expected):
    found = search.lookup(key)
    assert (found.name if found else None) == expected


def test_profile_url():
    assert search.profile_url("200072015", "07010") == (
        "/territoire?epci=200072015&commune=07010")
    assert search.profile_url("200072015") == "/territoire?epci=200072015"
    assert search.profile_url(None, "07010") == "/territoire?commune=07010"


def test_index_is_forgotten_by_store_reset():
    first = search.index()
    assert search.index() is first
    store.reset()
    assert search.index() is not first
