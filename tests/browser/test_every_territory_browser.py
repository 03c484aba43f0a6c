"""The maps of the two territories whose communes had no geometry draw in the browser:
one outline per feature, every commune drawn, no console error (`pytest --headless`)."""

from __future__ import annotations

from dash.testing.wait import until

from dashboard.data import store
from dashboard.views import territoire as tv

PATHS = "#territoire-graph-carte path.choroplethlocation"


def test_maps_of_the_repaired_territories_draw_without_errors(dash_duo, dashboard_app):
    dash_duo.start_server(dashboard_app)
    for siren in ("200040574", "200066637"):
        communes = store.communes()
        expected = len(tv.cached_geometry(siren)["features"])
        # every commune is drawn: its own feature, or its former commune's (15141)
        assert expected == (communes["epci_siren"] == siren).sum() - (
            4 if siren == "200066637" else 0)
        dash_duo.wait_for_page(url=f"{dash_duo.server_url}/territoire?epci={siren}",
                               timeout=20)
        dash_duo.wait_for_element("#territoire-graph-carte .main-svg", timeout=20)
        # one drawn outline per feature of the choropleth
        until(lambda n=expected: len(dash_duo.find_elements(PATHS)) == n, timeout=20,
              msg=f"{siren}: not one outline per commune feature")
    assert dash_duo.get_logs() == []
