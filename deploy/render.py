"""Write a complete nginx configuration for the dashboard, to put nginx in front of gunicorn.

    python -m deploy.render --out /srv/aura/nginx --listen 0.0.0.0:80 --upstream 127.0.0.1:8050
    nginx -c /srv/aura/nginx/nginx.conf -p /srv/aura/nginx

The folder receives `nginx.conf`, the French error pages (`__errors/*.html`) and the
folders nginx writes to (`logs/`, `temp/`, `cache/`). Why each setting:

- Buffering (on both ways): nginx reads a whole request before passing it on and
  takes a whole answer at once, so a slow client holds an nginx connection (cheap,
  event-driven), never a gunicorn thread.
- Slow-client timeouts: the headers and each body read must arrive within 10 s, each
  write to the client within 30 s; idle keep-alive connections close after 15 s.
- `client_max_body_size` is the app's own limit (`security.MAX_REQUEST_BYTES`, 4 MB).
- `proxy_read_timeout` comes from `config.PROXY_READ_TIMEOUT` (longer than the PNG
  renderer's and gunicorn's timeouts): a slow export ends with the app's answer.
- Compression is left to the app (flask-compress: brotli or gzip, already applied to
  every answer, including Dash's callback JSON): nginx passes it through (`gzip off`),
  so nothing is compressed twice and brotli clients keep brotli.
- Versioned files (Dash assets `?m=`, plotly.js `?v=`, Bootstrap under `/vendor/`,
  map layers `/geo/…?v=`, Dash's fingerprinted component suites) are answered by the
  app with `Cache-Control: public, max-age=31536000`; nginx keeps a copy
  (`proxy_cache`, which honours that header and caches nothing else) and browsers
  keep theirs for a year.
- nginx's own error pages, and the app's and gunicorn's error answers
  (`proxy_intercept_errors`), become French pages carrying the app's security
  headers (`deploy/errors.py`, from `dashboard.security`).

Re-render after changing AURA_FRAME_ANCESTORS: the pages' CSP is written in the file.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
from pathlib import Path

from dashboard import config, security

from . import errors

ERRORS_DIR = "__errors"
STATIC_PREFIXES = ("assets", "_dash-component-suites", "vendor", "geo")
"""Paths whose versioned answers the app marks as cacheable for a year."""

CLIENT_HEADER_TIMEOUT = 10
CLIENT_BODY_TIMEOUT = 10
SEND_TIMEOUT = 30
CLIENT_KEEPALIVE_TIMEOUT = 15
PROXY_CONNECT_TIMEOUT = 5
PROXY_SEND_TIMEOUT = 30
HEADER_BUFFER = "8k"
"""Size of nginx's large header buffers: the longest request line or header line it
accepts (414 / 431 beyond); gunicorn's limits (deploy/gunicorn.conf.py) are no lower."""

_HOST_PORT = re.compile(r"^(?:(?P<host>[A-Za-z0-9.\-]+|\[[0-9A-Fa-f:]+\]):)?(?P<port>\d{1,5})$")
_NAME = re.compile(r"^[A-Za-z0-9_.\-]+$")


class RenderError(ValueError):
    """Invalid rendering parameter (message in French)."""


def check_address(value: str, what: str, need_host: bool = False) -> str:
    """`host:port` (or `port` alone when `need_host` is false), else RenderError."""
    match = _HOST_PORT.match(value.strip())
    if not match or not 0 < int(match["port"]) < 65536 or (need_host and not match["host"]):
        example = "127.0.0.1:8050" if need_host else "0.0.0.0:80 ou 8080"
        raise RenderError(f"Adresse {what} invalide : « {value} » (exemple : {example}).")
    return value.strip()


def _quote(value: str) -> str:
    """A value as an nginx string (the policy contains spaces and quotes)."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def nginx_conf(out: Path, listen: str, upstream: str, worker_processes: str = "auto",
               user: str | None = None) -> str:
    """The text of nginx.conf for a configuration folder `out` (absolute)."""
    listen = check_address(listen, "d'écoute")
    upstream = check_address(upstream, "de gunicorn", need_host=True)
    if not (worker_processes == "auto" or worker_processes.isdigit()
            and int(worker_processes) > 0):
        raise RenderError(f"Nombre de processus nginx invalide : « {worker_processes} » "
                          "(un entier positif ou auto).")
    if user is not None and not _NAME.match(user):
        raise RenderError(f"Nom d'utilisateur invalide : « {user} ».")
    out = out.resolve()
    if re.search(r"[\s;{}'\"$#\\]", str(out)):
        raise RenderError(f"Dossier invalide pour nginx : « {out} » (ni espace, ni ; {{ }} ' \" "
                          "$ # \\ dans le chemin).")
    header_lines = "\n".join(
        f"            add_header {name} {_quote(value)} always;"
        for name, value in errors.headers().items())
    error_pages = "\n".join(
        f"        error_page {status} /{ERRORS_DIR}/{status}.html;"
        for status in errors.NGINX_STATUSES)
    static = "|".join(re.escape(p) for p in STATIC_PREFIXES)
    body_limit = f"{security.MAX_REQUEST_BYTES // 1024}k"
    user_line = f"user {user};\n" if user else ""
    return f"""# Written by deploy/render.py (python -m deploy.render): re-render rather than edit.
# Start: nginx -c {out}/nginx.conf -p {out}
{user_line}worker_processes {worker_processes};
pid {out}/nginx.pid;
error_log {out}/logs/error.log warn;

events {{
    worker_connections 1024;
}}

http {{
    default_type application/octet-stream;
    access_log {out}/logs/access.log;
    server_tokens off;

    client_body_temp_path {out}/temp/client_body;
    proxy_temp_path {out}/temp/proxy;
    fastcgi_temp_path {out}/temp/fastcgi;
    uwsgi_temp_path {out}/temp/uwsgi;
    scgi_temp_path {out}/temp/scgi;
    proxy_cache_path {out}/cache levels=1:2 keys_zone=aura_static:10m max_size=256m
                     inactive=30d use_temp_path=off;

    # Slow clients wait here, not in gunicorn.
    client_header_timeout {CLIENT_HEADER_TIMEOUT}s;
    client_body_timeout {CLIENT_BODY_TIMEOUT}s;
    send_timeout {SEND_TIMEOUT}s;
    keepalive_timeout {CLIENT_KEEPALIVE_TIMEOUT}s;
    keepalive_requests 1000;
    reset_timedout_connection on;
    client_header_buffer_size 1k;
    large_client_header_buffers 4 {HEADER_BUFFER};
    # The app's own limit (dashboard/security.py MAX_REQUEST_BYTES).
    client_max_body_size {body_limit};
    client_body_buffer_size 128k;

    # The app compresses its answers itself (brotli or gzip): passed through as they are.
    gzip off;

    upstream aura_dashboard {{
        server {upstream};
        keepalive 16;
        # Shorter than gunicorn's keepalive ({config.KEEPALIVE_TIMEOUT} s): nginx never
        # reuses a connection gunicorn is closing.
        keepalive_timeout {config.UPSTREAM_KEEPALIVE_TIMEOUT}s;
    }}

    server {{
        listen {listen};
        server_name _;

        # French pages with the app's security headers, for nginx's own errors and,
        # through proxy_intercept_errors, for the app's and gunicorn's.
{error_pages}
        error_page 494 =431 /{ERRORS_DIR}/431.html;

        location ^~ /{ERRORS_DIR}/ {{
            internal;
            root {out};
            default_type text/html;
            charset utf-8;
{header_lines}
            add_header Cache-Control "no-store" always;
        }}

        proxy_http_version 1.1;
        proxy_set_header Connection "";
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_buffering on;
        proxy_request_buffering on;
        proxy_buffer_size 16k;
        proxy_buffers 32 16k;
        proxy_busy_buffers_size 64k;
        proxy_connect_timeout {PROXY_CONNECT_TIMEOUT}s;
        proxy_send_timeout {PROXY_SEND_TIMEOUT}s;
        # dashboard/config.py PROXY_READ_TIMEOUT: longer than the renderer's and
        # gunicorn's timeouts.
        proxy_read_timeout {config.PROXY_READ_TIMEOUT}s;
        proxy_intercept_errors on;

        location / {{
            proxy_pass http://aura_dashboard;
        }}

        # Versioned files: cached as long as the app's Cache-Control says (one year).
        location ~ ^/({static})/ {{
            proxy_pass http://aura_dashboard;
            proxy_cache aura_static;
            proxy_cache_key $scheme$host$request_uri;
            proxy_cache_lock on;
            add_header X-Cache-Status $upstream_cache_status;
        }}
    }}
}}
"""


def _write(path: Path, text: str) -> None:
    """Write `text` whole or not at all (temporary file, then rename)."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def render(out: Path, listen: str = "127.0.0.1:8080", upstream: str = "127.0.0.1:8050",
           worker_processes: str = "auto", user: str | None = None) -> Path:
    """Write nginx.conf, the error pages and nginx's working folders into `out`;
    returns the path of nginx.conf."""
    out = Path(out).resolve()
    conf = nginx_conf(out, listen, upstream, worker_processes, user)  # checks first
    for sub in ("logs", "temp", "cache", ERRORS_DIR):
        (out / sub).mkdir(parents=True, exist_ok=True)
    for status in errors.NGINX_STATUSES:
        _write(out / ERRORS_DIR / f"{status}.html", errors.error_html(status))
    _write(out / "nginx.conf", conf)
    return out / "nginx.conf"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m deploy.render",
        description="Écrit la configuration nginx du tableau de bord (proxy inverse devant "
                    "gunicorn).")
    parser.add_argument("--out", required=True, type=Path,
                        help="dossier de la configuration (créé s'il manque)")
    parser.add_argument("--listen", default="127.0.0.1:8080",
                        help="adresse d'écoute de nginx (défaut 127.0.0.1:8080)")
    parser.add_argument("--upstream", default="127.0.0.1:8050",
                        help="adresse de gunicorn (défaut 127.0.0.1:8050)")
    parser.add_argument("--worker-processes", default="auto",
                        help="processus nginx (défaut auto : un par cœur)")
    parser.add_argument("--user", default=None,
                        help="utilisateur des processus nginx quand nginx est lancé en root")
    args = parser.parse_args(argv)
    try:
        conf = render(args.out, args.listen, args.upstream, args.worker_processes, args.user)
    except RenderError as exc:
        print(f"Erreur : {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"Erreur : impossible d'écrire dans {args.out} ({exc.strerror}).",
              file=sys.stderr)
        return 2
    print(f"Configuration écrite : {conf}")
    print(f"Démarrer nginx : nginx -c {conf} -p {conf.parent}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
