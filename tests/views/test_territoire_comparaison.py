"""The key figures of compared territories (`views.territoire_comparaison`): known answers
from the committed table, and the same numbers as `aggregate.totals` of the rows."""

from __future__ import annotations

from dashboard import registry
from dashboard.data import aggregate, store
from dashboard.formatting import NBSP, NNBSP, fmt_int
from dashboard.views import territoire_comparaison as tc

ANNONAY = "200072015"
BOURG = "200071751"


def _row(table: tc.KeyFigures, label: str) -> tuple[str, ...]:
    return dict(table.rows)[label]


def test_columns_are_the_epci_in_order_then_their_region():
    table = tc.key_figures((ANNONAY, BOURG))
    assert [(c.name, c.region) for c in table.columns] == [
        ("CA Annonay Rhône Agglo", False), ("CA du Bassin de Bourg-en-Bresse", False),
        ("Auvergne-Rhône-Alpes", True)]


def test_known_answers():
    table = tc.key_figures((ANNONAY, BOURG))
    assert _row(table, "Population") == (f"50{NNBSP}761", f"137{NNBSP}046",
                                          f"8{NNBSP}205{NNBSP}557")
    assert _row(table, "Communes") == ("29", "74", f"4{NNBSP}025")
    assert _row(table, "Part de logements sociaux (pour 100 résidences principales)") == (
        f"15,5{NBSP}%", f"19,6{NBSP}%", f"16,4{NBSP}%")
    assert _row(table, "Communes soumises à la loi SRU") == ("1", "4", "288")
    assert _row(table, "dont communes déficitaires") == ("0", "2", "155")
    assert _row(table, "dont communes carencées") == ("0", "0", "55")
    assert _row(table, "Communes en Action Cœur de Ville") == ("1", "1", "28")
    assert _row(table, "Population en commune de programme") == (
        f"37,4{NBSP}%", f"43,3{NBSP}%", f"27,0{NBSP}%")


def test_every_programme_has_a_row_in_registry_order():
    labels = [label for label, _ in tc.key_figures((ANNONAY,)).rows]
    programme_rows = [label for label in labels if label.startswith("Communes en ")]
    assert programme_rows == [f"Communes en {p.label}" for p in registry.PROGRAMMES]
    assert labels[0] == "Population" and labels[-1] == "Bailleurs sociaux engagés"


def test_counts_are_those_of_the_table():
    df = store.communes()
    table = tc.key_figures((BOURG, ANNONAY))
    expected = aggregate.totals(df[df["epci_siren"] == BOURG])
    bourg = table.columns[0]
    for figure in tc.FIGURES:
        if figure.kind == "int" and figure.key != tc.LANDLORDS:
            assert bourg.values[figure.key] == expected[figure.key], figure.key
    region = aggregate.totals(df[df["region"] == "84"])
    assert _row(table, "Logements sociaux")[-1] == fmt_int(region["logements_sociaux"])


def test_landlords_engaged_without_a_landlord_file_read_n_d(monkeypatch):
    monkeypatch.setattr(tc, "cached_engagement", lambda siren: None)
    assert _row(tc.key_figures((ANNONAY,)), "Bailleurs sociaux engagés") == ("n.d.", "n.d.")
