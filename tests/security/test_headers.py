"""Security headers on every answer, frame-ancestors from the environment, cache
headers of static files, French error answers."""

from __future__ import annotations

import logging
import re
from types import SimpleNamespace

import flask
import pytest

from dashboard import security


def _csp(resp) -> dict[str, list[str]]:
    policy = resp.headers["Content-Security-Policy"]
    directives = {}
    for part in policy.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


@pytest.mark.parametrize("path", ["/", "/territoire?epci=200072015", "/_dash-layout",
                                  "/_dash-dependencies", "/vendor/bootstrap/absent.css",
                                  "/assets/style.css"])
def test_every_answer_carries_the_headers(client, path):
    resp = client.get(path)
    csp = _csp(resp)
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"][0] == "'self'"
    assert all(s == "'self'" or re.fullmatch(r"'sha256-[A-Za-z0-9+/]+=*'", s)
               for s in csp["script-src"]), csp["script-src"]
    assert "'unsafe-inline'" not in csp["script-src"]
    assert "'unsafe-eval'" not in csp["script-src"]
    assert csp["object-src"] == ["'none'"]
    assert csp["connect-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'self'"]
    assert csp["base-uri"] == ["'self'"]
    # Nothing from another origin anywhere in the policy.
    sources = [s for values in csp.values() for s in values]
    assert not [s for s in sources if "://" in s or s == "*"], sources
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_the_csp_hashes_are_the_pages_inline_scripts(client):
    """Each inline <script> of the page is allowed by its hash, and only those."""
    import base64
    import hashlib

    resp = client.get("/")
    page = resp.get_data(as_text=True)
    inline = re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>(.*?)</script>",
                        page, re.S)
    hashes = {"'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'"
              for s in inline}
    assert hashes and hashes == set(_csp(resp)["script-src"][1:])


@pytest.mark.parametrize(("raw", "expected"), [
    (None, "'self'"),
    ("https://www.aura-hlm.org", "https://www.aura-hlm.org"),
    ("'self' https://www.aura-hlm.org, https://*.aura-hlm.org:8443",
     "'self' https://www.aura-hlm.org https://*.aura-hlm.org:8443"),
    ("*", "'self'"),
    ("https://*", "'self'"),
    ("'unsafe-inline' javascript: data: https://ok.example.org",
     "https://ok.example.org"),
    ("https://a.example.org;script-src *", "'self'"),
    ("'none'", "'none'"),
    ("   ", "'self'"),
])
def test_frame_ancestors_from_the_environment(monkeypatch, raw, expected):
    if raw is None:
        monkeypatch.delenv(security.FRAME_ANCESTORS_ENV, raising=False)
    else:
        monkeypatch.setenv(security.FRAME_ANCESTORS_ENV, raw)
    assert security.frame_ancestors() == expected
    policy = security.content_security_policy([])
    assert f"frame-ancestors {expected}" in policy


def test_assets_with_dashs_stamp_are_cached_for_a_year(client):
    page = client.get("/").get_data(as_text=True)
    stamped = re.search(r'href="(/assets/style\.css\?m=[0-9.]+)"', page).group(1)
    resp = client.get(stamped)
    assert resp.status_code == 200
    assert resp.cache_control.max_age >= 365 * 24 * 3600
    assert resp.cache_control.public
    # Without the stamp the file may change under the same URL: revalidate.
    bare = client.get("/assets/style.css")
    assert not bare.cache_control.max_age


def test_component_suites_and_vendor_files_are_cached(client):
    page = client.get("/").get_data(as_text=True)
    suites = re.findall(r'src="(/_dash-component-suites/[^"]+)"', page)
    assert suites
    for url in suites[:3]:
        resp = client.get(url)
        assert resp.status_code == 200
        assert resp.cache_control.max_age >= 30 * 24 * 3600, url
    resp = client.get("/vendor/bootstrap/css/bootstrap.min.css")
    assert resp.cache_control.max_age >= 30 * 24 * 3600


def test_the_page_does_not_tell_the_python_build(client):
    page = client.get("/").get_data(as_text=True)
    assert '"python_version"' not in page
    assert '"ui": false' in page.replace('"ui":false', '"ui": false')


@pytest.mark.parametrize("path", [
    "/_dash-component-suites/dash/inconnu<b>.js",
    "/_dash-component-suites/%3Cscript%3Ealert(1)%3C%2Fscript%3E/x.js",
    "/_dash-component-suites/os/path.js",
])
def test_unknown_component_files_are_a_french_404(client, path):
    resp = client.get(path)
    assert resp.status_code == 404
    assert resp.mimetype == "text/plain"
    assert resp.get_data(as_text=True).strip() == security.ERROR_MESSAGES[404]
    assert "Content-Security-Policy" in resp.headers


def test_reload_hash_is_closed_in_production(client):
    assert client.get("/_reload-hash").status_code == 404


def test_wrong_method_is_a_french_405(client):
    resp = client.put("/_dash-update-component")
    assert resp.status_code == 405
    assert "POST" in resp.headers["Allow"]
    assert resp.get_data(as_text=True).strip() == security.ERROR_MESSAGES[405]


def test_an_exception_becomes_a_french_500_logged_on_the_server(caplog):
    """The handlers on a bare Flask app: the client gets one French sentence, the
    server log gets the traceback."""
    server = flask.Flask("essai")

    @server.route("/boum")
    def boom():
        raise RuntimeError("détail interne /srv/secret.py")

    security._install_error_handlers(SimpleNamespace(server=server))
    with caplog.at_level(logging.ERROR):
        resp = server.test_client().get("/boum")
    assert resp.status_code == 500
    body = resp.get_data(as_text=True)
    assert body.strip() == security.ERROR_MESSAGES[500]
    assert "secret" not in body and "RuntimeError" not in body
    assert "RuntimeError" in caplog.text and "secret.py" in caplog.text
