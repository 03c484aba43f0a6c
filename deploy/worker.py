"""gunicorn's threaded worker, answering its own errors in French with the app's headers.

gunicorn refuses some requests before the app sees them (invalid request line or
header: 400; request line too long: 414; too many or too large headers: 431;
an error outside the app: 500) and writes them with `gunicorn.util.write_error`,
an English page without the security headers. This worker replaces that function,
in its own process only, by `deploy.errors.http_response`: same statuses, French
page, CSP / nosniff / Referrer-Policy / frame-ancestors. Status selection, logging
and the access log stay gunicorn's (`Worker.handle_error`).

Behind nginx these answers are also replaced by nginx's French pages
(`proxy_intercept_errors`); this worker covers gunicorn served directly
(`make run`, a Procfile host).
"""

from __future__ import annotations

import socket

from gunicorn import util
from gunicorn.workers.gthread import ThreadWorker

from . import errors


def write_error(sock: socket.socket, status_int: int, reason: str, mesg: str) -> None:
    """Drop-in for `gunicorn.util.write_error`: the French page for `status_int`
    (gunicorn's technical detail `mesg` goes to its log, not to the client)."""
    util.write_nonblock(sock, errors.http_response(status_int, reason))


class FrenchThreadWorker(ThreadWorker):
    """`gthread` worker whose own error answers are French pages with security headers."""

    def init_process(self) -> None:
        util.write_error = write_error
        super().init_process()
