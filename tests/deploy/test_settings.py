"""The deployment settings agree with each other and with the app (no server started,
except `nginx -t` on a rendered configuration)."""

from __future__ import annotations

import re
import runpy
import socket
import subprocess
from pathlib import Path

import pytest

from dashboard import config, security
from dashboard.export import png
from deploy import errors, render, worker
from tests.servers import GUNICORN_CONF, NGINX, ROOT


@pytest.fixture(scope="module")
def gunicorn_settings() -> dict:
    return runpy.run_path(str(ROOT / GUNICORN_CONF))


@pytest.fixture(scope="module")
def conf_text(tmp_path_factory) -> str:
    out = tmp_path_factory.mktemp("nginx")
    return render.render(out, listen="127.0.0.1:8080", upstream="127.0.0.1:8050").read_text()


def _seconds(conf: str, directive: str) -> int:
    match = re.search(rf"^\s*{directive} (\d+)s;", conf, re.MULTILINE)
    assert match, directive
    return int(match.group(1))


def test_timeouts_agree(gunicorn_settings, conf_text):
    """Renderer < gunicorn's worker timeout <= nginx's proxy_read_timeout, and nginx
    drops idle upstream connections before gunicorn does."""
    assert gunicorn_settings["timeout"] == config.WORKER_TIMEOUT
    assert config.RENDER_TIMEOUT < gunicorn_settings["timeout"]
    assert gunicorn_settings["timeout"] <= _seconds(conf_text, "proxy_read_timeout")
    assert _seconds(conf_text, "proxy_read_timeout") == config.PROXY_READ_TIMEOUT
    # The first keepalive_timeout is the clients', the last one the upstream's.
    upstream_keepalive = re.findall(r"^\s*keepalive_timeout (\d+)s;", conf_text, re.MULTILINE)
    assert int(upstream_keepalive[-1]) < gunicorn_settings["keepalive"]


def test_the_renderer_uses_the_configured_timeout(monkeypatch):
    """png.py starts kaleido with config.RENDER_TIMEOUT (no renderer is started)."""
    import kaleido

    seen = {}
    monkeypatch.setattr(kaleido, "start_sync_server",
                        lambda **kwargs: seen.update(kwargs))
    monkeypatch.setattr(png, "_started", False)
    monkeypatch.setattr(png, "chromium_path", lambda: "/usr/bin/chromium")
    png._start()
    assert seen["timeout"] == config.RENDER_TIMEOUT


def test_gunicorn_settings(gunicorn_settings):
    s = gunicorn_settings
    assert s["wsgi_app"] == "app:server"
    assert s["worker_class"] == "deploy.worker.FrenchThreadWorker"
    assert (s["workers"], s["threads"], s["preload_app"]) == (2, 4, True)
    assert s["control_socket_disable"] is True
    assert s["graceful_timeout"] == config.GRACEFUL_TIMEOUT
    # Not below nginx's header buffer: behind nginx, nginx refuses first.
    buffer = int(render.HEADER_BUFFER.rstrip("k")) * 1024
    assert s["limit_request_line"] >= buffer - 2
    assert s["limit_request_field_size"] >= buffer - 2
    assert "config" not in s  # a gunicorn setting: never a module-level name here


def test_every_name_of_the_gunicorn_file_is_a_valid_setting():
    """gunicorn reads every module-level name that is a setting: load the file as
    gunicorn does and check each value is accepted."""
    from gunicorn.config import Config

    cfg = Config()
    for name, value in runpy.run_path(str(ROOT / GUNICORN_CONF)).items():
        if name in cfg.settings:
            cfg.set(name, value)  # raises on an invalid value
    assert cfg.worker_class_str == "deploy.worker.FrenchThreadWorker"
    assert cfg.worker_class is worker.FrenchThreadWorker


def test_make_run_and_procfile_use_the_config():
    makefile = (ROOT / "Makefile").read_text()
    run = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert f"-c {GUNICORN_CONF}" in run and "-b $(HOST):$(PORT)" in run
    web = [line for line in (ROOT / "Procfile").read_text().splitlines()
           if line.startswith("web:")]
    assert len(web) == 1 and f"-c {GUNICORN_CONF}" in web[0] and "$PORT" in web[0]


def test_body_limit_is_the_apps(conf_text):
    match = re.search(r"client_max_body_size (\d+)k;", conf_text)
    assert match and int(match.group(1)) * 1024 == security.MAX_REQUEST_BYTES


def test_rendered_configuration_passes_nginx_t(tmp_path):
    conf = render.render(tmp_path, listen="127.0.0.1:8080", upstream="127.0.0.1:8050")
    proc = subprocess.run([NGINX, "-t", "-c", str(conf), "-p", str(tmp_path)],
                          capture_output=True, text=True, timeout=30)
    assert proc.returncode == 0, proc.stderr
    assert "syntax is ok" in proc.stderr
    for status in errors.NGINX_STATUSES:
        assert (tmp_path / render.ERRORS_DIR / f"{status}.html").is_file()


def test_error_pages_carry_the_frame_ancestors_of_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("AURA_FRAME_ANCESTORS", "'self' https://www.aura-hlm.org *")
    text = render.render(tmp_path).read_text()
    assert "frame-ancestors 'self' https://www.aura-hlm.org\" always;" in text


@pytest.mark.parametrize("status", errors.NGINX_STATUSES)
def test_error_pages_are_french(status):
    page = errors.error_html(status)
    assert '<html lang="fr">' in page and f"({status})" in page
    assert "<script" not in page
    assert errors.message(status) in page.replace("&#x27;", "'")


@pytest.mark.parametrize(("kwargs", "expected"), [
    ({"listen": "abc"}, "Adresse d'écoute invalide"),
    ({"listen": "127.0.0.1:70000"}, "Adresse d'écoute invalide"),
    ({"upstream": "8050"}, "Adresse de gunicorn invalide"),
    ({"worker_processes": "0"}, "Nombre de processus nginx invalide"),
    ({"user": "root; evil"}, "Nom d'utilisateur invalide"),
])
def test_render_refuses_bad_parameters_before_writing(tmp_path, kwargs, expected):
    out = tmp_path / "nginx"
    with pytest.raises(render.RenderError, match=expected):
        render.render(out, **kwargs)
    assert not out.exists()


def test_render_refuses_a_folder_nginx_cannot_read(tmp_path):
    out = tmp_path / "mon dossier"
    with pytest.raises(render.RenderError, match="Dossier invalide pour nginx"):
        render.render(out)
    assert not out.exists()


def test_render_cli(tmp_path, capsys):
    assert render.main(["--out", str(tmp_path / "ok"), "--upstream", "127.0.0.1:9000"]) == 0
    assert "server 127.0.0.1:9000;" in (tmp_path / "ok" / "nginx.conf").read_text()
    assert "Démarrer nginx" in capsys.readouterr().out
    assert render.main(["--out", str(tmp_path / "bad"), "--listen", "x:y"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Erreur : Adresse d'écoute invalide") and "Traceback" not in err
    assert not (tmp_path / "bad").exists()


def test_worker_writes_french_errors_with_headers():
    """What gunicorn's own refusals become (deploy/worker.py), on a socket pair."""
    left, right = socket.socketpair()
    with left, right:
        worker.write_error(left, 414, "URI Too Long", "Request Line is too large (9000 > 8190)")
        left.shutdown(socket.SHUT_WR)
        data = b""
        while chunk := right.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    assert lines[0] == "HTTP/1.1 414 URI Too Long"
    headers = dict(line.split(": ", 1) for line in lines[1:])
    assert headers["Content-Security-Policy"] == security.content_security_policy([])
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert int(headers["Content-Length"]) == len(body)
    text = body.decode("utf-8")
    assert "Adresse trop longue" in text and "9000" not in text


def test_deploy_files_exist():
    for name in ("gunicorn.conf.py", "render.py", "errors.py", "worker.py"):
        assert (Path(ROOT) / "deploy" / name).is_file()
