"""The regional view with the landlord file unavailable: one French sentence, no crash."""

from __future__ import annotations

import pytest

from dashboard.data import store
from dashboard.formatting import MISSING

REASON = "Le fichier d'engagement des bailleurs n'a pas pu être lu (ligne 3 : SIREN invalide)."


@pytest.fixture
def no_landlord_file(monkeypatch):
    import app  # noqa: F401  (the app's commune table)

    monkeypatch.setattr(store, "engagements", lambda: store.Engagements(None, False, REASON))
    store.reset()
    yield
    monkeypatch.undo()
    store.reset()


def test_unreadable_landlord_file_gives_the_stores_sentence(no_landlord_file):
    from dashboard.views import regional

    data = regional.regional_data()
    assert data.engagement_error == REASON and data.demo is False
    card = regional.kpis()[-1]
    assert card.title == "Engagement des bailleurs" and card.value == MISSING
    assert card.note == REASON
    update = regional.map_update("engagement-bailleurs")
    assert update.summary == "Les données d'engagement des bailleurs ne sont pas disponibles."
    assert update.error is None
    assert data.epci["taux_engagement"].isna().all() and len(data.epci) == 172


def test_regional_cards_keep_each_unit_with_its_value():
    import app  # noqa: F401  (the app's commune table)
    from dashboard.views import regional

    cards = {k.title: k for k in regional.kpis()}
    share = cards["Part de logements sociaux"]
    assert share.unit == "des résidences principales"  # not after the SRU line
    assert "résidences principales" not in share.note
    assert cards["Population"].unit.startswith("habitants dans ")
    engaged = next(k for k in cards.values() if k.title.startswith("Engagement des bailleurs"))
    assert engaged.unit.startswith("des communes de programme ont au moins un bailleur engagé (")
