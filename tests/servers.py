"""Real servers for tests and bench/: gunicorn and nginx in subprocesses on free
local ports.

`Gunicorn` is the one gunicorn launcher of the project: the tests (tests/deploy,
tests/jobs, tests/security/test_production.py, tests/test_app.py) and the
benchmark (bench/server.py) all start gunicorn through it. Every process is
started by the code that needs it and stopped by its id (`stop()`, in a
fixture's teardown or a `finally`); every wait is bounded.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import deque
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
GUNICORN_CONF = "deploy/gunicorn.conf.py"


def free_port() -> int:
    """A TCP port nobody listens on right now (127.0.0.1)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, timeout: float = 30.0, proc: subprocess.Popen | None = None
                  ) -> bool:
    """True once 127.0.0.1:`port` accepts connections (False after `timeout` or if
    `proc` exits first)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            return False
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return True
        except OSError:
            time.sleep(0.05)
    return False


def stop_process(proc: subprocess.Popen, timeout: float = 30.0) -> None:
    """SIGTERM, then SIGKILL to the process group it leads (its own children only)."""
    if proc.poll() is None:
        proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # started with start_new_session=True
        except ProcessLookupError:
            pass
        proc.wait(timeout=10)


def clean_env(**extra: str) -> dict[str, str]:
    """The environment without the development flags and data overrides."""
    env = {k: v for k, v in os.environ.items()
           if k not in {"AURA_DEV", "AURA_DEBUG", "AURA_DATA_DIR", "AURA_RAW_DIR"}}
    env["PYTHONUNBUFFERED"] = "1"
    env.update(extra)
    return env


class Gunicorn:
    """gunicorn (`args` after the executable) in a subprocess on 127.0.0.1, its
    stderr collected in the background (the last `LOG_LINES` lines). Bind to port
    0 for a free port: the real port is read from gunicorn's "Listening at" line.
    Raises RuntimeError (with gunicorn's log) when it does not start."""

    LOG_LINES = 5000

    def __init__(self, args: list[str], env: dict[str, str] | None = None,
                 timeout: float = 120.0, cwd: Path = ROOT):
        self.proc = subprocess.Popen([GUNICORN, *args], cwd=cwd, env=env or clean_env(),
                                     text=True, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE, start_new_session=True)
        self.lines: deque[str] = deque(maxlen=self.LOG_LINES)
        self.port: int | None = None
        ready = threading.Event()

        def read() -> None:
            for line in self.proc.stderr:
                self.lines.append(line)
                match = re.search(r"Listening at: http://127\.0\.0\.1:(\d+)", line)
                if match:
                    self.port = int(match.group(1))
                if "Booting worker" in line:
                    ready.set()
            ready.set()

        self.thread = threading.Thread(target=read, daemon=True)
        self.thread.start()
        ready.wait(timeout=timeout)
        if self.port is None or not wait_for_port(self.port, 30, self.proc):
            log = self.stop()
            raise RuntimeError(f"gunicorn n'a pas démarré :\n{log}")

    @property
    def pid(self) -> int:
        """The master's process id."""
        return self.proc.pid

    @classmethod
    def deployed(cls, *extra: str, module: str = "app", env: dict[str, str] | None = None,
                 cwd: Path = ROOT) -> Gunicorn:
        """gunicorn serving `module:server` with the production settings
        (deploy/gunicorn.conf.py) on a free port; `extra` arguments come last."""
        return cls([f"{module}:server", "-c", str(ROOT / GUNICORN_CONF), "-b", "127.0.0.1:0",
                    *extra], env=env, cwd=cwd)

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def stop(self) -> str:
        """Stop gunicorn; returns its log."""
        stop_process(self.proc)
        self.thread.join(timeout=10)
        return "".join(self.lines)


class Nginx:
    """Debian's nginx on a configuration rendered by deploy/render.py into `out`,
    listening on 127.0.0.1:`port`, in front of `upstream` ("127.0.0.1:PORT")."""

    def __init__(self, out: Path, upstream: str, port: int | None = None):
        from deploy import render

        self.port = port or free_port()
        user = "root" if os.geteuid() == 0 else None  # workers must read `out`
        self.conf = render.render(out, listen=f"127.0.0.1:{self.port}", upstream=upstream,
                                  worker_processes="1", user=user)
        self.out = Path(out).resolve()
        with open(self.out / "logs" / "stderr.log", "wb") as stderr:
            self.proc = subprocess.Popen(
                [NGINX, "-c", str(self.conf), "-p", str(self.out), "-g", "daemon off;"],
                stdout=subprocess.DEVNULL, stderr=stderr, start_new_session=True)
        if not wait_for_port(self.port, 30, self.proc):
            self.stop()
            raise RuntimeError(f"nginx n'a pas démarré :\n{self.error_log()}")

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def error_log(self) -> str:
        logs = [self.out / "logs" / name for name in ("stderr.log", "error.log")]
        return "".join(log.read_text(errors="replace") for log in logs if log.exists())

    def stop(self) -> None:
        stop_process(self.proc)
