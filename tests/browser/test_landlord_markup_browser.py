"""A hostile landlord file in headless Chromium: its names are shown, never obeyed.

Run with `pytest --headless` under the shared lock (dash_duo uses port 8050).
The app is pointed at a temporary data folder holding the real tables and a
landlord file whose names are Plotly/HTML markup.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from dash.testing.wait import until

from dashboard import config

ROOT = Path(__file__).resolve().parents[2]
ANNONAY_EPCI = "200072015"
ANNONAY = "07010"  # ACV commune of the EPCI
LINK = '<a href="https://evil.example">X</a>'
SPAN = '<span style="color:red">Y</span>'
HEADER = ("bailleur_nom,bailleur_siren,bailleur_type,code_insee,programme,niveau_engagement,"
          "logements_concernes,date_information,donnees_demonstration")

# Everything with the tag "evil.example" or a red style, anywhere in the document.
HOSTILE = """
const out = [];
for (const a of document.querySelectorAll('a')) {
  const href = (a.getAttribute('href') || '') + (a.getAttribute('xlink:href') || '')
    + (a.getAttributeNS('http://www.w3.org/1999/xlink', 'href') || '');
  if (href.includes('evil.example')) out.push(a.outerHTML);
}
for (const el of document.querySelectorAll('[style]')) {
  if (/color:\\s*red/.test(el.getAttribute('style'))) out.push(el.outerHTML);
}
return out;
"""


def _csv_line(name: str, siren: str, level: str) -> str:
    return f'"{name.replace(chr(34), chr(34) * 2)}",{siren},OPH,{ANNONAY},ACV,{level},12,' \
           "2025-01-15,False"


def _forget_everything() -> None:
    from dashboard.data import store

    store.reset()  # also the profile's views, charts and layouts


@pytest.fixture
def hostile_data(tmp_path, monkeypatch, dashboard_app) -> Path:
    """A data folder with the real tables and a landlord file full of markup."""
    real = config.ROOT / "data"
    data = tmp_path / "data"
    data.mkdir()
    for entry in real.iterdir():
        if not entry.name.startswith("engagements_bailleurs"):
            os.symlink(entry, data / entry.name)
    (data / "engagements_bailleurs.csv").write_text("\n".join([
        HEADER,
        _csv_line(LINK, "000000101", "opération livrée"),
        _csv_line(SPAN, "000000102", "sollicité"),
    ]) + "\n", encoding="utf-8")
    monkeypatch.setenv("AURA_DATA_DIR", str(data))
    _forget_everything()
    yield data
    monkeypatch.delenv("AURA_DATA_DIR")
    _forget_everything()


def _graph_text(dash_duo, graph_id: str) -> str:
    return dash_duo.driver.execute_script(
        f"return document.getElementById('{graph_id}').textContent")


def test_landlord_names_are_text_on_bailleurs_page_and_profile(dash_duo, dashboard_app,
                                                               hostile_data, window):
    window("tall")
    dash_duo.start_server(dashboard_app)

    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/bailleurs?epci={ANNONAY_EPCI}")
    dash_duo.wait_for_element("#bailleurs-matrice .main-svg", timeout=30)
    until(lambda: LINK in _graph_text(dash_duo, "bailleurs-matrice"), timeout=20)
    assert SPAN in _graph_text(dash_duo, "bailleurs-matrice")  # shown literally
    assert dash_duo.driver.execute_script(HOSTILE) == []
    # The grid's CSV function (assets/dashAgGridFunctions.js) is loaded and neutralises.
    csv = dash_duo.driver.execute_script("""
        const f = window.dashAgGridFunctions;
        const col = {getColId: () => 'taux'};
        return [f.csvText('=1+1'), f.csvCell({value: '@SUM(A1)'}), f.csvCell({value: -3.5}),
                f.csvCell({value: '-2+3'}), f.csvCell({value: 'Annonay'}),
                f.csvCell({node: {data: {taux_csv: '-3,5'}}, column: col, value: -3.5}, '_csv'),
                f.csvCell({value: null})];
    """)
    assert csv == ["'=1+1", "'@SUM(A1)", "-3.5", "'-2+3", "Annonay", "-3,5", ""]

    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/territoire?epci={ANNONAY_EPCI}")
    dash_duo.wait_for_element("#territoire-graph-bailleurs .main-svg", timeout=30)
    until(lambda: LINK in _graph_text(dash_duo, "territoire-graph-bailleurs"), timeout=20)
    assert SPAN in _graph_text(dash_duo, "territoire-graph-bailleurs")
    assert dash_duo.driver.execute_script(HOSTILE) == []
    assert dash_duo.get_logs() == []
