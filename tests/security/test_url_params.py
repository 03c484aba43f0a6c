"""Hostile query strings: each page's `layout(**query)` answers an unknown, malformed,
very long or script-bearing value with a French message (plain text, the echo cut
short) and never puts the value into HTML, Markdown or a link."""

from __future__ import annotations

import html as html_lib
import importlib
import inspect
import json
from urllib.parse import quote

import dash
import plotly.utils
import pytest

from dashboard.data.territories import MAX_ECHO

SCRIPT = "<script>alert(1)</script>"
LONG = SCRIPT * 400  # 10 kB
HOSTILE = [
    SCRIPT,
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    LONG,
    "12AB\u202e\u0000é",
    "999999999",  # well formed, unknown
    [SCRIPT, "javascript:alert(2)"],  # ?x=a&x=b arrives as a list
]
MARKERS = ("<script", "onerror", "javascript:", "<img")

ALERTS = {
    "regional": {"indicateur": "alerte-indicateur"},
    "territoire": dict.fromkeys(["epci", "commune", "compare", "departement"],
                                "territoire-message"),
    "programmes": dict.fromkeys(["seuil", "departement"], "alerte-programmes"),
    "bailleurs": dict.fromkeys(["epci", "departement"], "bailleurs-erreur"),
}
"""Page module -> {query parameter that means something: id of its French message}.
The pages themselves come from `dash.page_registry` (a page with no parameter needs
no entry); a parameter missing here fails `test_every_parameter_of_every_page_is_covered`."""
NOT_FOUND_PATH = "/inconnue"
"""An address no page has: Dash's router shows the 404 page."""


def _registered_pages() -> dict[str, dict]:
    """Short module name -> page record, for every page of the app."""
    import app  # noqa: F401  (registers the pages)

    return {page["module"].rsplit(".", 1)[-1]: page for page in dash.page_registry.values()}


PAGES = _registered_pages()
PATHS = {name: NOT_FOUND_PATH if name.endswith("404") else page["path"]
         for name, page in PAGES.items()}


@pytest.fixture(scope="module")
def pages(dashboard_app):
    return {name: importlib.import_module(page["module"]) for name, page in PAGES.items()}


def _params(module) -> list[str]:
    """Named query parameters of a page's layout, and one it does not know."""
    sig = inspect.signature(module.layout)
    named = [p.name for p in sig.parameters.values() if p.kind is p.POSITIONAL_OR_KEYWORD]
    return [*named, "inconnu"]


def _tree(component) -> object:
    return json.loads(json.dumps(component, cls=plotly.utils.PlotlyJSONEncoder))


def _components(node):
    """Every serialized component (dict with type/namespace/props) under `node`."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if {"type", "namespace", "props"} <= item.keys():
                yield item
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def _strings(value, path=()):
    """(path, string) for every string inside a prop value."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        if {"type", "namespace", "props"} <= value.keys():
            return  # a nested component: visited on its own
        for k, v in value.items():
            yield from _strings(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _strings(v, (*path, i))


def _text(component: dict) -> str:
    return " ".join(s for c in _components(component) for _, s in
                    _strings(c["props"].get("children")))


def assert_safe(tree, value) -> None:
    """`value` (untrusted) reaches the layout only as short plain text."""
    values = value if isinstance(value, list) else [value]
    for comp in _components(tree):
        props = comp["props"]
        assert "dangerouslySetInnerHTML" not in props, comp["type"]
        assert not props.get("dangerously_allow_html"), comp["type"]
        for key, prop in props.items():
            if key == "children":
                continue  # text: React escapes it
            for path, s in _strings(prop, (key,)):
                low = s.lower()
                if path[0] in ("href", "src", "action", "formAction"):
                    assert not low.lstrip().startswith("javascript:"), (comp["type"], path, s)
                for marker in MARKERS:
                    assert marker not in low, (comp["type"], path, s[:80])
                for v in values:
                    if len(v.strip()) > 3:
                        assert v not in s, (comp["type"], path)
    text = json.dumps(tree, ensure_ascii=False)
    for v in values:
        if len(v) > MAX_ECHO + 1:
            assert v[:MAX_ECHO + 1] not in text  # the echo is cut short


def _by_id(tree, component_id: str) -> dict | None:
    return next((c for c in _components(tree) if c["props"].get("id") == component_id), None)


@pytest.mark.parametrize("page", list(PAGES))
def test_every_parameter_of_every_page_is_covered(pages, page):
    """A parameter added to a layout must be added to ALERTS (message expected) here."""
    known = {*ALERTS.get(page, {}), "inconnu", "mode"}
    assert set(_params(pages[page])) <= known, _params(pages[page])


@pytest.mark.parametrize("page", list(PAGES))
def test_hostile_values_become_french_messages(pages, page):
    module = pages[page]
    for param in _params(module):
        for value in HOSTILE:
            tree = _tree(module.layout(**{param: value}))
            assert_safe(tree, value)
            alert_id = ALERTS.get(page, {}).get(param)
            if alert_id is None:
                continue
            alert = _by_id(tree, alert_id)
            assert alert is not None, (page, param, value if len(value) < 50 else "long")
            text = _text(alert)
            assert any(w in text for w in ("n'est pas", "Aucun", "ne convient pas",
                                            "n'appartient")), text[:200]
            assert alert["type"] == "Alert"  # dbc.Alert of messages.problem, with a way back
            assert any(c["type"] == "Link" for c in _components(alert))


@pytest.mark.parametrize("page", list(PAGES))
def test_all_parameters_hostile_at_once(pages, page):
    module = pages[page]
    query = {p: SCRIPT for p in _params(module)}
    assert_safe(_tree(module.layout(**query)), SCRIPT)
    query = {p: LONG for p in _params(module)}
    assert_safe(_tree(module.layout(**query)), LONG)


@pytest.mark.parametrize("page", list(PAGES))
def test_the_router_serves_hostile_urls(client, page):
    """Through Dash's real page router (a callback request as the browser sends it)."""
    deps = client.get("/_dash-dependencies").get_json()
    router = next(d for d in deps if "_pages_content" in d["output"])
    params = [*ALERTS.get(page, {}), "inconnu"]
    search = "?" + "&".join(f"{p}={quote(SCRIPT)}" for p in params)
    body = {
        "output": router["output"],
        "outputs": [{"id": "_pages_content", "property": "children"},
                    {"id": "_pages_store", "property": "data"}],
        "inputs": [{"id": "_pages_location", "property": "pathname", "value": PATHS[page]},
                   {"id": "_pages_location", "property": "search", "value": search}],
        "changedPropIds": ["_pages_location.pathname"],
    }
    resp = client.post("/_dash-update-component", json=body)
    assert resp.status_code == 200
    content = resp.get_json()["response"]["_pages_content"]["children"]
    assert_safe(content, SCRIPT)


def test_the_html_page_escapes_the_url(client):
    """Dash puts the address in <meta property="twitter:url">: escaped."""
    raw = '"><script>alert(1)</script><img src=x onerror=alert(1)>'
    resp = client.get("/territoire?epci=" + quote(raw) + "&x=" + quote(SCRIPT))
    assert resp.status_code == 200
    page = resp.get_data(as_text=True)
    assert "alert(1)" in page  # reflected in the meta tag...
    assert html_lib.escape(SCRIPT, quote=True) in page  # ...escaped
    assert SCRIPT not in page
    assert "<img" not in page
    assert '="&quot;&gt;&lt;script' in page or "epci=&quot;&gt;&lt;script" in page


def test_every_registered_page_is_checked():
    """The lists above come from the page registry: each page of the app is in them."""
    assert {"regional", "territoire", "programmes", "bailleurs", "methode",
            "not_found_404"} <= set(PAGES)
    assert set(ALERTS) <= set(PAGES)
