"""nginx in front of gunicorn, as deployed: Debian's nginx on a configuration rendered
by deploy/render.py, gunicorn with deploy/gunicorn.conf.py, both on free local ports.

- 20 slow clients (one header line a second) do not stall cheap requests through
  the proxy; the same clients against bare sync gunicorn (the former `make run`) do.
- nginx's own errors, and the app's and gunicorn's through nginx, are French pages
  with the app's security headers; so are gunicorn's own refusals when served directly.
- Versioned files are cached by nginx.

Needs the shared lock (gunicorn, nginx): flock /tmp/aura-browser.lock ...
"""

from __future__ import annotations

import http.client
import re
import select
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from dashboard import security
from deploy import errors
from tests.servers import Gunicorn, Nginx, free_port

SLOW_CLIENTS = 20
SLOW_INTERVAL = 1.0
SLOW_MAX_LINES = 15
"""Each slow client sends at most this many header lines (one per SLOW_INTERVAL)."""
PROBE_REQUESTS = 20
MIN_PROBE_REQUESTS = 5
"""Probe requests that must complete while all the slow clients are connected."""
PROBE_TIMEOUT = 10.0
"""Socket timeout of a probe request: reaching it fails the probe (not a timing assert)."""


def fetch(port: int, path: str = "/", method: str = "GET", body: bytes | None = None,
          headers: dict[str, str] | None = None, timeout: float = 30.0
          ) -> tuple[int, http.client.HTTPMessage, bytes]:
    """One request to 127.0.0.1:`port`; error statuses are returned, not raised."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, resp.headers, resp.read()
    finally:
        conn.close()


def _complete(answer: bytes) -> bool:
    """Whether `answer` holds a whole HTTP answer (headers and Content-Length bytes)."""
    head, sep, body = answer.partition(b"\r\n\r\n")
    match = re.search(rb"(?im)^content-length: *(\d+)", head)
    return bool(sep and match and len(body) >= int(match.group(1)))


def raw(port: int, data: bytes, timeout: float = 30.0) -> tuple[int, dict[str, str], str]:
    """Send raw bytes, read one whole answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(data)
        answer = b""
        try:
            while not _complete(answer) and (chunk := sock.recv(65536)):
                answer += chunk
        except ConnectionResetError:
            # nginx may reset a refused request's connection after its answer.
            if not answer:
                raise
    head, _, body = answer.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {k.lower(): v for k, v in (line.split(": ", 1) for line in lines[1:])}
    return int(lines[0].split()[1]), headers, body.decode("utf-8")


def assert_french_page(status: int, headers, body: bytes | str, expected: int) -> None:
    """A French error page with the app's security headers (no script hash)."""
    text = body.decode("utf-8") if isinstance(body, bytes) else body
    get = headers.get if hasattr(headers, "get") else dict(headers).get
    assert status == expected
    assert '<html lang="fr">' in text and f"({expected})" in text
    assert errors.message(expected).split(" :")[0] in text.replace("&#x27;", "'")
    assert (get("Content-Security-Policy") or get("content-security-policy")
            ) == security.content_security_policy([])
    assert (get("X-Content-Type-Options") or get("x-content-type-options")) == "nosniff"
    assert (get("Referrer-Policy") or get("referrer-policy")
            ) == "strict-origin-when-cross-origin"
    assert "frame-ancestors 'self'" in (get("Content-Security-Policy")
                                        or get("content-security-policy"))
    assert "text/html" in (get("Content-Type") or get("content-type"))


class SlowClients:
    """`n` connections that each send a request line, then one header line every
    `interval` seconds, never finishing (at most `max_lines` lines)."""

    def __init__(self, port: int, n: int = SLOW_CLIENTS, interval: float = SLOW_INTERVAL,
                 max_lines: int = SLOW_MAX_LINES):
        self.socks = [socket.create_connection(("127.0.0.1", port), timeout=5)
                      for _ in range(n)]
        for sock in self.socks:
            sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        self.lines_sent = 0
        self.errors: list[str] = []
        self.stopping = threading.Event()
        self.progress = threading.Condition()
        self.interval, self.max_lines = interval, max_lines
        self.thread = threading.Thread(target=self._drip, daemon=True)
        self.thread.start()

    def _drip(self) -> None:
        for line in range(self.max_lines):
            if self.stopping.wait(self.interval):
                return
            for i, sock in enumerate(self.socks):
                try:
                    sock.sendall(f"X-Slow-{line}: {i}\r\n".encode())
                except OSError as exc:
                    self.errors.append(f"client {i}: {exc}")
            with self.progress:
                self.lines_sent = line + 1
                self.progress.notify_all()

    def wait_lines(self, lines: int, timeout: float = 10.0) -> bool:
        """Bounded wait until every client has sent `lines` header lines."""
        with self.progress:
            return self.progress.wait_for(lambda: self.lines_sent >= lines, timeout)

    def answered(self) -> list[int]:
        """Clients the server has answered or closed (readable sockets)."""
        readable, _, _ = select.select(self.socks, [], [], 0)
        return [self.socks.index(s) for s in readable]

    def close(self) -> None:
        self.stopping.set()
        self.thread.join(timeout=5)
        for sock in self.socks:
            sock.close()


@pytest.fixture(scope="module")
def gunicorn() -> Iterator[Gunicorn]:
    server = Gunicorn.deployed()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def nginx(gunicorn, tmp_path_factory) -> Iterator[Nginx]:
    proxy = Nginx(tmp_path_factory.mktemp("nginx"), upstream=f"127.0.0.1:{gunicorn.port}")
    try:
        yield proxy
    finally:
        proxy.stop()


def test_slow_clients_do_not_stall_the_site_behind_nginx(nginx):
    assert fetch(nginx.port, "/")[0] == 200  # warm
    slow = SlowClients(nginx.port)
    try:
        assert slow.wait_lines(2), "slow clients did not start"
        assert slow.answered() == []
        # Cheap requests, one after another, while every slow client is connected and
        # unanswered (nginx itself cuts them when its client_header_timeout expires:
        # the probe stops there). A probe request reaching its socket timeout fails.
        statuses, while_pending = [], 0
        for _ in range(PROBE_REQUESTS):
            statuses.append(fetch(nginx.port, "/", timeout=PROBE_TIMEOUT)[0])
            if slow.answered():
                break
            while_pending += 1
    finally:
        slow.close()
    assert statuses == [200] * len(statuses)
    assert while_pending >= MIN_PROBE_REQUESTS


def test_the_same_slow_clients_block_bare_sync_gunicorn():
    """The contrast: the former `make run` (2 sync workers, no proxy) is blocked."""
    bare = Gunicorn(["app:server", "--preload", "-w", "2", "-b", "127.0.0.1:0",
                     "--no-control-socket"])
    try:
        assert fetch(bare.port, "/")[0] == 200
        slow = SlowClients(bare.port)
        try:
            assert slow.wait_lines(2), "slow clients did not start"
            with pytest.raises(TimeoutError):
                fetch(bare.port, "/", timeout=3)
        finally:
            slow.close()
    finally:
        bare.stop()


# --- error pages -------------------------------------------------------------------------

def test_uri_too_long_through_nginx(nginx):
    assert_french_page(*fetch(nginx.port, "/" + "a" * 9000), expected=414)


def test_header_too_large_through_nginx(nginx):
    assert_french_page(*fetch(nginx.port, "/", headers={"X-Big": "a" * 9000}), expected=431)


def test_body_too_large_through_nginx(nginx):
    # nginx refuses on Content-Length alone: the body is never sent.
    request = (f"POST /_dash-update-component HTTP/1.1\r\nHost: 127.0.0.1\r\n"
               f"Content-Type: application/json\r\n"
               f"Content-Length: {security.MAX_REQUEST_BYTES + 1}\r\n\r\n").encode()
    assert_french_page(*raw(nginx.port, request), expected=413)


def test_garbage_request_through_nginx(nginx):
    assert_french_page(*raw(nginx.port, b"GARBAGE\r\n\r\n"), expected=400)


def test_apps_own_errors_become_the_french_pages(nginx):
    """proxy_intercept_errors: the app's 400 (invalid callback body) and 404."""
    status, headers, body = fetch(nginx.port, "/_dash-update-component", "POST", b"{",
                                  {"Content-Type": "application/json"})
    assert_french_page(status, headers, body, expected=400)
    assert_french_page(*fetch(nginx.port, "/vendor/bootstrap/nothing.txt"), expected=404)


def test_upstream_down_is_a_french_502(tmp_path):
    proxy = Nginx(tmp_path, upstream=f"127.0.0.1:{free_port()}")
    try:
        assert_french_page(*fetch(proxy.port, "/"), expected=502)
    finally:
        proxy.stop()


def test_gunicorn_refusals_are_french_when_served_directly(gunicorn):
    assert_french_page(*fetch(gunicorn.port, "/" + "a" * 9000), expected=414)
    many = "".join(f"X-{i}: a\r\n" for i in range(150))
    assert_french_page(*raw(gunicorn.port, f"GET / HTTP/1.1\r\nHost: x\r\n{many}\r\n"
                            .encode()), expected=431)
    assert_french_page(*raw(gunicorn.port, b"GARBAGE\r\n\r\n"), expected=400)


# --- normal answers ----------------------------------------------------------------------

def test_pages_keep_the_apps_headers_through_nginx(nginx):
    status, headers, body = fetch(nginx.port, "/", headers={"Accept-Encoding": "gzip"})
    assert status == 200
    policies = headers.get_all("Content-Security-Policy")
    assert len(policies) == 1 and "'sha256-" in policies[0]  # the app's, not nginx's
    assert headers["Content-Encoding"] == "gzip"  # the app's compression, passed through


def test_versioned_files_are_cached_by_nginx(nginx):
    page = fetch(nginx.port, "/")[2].decode("utf-8")
    versioned = re.findall(r'(?:src|href)="(/(?:assets|vendor)/[^"]+\?[mv]=[^"]+)"', page)
    assert versioned, "no versioned file in the home page"
    path = versioned[0].replace("&amp;", "&")
    first = fetch(nginx.port, path)
    second = fetch(nginx.port, path)
    assert first[0] == second[0] == 200
    assert second[1]["X-Cache-Status"] == "HIT"
    assert "max-age=31536000" in second[1]["Cache-Control"]
    assert second[1]["Content-Security-Policy"] == first[1]["Content-Security-Policy"]
    assert second[2] == first[2]


def test_nginx_logs_no_error(nginx):
    log = (Path(nginx.out) / "logs" / "error.log")
    text = log.read_text() if log.exists() else ""
    assert "[emerg]" not in text and "[crit]" not in text
