"""The first layout comes with the page inside (`app_factory.prerendered_page`).

Dash's renderer asks for `/_dash-layout`, then its pages router asks for the
page's content in a callback: the dashboard answers the layout request with the
page already rendered, from the address the request comes from (its Referer), and
a Location that already holds that address, so the router does not run again.
The content is exactly what the router would have sent.
"""

from __future__ import annotations

import json
import logging
import re

import dash
import pytest

GRAND_LAC = "200068674"
HOST = "localhost"


def _find(node: object, wanted: str) -> dict | None:
    """The component whose id is `wanted` in a layout's JSON."""
    if isinstance(node, list):
        for item in node:
            found = _find(item, wanted)
            if found is not None:
                return found
    elif isinstance(node, dict):
        props = node.get("props", {})
        if props.get("id") == wanted:
            return node
        return _find(props.get("children"), wanted)
    return None


def _layout(client, referer: str | None) -> tuple[dict, object]:
    headers = {"Referer": referer} if referer is not None else {}
    resp = client.get("/_dash-layout", headers=headers)
    assert resp.status_code == 200
    assert "Referer" in resp.headers["Vary"]
    return json.loads(resp.get_data()), resp


def _router_content(client, path: str, search: str) -> object:
    body = {
        "output": ".._pages_content.children..._pages_store.data..",
        "outputs": [{"id": "_pages_content", "property": "children"},
                    {"id": "_pages_store", "property": "data"}],
        "inputs": [{"id": "_pages_location", "property": "pathname", "value": path},
                   {"id": "_pages_location", "property": "search", "value": search}],
        "changedPropIds": ["_pages_location.search"], "state": [],
    }
    resp = client.post("/_dash-update-component", json=body)
    assert resp.status_code == 200
    answer = json.loads(resp.get_data())["response"]
    return answer["_pages_content"]["children"], answer["_pages_store"]["data"]


def test_the_first_layout_carries_the_page_the_router_would_render(client):
    address = f"http://{HOST}/territoire?epci={GRAND_LAC}"
    layout, _ = _layout(client, address)
    location = _find(layout, "_pages_location")["props"]
    assert location == {"id": "_pages_location", "refresh": "callback-nav",
                        "pathname": "/territoire", "search": f"?epci={GRAND_LAC}",
                        "hash": "", "href": address}
    content = _find(layout, "_pages_content")["props"]["children"]
    store = _find(layout, "_pages_store")["props"]["data"]
    routed, routed_store = _router_content(client, "/territoire", f"?epci={GRAND_LAC}")
    tokens = [_find(tree, "territoire-export-jeton")["props"] for tree in (content, routed)]
    assert all(re.fullmatch(r"[0-9a-f]{32}", t.pop("data")) for t in tokens)  # one per render
    assert (content, store) == (routed, routed_store)
    for graph in ("territoire-graph-parts", "territoire-graph-carte",
                  "territoire-graph-calendrier", "territoire-graph-bailleurs"):
        assert _find(content, graph)["props"]["figure"]["data"], graph
    assert store == {"title": dash.page_registry["dashboard.pages.territoire"]["title"]}
    # The shell around it is the app's, at the same address (its Location changes
    # nothing when it mounts), with the page's menu link already marked.
    assert _find(layout, "url")["props"] == {**location, "id": "url"}
    assert [_find(layout, f"nav-{i}")["props"]["className"] for i in range(5)] == [
        "nav-link", "nav-link active", "nav-link", "nav-link", "nav-link"]


def test_a_wrong_address_is_rendered_as_the_router_would(client):
    """Untrusted codes: the page's own French message, in the first layout too."""
    layout, _ = _layout(client, f"http://{HOST}/territoire?epci=999")
    content = _find(layout, "_pages_content")["props"]["children"]
    assert content == _router_content(client, "/territoire", "?epci=999")[0]
    assert "Adresse incomplète ou erronée" in json.dumps(content, ensure_ascii=False)


@pytest.mark.parametrize("referer", [
    None,                                            # no Referer: privacy settings, proxies
    "",
    f"http://ailleurs.example/territoire?epci={GRAND_LAC}",  # another site
    f"ftp://{HOST}/territoire?epci={GRAND_LAC}",
    f"http://{HOST}/page-inexistante",               # not a page: the router's 404 page
    f"http://{HOST}/",           # also what a browser sends for an address over 4 KB
    f"http://{HOST}",
    "pas une adresse",
])
def test_otherwise_the_router_renders_the_page(client, referer):
    layout, _ = _layout(client, referer)
    assert _find(layout, "_pages_content")["props"].get("children") is None
    location = _find(layout, "_pages_location")["props"]
    assert location.get("pathname") is None and location.get("search") is None
    # The `url` Location sets its address when it mounts, which marks the menu link.
    assert _find(layout, "url")["props"] == {"id": "url", "refresh": "callback-nav"}
    assert all(_find(layout, f"nav-{i}")["props"]["className"] == "nav-link"
               for i in range(5))


def test_a_sub_address_marks_its_section_and_the_home_link_only_itself(client):
    for address, marked in [("/", None), ("/methode", "nav-4"), ("/programmes/", "nav-2")]:
        layout, _ = _layout(client, f"http://{HOST}{address}?x=1")
        active = [f"nav-{i}" for i in range(5)
                  if "active" in _find(layout, f"nav-{i}")["props"]["className"]]
        assert active == ([marked] if marked else ["nav-0"]), address


@pytest.mark.parametrize(("path", "page"), [
    ("/territoire?epci=200068674", "territoire"), ("/methode", "methode"), ("/", "regional")])
def test_the_index_has_the_title_of_its_page(client, path, page):
    """Dash's router would set it in the browser after the first layout."""
    html = client.get(path).get_data(as_text=True)
    title = dash.page_registry[f"dashboard.pages.{page}"]["title"]
    assert f"<title>{title}</title>" in html


def test_outside_the_pages_the_index_has_the_app_title(client):
    from dashboard.config import TITLE

    html = client.get("/page-inexistante").get_data(as_text=True)
    assert f"<title>{TITLE}</title>" in html


def test_the_title_and_menu_callbacks_do_not_run_on_a_first_load(client):
    """The server wrote both; they run on navigations (`prevent_initial_call`)."""
    deps = json.loads(client.get("/_dash-dependencies").get_data())
    outputs = {d["output"]: d["prevent_initial_call"] for d in deps
               if d["clientside_function"] is not None}
    assert outputs["_pages_dummy.children"] is True
    assert [v for k, v in outputs.items() if k.startswith("..nav-0.className")] == [True]


def test_a_failing_page_layout_leaves_the_page_to_the_router(client, monkeypatch, caplog):
    page = dash.page_registry["dashboard.pages.methode"]

    def broken(**_kwargs):
        raise RuntimeError("boom")

    monkeypatch.setitem(page, "layout", broken)
    with caplog.at_level(logging.ERROR, logger="dashboard.app_factory"):
        layout, _ = _layout(client, f"http://{HOST}/methode")
    assert _find(layout, "_pages_content")["props"].get("children") is None
    assert "First page not pre-rendered" in caplog.text


def test_the_first_layout_honours_a_path_prefix():
    import subprocess
    import sys
    from pathlib import Path

    code = """
import json
from dashboard.app_factory import create_app
app = create_app(load_data=False, requests_pathname_prefix="/tdb/",
                 routes_pathname_prefix="/tdb/")
client = app.server.test_client()
inside = client.get("/tdb/_dash-layout", headers={"Referer": "http://localhost/tdb/methode"})
outside = client.get("/tdb/_dash-layout", headers={"Referer": "http://localhost/methode"})
print(json.dumps([inside.get_data(as_text=True), outside.get_data(as_text=True)]))
"""
    root = Path(__file__).resolve().parent.parent
    proc = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    inside, outside = (json.loads(text) for text in json.loads(
        proc.stdout.strip().splitlines()[-1]))
    assert _find(inside, "_pages_location")["props"]["pathname"] == "/tdb/methode"
    assert _find(inside, "_pages_content")["props"]["children"]
    assert _find(outside, "_pages_content")["props"].get("children") is None
