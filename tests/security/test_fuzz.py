"""Tampered callback requests: malformed bodies get a short French 4xx, never a 5xx,
a traceback or an internal detail; valid requests keep working; memory stays flat.

The full run over HTTP against gunicorn is `python bench/fuzz.py --n 5000`.
"""

from __future__ import annotations

import json
import logging
import random

import dash
import pytest

from bench import fuzz
from dashboard import security

DISPATCH = "/_dash-update-component"


@pytest.fixture(scope="module")
def dependencies(client) -> list[dict]:
    return client.get("/_dash-dependencies").get_json()


@pytest.fixture(scope="module")
def templates(dependencies) -> list[dict]:
    found = fuzz.server_callbacks(dependencies)
    assert len(found) >= 10  # the tests looping over them check something
    return found


@pytest.fixture
def quiet():
    """Refused requests are logged (info) and that is expected here."""
    logging.disable(logging.CRITICAL)
    yield
    logging.disable(logging.NOTSET)


def _post(client, body, content_type="application/json"):
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    return client.post(DISPATCH, data=data, headers={"Content-Type": content_type})


def _assert_short_french(resp, status: int) -> None:
    assert resp.status_code == status
    assert resp.mimetype == "text/plain"
    text = resp.get_data(as_text=True)
    assert text.strip() == security.ERROR_MESSAGES[status]
    assert fuzz.problem_with(resp.status_code, resp.content_type, text) is None


# --- the generator -------------------------------------------------------------------------

def test_generator_is_seeded_and_covers_every_kind(dependencies):
    a = fuzz.generate_bodies(120, seed=3, dependencies=dependencies)
    b = fuzz.generate_bodies(120, seed=3, dependencies=dependencies)
    assert [(c.kind, c.body, c.content_type) for c in a] == \
        [(c.kind, c.body, c.content_type) for c in b]
    assert {c.kind for c in a} == {k for k, _ in fuzz.KINDS}
    assert fuzz.generate_bodies(120, seed=4, dependencies=dependencies) != a


def test_valid_bodies_are_what_the_browser_sends(client, templates):
    """Every server callback answers the generator's unmodified body (200 or 204)."""
    for case, expected in fuzz.valid_checks(random.Random(0), templates):
        resp = client.post(DISPATCH, data=case.body,
                           headers={"Content-Type": case.content_type})
        assert resp.status_code in expected, case.body[:200]


def test_valid_values_name_inputs_of_the_app(dependencies):
    """The fuzzer's hand-picked values are for inputs the app still has (the others
    get a value by property)."""
    inputs = {(dep["id"], dep["property"]) for d in dependencies
              for dep in d["inputs"] + d["state"]}
    assert set(fuzz.VALID_BY_ID) - inputs == set()
    assert fuzz.PAGE_LOCATION in inputs


def test_page_paths_are_the_registered_pages(client):
    """The router's valid paths come from the app: its menu (the page registry)."""
    expected = sorted(p["path"] for p in dash.page_registry.values()
                      if not p["module"].endswith("not_found_404"))
    assert len(expected) >= 5
    assert fuzz.paths_in_layout(client.get("/_dash-layout").get_json()) == expected
    assert sorted(fuzz.page_paths()) == expected


# --- the fast subset ----------------------------------------------------------------------

def test_fuzzed_bodies_are_refused_cleanly_and_memory_stays_flat(client, quiet):
    """600 bodies in two batches of 300: every answer is 200/204 or a short French
    4xx, valid requests work between and after, and the second batch (caches and
    allocator already warm) grows the process by less than 64 MB."""
    first = fuzz.run(client, 300, seed=11)
    second = fuzz.run(client, 300, seed=12)
    for report in (first, second):
        assert report.ok, fuzz.summary(report)
        assert report.sent == 300
        assert not any(s >= 500 for s in report.by_status)
        assert sum(report.by_status[s] for s in (400, 413, 415)) > 100
        assert report.by_status[200] > 50
    growth = second.rss_after_mb[0] - second.rss_before_mb[0]
    assert growth < 64, fuzz.summary(second)
    assert first.rss_after_mb[0] - first.rss_before_mb[0] < 250


# --- specific refusals --------------------------------------------------------------------

def test_invalid_json_is_400(client):
    _assert_short_french(_post(client, b'{"output": '), 400)


def test_deep_nesting_is_400(client, templates):
    _assert_short_french(_post(client, b"[" * 5000 + b"]" * 5000), 400)
    body = fuzz.valid_body(random.Random(0), templates[0])
    body["inputs"][0]["value"] = json.loads("[" * 100 + "]" * 100)
    _assert_short_french(_post(client, body), 400)


def test_too_large_body_is_413(client):
    body = b'{"output": "' + b"x" * (security.MAX_REQUEST_BYTES + 1) + b'"}'
    _assert_short_french(_post(client, body), 413)


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded",
                                          "multipart/form-data; boundary=x"])
def test_wrong_content_type_is_415(client, templates, content_type):
    body = fuzz.valid_body(random.Random(0), templates[0])
    _assert_short_french(_post(client, body, content_type), 415)


def test_unknown_and_clientside_outputs_are_400(client, templates):
    body = fuzz.valid_body(random.Random(0), templates[0])
    for output in ["inconnu.children", "programmes-url.data", "<script>alert(1)</script>"]:
        _assert_short_french(_post(client, {**body, "output": output}), 400)


def test_pathname_outside_the_app_is_400(client, templates):
    router = next(t for t in templates if "_pages_content" in t["output"])
    body = fuzz.valid_body(random.Random(0), router)
    body["inputs"][0]["value"] = "<script>alert(1)</script>"
    _assert_short_french(_post(client, body), 400)
    body["inputs"][0]["value"] = ["/"]  # a Location's pathname is a string
    _assert_short_french(_post(client, body), 400)


def test_a_hostile_search_reaches_the_page_as_a_french_message(client, templates):
    """Through Dash's router: a script in the query string is a message, as text."""
    router = next(t for t in templates if "_pages_content" in t["output"])
    body = fuzz.valid_body(random.Random(0), router)
    body["inputs"][0]["value"] = "/territoire"
    body["inputs"][1]["value"] = "?epci=<script>alert(1)</script>"
    resp = _post(client, body)
    assert resp.status_code == 200
    assert resp.mimetype == "application/json"
    text = json.dumps(resp.get_json(), ensure_ascii=False)
    assert "« <script>alert(1)</script> » n'est pas un code d'intercommunalité valide" in text
    assert "dangerouslySetInnerHTML" not in text


# --- the shape check (pure function) ------------------------------------------------------

def test_dispatch_problem_accepts_the_browsers_body(dashboard_app, templates):
    rng = random.Random(0)
    for template in templates:
        body = fuzz.valid_body(rng, template)
        assert security.dispatch_problem(body, dashboard_app.callback_map) is None, template


def test_dispatch_problem_refuses_each_mismatch(dashboard_app, templates):
    cmap = dashboard_app.callback_map
    multi = next(t for t in templates if len(t["inputs"]) >= 2 and t["output"].startswith(".."))
    good = fuzz.valid_body(random.Random(0), multi)

    def changed(**kv):
        return {**json.loads(json.dumps(good)), **kv}

    swapped = list(reversed(good["inputs"]))
    assert security.dispatch_problem(changed(inputs=swapped), cmap) == "inputs do not match"
    assert security.dispatch_problem(changed(inputs=good["inputs"][:1]), cmap) == \
        "inputs do not match"
    assert security.dispatch_problem(changed(outputs=good["outputs"][:-1]), cmap) == \
        "outputs do not match"
    assert security.dispatch_problem(changed(outputs=good["outputs"][0]), cmap) is not None
    assert security.dispatch_problem(changed(changedPropIds=["x.value"]), cmap) == \
        "unknown changedPropIds"
    assert security.dispatch_problem(changed(changedPropIds="x"), cmap) is not None
    assert security.dispatch_problem(changed(state=[{"id": "a", "property": "b"}]), cmap) == \
        "state does not match"
    assert security.dispatch_problem(changed(inputs="x"), cmap) is not None
    assert security.dispatch_problem([good], cmap) == "body is not an object"
    assert security.dispatch_problem(changed(output=None), cmap) == "unknown output"


def test_allow_duplicate_outputs_keep_their_hash(dashboard_app, templates):
    dup = next(t for t in templates if "@" in t["output"])
    body = fuzz.valid_body(random.Random(0), dup)
    assert security.dispatch_problem(body, dashboard_app.callback_map) is None


def test_json_depth():
    assert security.json_depth(1) == 0
    assert security.json_depth([]) == 1
    assert security.json_depth({"a": [{"b": [1]}]}) == 4
    deep = []
    for _ in range(10_000):  # no recursion: far deeper than Python's stack allows
        deep = [deep]
    assert security.json_depth(deep) > security.MAX_JSON_DEPTH


def test_largest_legitimate_body_fits_the_limit(dashboard_app):
    """The Excel export of the hors-programme list at the lowest threshold sends the
    grid's rows back: it must fit under MAX_REQUEST_BYTES, with room to spare."""
    from dashboard.data import programmes as P
    from dashboard.views import programmes

    rows = programmes.hors_programme_view(P.MIN_SEUIL, None).rows
    size = len(json.dumps(rows).encode())
    assert size * 2 < security.MAX_REQUEST_BYTES
    assert security.json_depth({"state": [{"value": rows}]}) <= security.MAX_JSON_DEPTH


@pytest.mark.parametrize("compare", [5, 3.5, True, {"a": 1}, "200071140", None])
def test_territory_navigation_takes_any_compare_value(dashboard_app, compare):
    """Found by the fuzzer: a number as the multi-dropdown's value raised a TypeError."""
    from dashboard.pages import territoire

    href, _kept = territoire.navigation("200072015", None, compare, None, "")
    assert href is dash.no_update or href.startswith("/territoire?epci=200072015")


def test_memory_growth_of_a_run_shorter_than_the_checkpoint_interval():
    report = fuzz.Report(sent=200, rss_before_mb=[100.0, 110.0], rss_after_mb=[104.0, 111.0])
    assert report.growth_mb() == 4.0
    assert report.growth_mb(since=0.5) == 4.0  # no checkpoint after half: from the start
