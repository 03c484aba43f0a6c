"""How bench/ serves an app with gunicorn on loopback and reads its memory.

`serve()` starts gunicorn through the project's one launcher
(`tests.servers.Gunicorn`, shared with the tests) with the settings the README
deploys: the configuration file `deploy/gunicorn.conf.py` when the project has
one, else `make run`'s command (`--preload`, 2 sync workers); only the address
is forced to a free 127.0.0.1 port. It times the start (launch to first page
served) and stops the server by its PID.
"""

from __future__ import annotations

import http.client
import os
import subprocess
import sys
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: the project root is not on the path
    sys.path.insert(0, str(ROOT))

from tests.servers import Gunicorn  # noqa: E402 - after the path is set

DEPLOY_CONFIG = ROOT / "deploy" / "gunicorn.conf.py"
START_TIMEOUT_S = 120
STOP_TIMEOUT_S = 30


def children(pid: int) -> list[int]:
    """Process ids whose parent is `pid` (Linux /proc), sorted."""
    kids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            kids.append(int(stat.parent.name))
    return sorted(kids)


def descendants(pid: int) -> list[int]:
    """Every process below `pid` (children, their children...), sorted."""
    found: list[int] = []
    todo = children(pid)
    while todo:
        kid = todo.pop()
        found.append(kid)
        todo.extend(children(kid))
    return sorted(found)


def rss_mb(pid: int | None = None) -> float:
    """Resident memory of a process (this one by default), in MB (Linux /proc)."""
    status = Path(f"/proc/{pid or 'self'}/status").read_text()
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def pss_mb(pid: int) -> float:
    """Proportional memory of a process in MB (shared pages divided among their users),
    from /proc/PID/smaps_rollup; its RSS when that file is unavailable."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return rss_mb(pid)


def command(module: str, workers: int | None = None) -> list[str]:
    """gunicorn's arguments serving `module:server` on a free 127.0.0.1 port as deployed."""
    bind = ["-b", "127.0.0.1:0", "--no-control-socket"]
    if DEPLOY_CONFIG.is_file():
        cmd = ["-c", str(DEPLOY_CONFIG), *bind]
        if workers:
            cmd += ["-w", str(workers)]
        return [*cmd, f"{module}:server"]
    return [f"{module}:server", "--preload", "-w", str(workers or 2), *bind,
            "--timeout", "120", "--log-level", "warning"]


def settings() -> str:
    """The server settings, in words, for the benchmark's report."""
    if DEPLOY_CONFIG.is_file():
        return f"gunicorn -c {DEPLOY_CONFIG.relative_to(ROOT)}"
    return "gunicorn --preload -w 2 (processus synchrones)"


@dataclass
class Server:
    """A running gunicorn (`tests.servers.Gunicorn`) and how long it took to serve."""

    gunicorn: Gunicorn
    startup_s: float = 0.0

    @property
    def port(self) -> int:
        return self.gunicorn.port

    @property
    def process(self) -> subprocess.Popen:
        return self.gunicorn.proc

    @property
    def log(self) -> deque:
        return self.gunicorn.lines

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def worker_pids(self) -> list[int]:
        return children(self.process.pid)

    def worker_rss_mb(self) -> list[float]:
        sizes = []
        for pid in self.worker_pids():
            try:
                sizes.append(rss_mb(pid))
            except OSError:  # a worker that has just exited
                continue
        return sizes

    def renderer_pss_mb(self) -> float:
        """Memory of the processes the workers started (Chromium for the PNG export):
        the sum of their PSS, so pages shared between Chromium's processes count once."""
        total = 0.0
        for worker in self.worker_pids():
            for pid in descendants(worker):
                try:
                    total += pss_mb(pid)
                except OSError:
                    continue
        return round(total, 1)


def _get_status(port: int, path: str) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path)
        resp = conn.getresponse()
        resp.read()
        return resp.status
    finally:
        conn.close()


def start(module: str = "app", env: dict[str, str] | None = None, workers: int | None = None,
          cwd: Path = ROOT, ready_path: str = "/") -> Server:
    """Launch gunicorn and wait for `ready_path` to answer 200 (`startup_s` is the time
    from launch to that answer)."""
    base_env = {k: v for k, v in os.environ.items() if k not in {"AURA_DEV", "AURA_DEBUG"}}
    started = time.perf_counter()
    server = Server(Gunicorn(command(module, workers), env={**base_env, **(env or {})},
                             timeout=START_TIMEOUT_S, cwd=cwd))
    deadline = started + START_TIMEOUT_S
    while time.perf_counter() < deadline:
        if server.process.poll() is not None:
            time.sleep(0.2)  # let the reader thread take the last lines
            raise RuntimeError("gunicorn s'est arrêté : " + "".join(server.log))
        try:
            if _get_status(server.port, ready_path) == 200:
                server.startup_s = time.perf_counter() - started
                return server
        except OSError:
            pass
        time.sleep(0.05)
    stop(server)
    raise RuntimeError(f"gunicorn n'a pas répondu en {START_TIMEOUT_S} s")


def stop(server: Server) -> None:
    """SIGTERM to the master (it stops its workers), SIGKILL after a bounded wait."""
    server.gunicorn.stop()


@contextmanager
def serve(module: str = "app", env: dict[str, str] | None = None, workers: int | None = None,
          cwd: Path = ROOT, ready_path: str = "/") -> Iterator[Server]:
    """`start()` … `stop()`."""
    server = start(module, env, workers, cwd, ready_path)
    try:
        yield server
    finally:
        stop(server)
