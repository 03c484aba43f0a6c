"""Fuzzer of Dash's callback endpoint: malformed bodies to `/_dash-update-component`.

    python bench/fuzz.py [--n 5000] [--seed 20250101] [--workers 2]

Starts gunicorn as deployed (bench/server.py) on 127.0.0.1, sends
`n` bodies built from the app's real callbacks (GET /_dash-dependencies) and
mutated by a seeded generator: wrong value types, unknown ids and properties,
outputs of no callback, missing keys, huge lists, deep nesting, 1 MB strings,
script-bearing strings, invalid JSON, wrong content types, empty bodies. Every
answer must be 200/204 or a 4xx with a short French message (no 5xx, no
traceback or exception name), valid requests must keep working, and the
workers' memory must stay bounded. Prints counts per kind and status, worker
RSS before and after; exit status 1 on any failure.

Importable: `generate_bodies(n, seed, dependencies)` and `run(target, n, seed)`
where `target` is a base URL ("http://127.0.0.1:8050") or a Flask test client
(the test suite runs a fast subset in-process).
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: bench/ is not a package on the path
    sys.path.insert(0, str(ROOT))

from bench.server import children, rss_mb, serve, settings  # noqa: E402 - after the path is set

DISPATCH = "/_dash-update-component"
ALLOWED_STATUS = {200, 204, 400, 404, 405, 413, 415}
JSON_TYPE = "application/json"

LEAK_MARKERS = ("Traceback", 'File "', ".py", "site-packages", "Exception", "werkzeug")
# KeyError, TypeError, RecursionError, CallbackException... (French text never matches)
EXCEPTION_NAME_RE = re.compile(r"\b[A-Z][A-Za-z]*(?:Error|Exception|Warning)\b")

# A plausible valid value for each input/state property, by (id, property) or property.
# Any other input of the app's callbacks (GET /_dash-dependencies) gets VALID_BY_PROPERTY's
# value; tests/security/test_fuzz.py checks every id below is still an input of the app.
VALID_BY_ID: dict[tuple[str, str], list[Any]] = {
    ("programmes-seuil", "value"): [3500, 10000, 20000],
    ("programmes-departement", "value"): [None, "38", "07"],
    ("territoire-epci", "value"): ["200072015", "200071140"],
    ("territoire-departement", "value"): [None, "07"],
    ("territoire-commune", "value"): [None],
    ("territoire-comparer", "value"): [[]],
    ("bailleurs-epci", "value"): [None, "200072015"],
    ("bailleurs-departement", "value"): [None, "07"],
    ("indicateur-carte", "value"): ["logement-social"],
    ("carte-epci", "clickData"): [{"points": [{"location": "200072015"}]}],
    ("_pages_location", "search"): ["", "?epci=200072015", "?seuil=5000"],
    ("url", "search"): ["", "?epci=200072015"],
}
VALID_BY_PROPERTY: dict[str, list[Any]] = {
    "value": [None], "n_clicks": [1], "virtualRowData": [None], "clickData": [None],
    "search": [""], "pathname": ["/"], "data": [None],
}

SCRIPT = "<script>alert(1)</script>"
STRINGS = [
    "", " ", "0", "-1", "1e309", "NaN", "nan", "Infinity", "-Infinity", "null", "true",
    SCRIPT, '"><img src=x onerror=alert(1)>', "javascript:alert(1)", "../../etc/passwd",
    "..\\..\\windows\\win.ini", "/etc/passwd%00", "%3Cscript%3E", "{{7*7}}", "${7*7}",
    "' OR '1'='1", "200072015", "2000720150", "07010", "2A004", "99", "38", "3500",
    "?epci=" + SCRIPT, "?seuil=<svg/onload=alert(1)>&departement=../../", "?" + "a=1&" * 500,
    "/territoire?epci=" + "9" * 200, "//evil.example/x", "\u202eevil", "\u0000nul",
    "é" * 50, "\U0001f600" * 20, "\ufeffBOM", "\u00a0", "Lyon\nSet-Cookie: x=1",
    "a" * 10_000,
]
NUMBERS = [0, -1, 1, 3500.5, 499, 500, 200_001, 10**18, -(10**18), 2**63, 1e308, -1e308,
           1e-308, 0.1]


@dataclass
class Case:
    """One request: its kind, raw body and Content-Type (None: no header)."""

    kind: str
    body: bytes
    content_type: str | None = JSON_TYPE


@dataclass
class Report:
    """What the fuzzer saw."""

    sent: int = 0
    by_status: Counter = field(default_factory=Counter)
    by_kind: dict[str, Counter] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    valid_checks: int = 0
    seconds: float = 0.0
    rss_before_mb: list[float] = field(default_factory=list)
    rss_after_mb: list[float] = field(default_factory=list)
    rss_series: list[tuple[int, list[float]]] = field(default_factory=list)

    def growth_mb(self, since: float = 0.0) -> float:
        """Largest RSS growth of a process from the checkpoint at `since` (a fraction
        of the run: 0 = before the first body) to the end. A run shorter than the
        checkpoint interval has no checkpoint after `since`: the last one before it
        is used."""
        points = [(0, self.rss_before_mb), *self.rss_series]
        start = next((rss for sent, rss in points if sent >= since * self.sent), points[-1][1])
        return max((a - b for a, b in zip(self.rss_after_mb, start, strict=False)),
                   default=0.0)

    @property
    def ok(self) -> bool:
        return not self.failures

    def record(self, case: Case, status: int, problem: str | None) -> None:
        self.sent += 1
        self.by_status[status] += 1
        self.by_kind.setdefault(case.kind, Counter())[status] += 1
        if problem:
            excerpt = case.body[:120].decode("utf-8", "replace")
            self.failures.append(f"{case.kind} -> {status}: {problem} | {excerpt!r}")


# --- valid bodies from the app's dependencies --------------------------------------------------

def _split_outputs(output: str) -> list[dict]:
    """`..a.x...b.y..` or `a.x` -> [{"id": "a", "property": "x"}, ...] (string ids only)."""
    parts = output[2:-2].split("...") if output.startswith("..") else [output]
    result = []
    for part in parts:
        cid, _, prop = part.partition(".")
        result.append({"id": cid, "property": prop})
    return result


PAGE_LOCATION = ("_pages_location", "pathname")
"""Dash's router input: its valid values are the paths of the registered pages."""


_served_paths: list[str] = []
"""Page paths read from the served app's menu by `run` (HTTP or test client)."""


def paths_in_layout(layout: Any) -> list[str]:
    """The addresses of the menu links (ids `nav-<i>`) of a shell layout (the JSON
    of GET /_dash-layout): the app's pages, from its page registry."""
    found, stack = [], [layout]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            props = item.get("props")
            if isinstance(props, dict) and str(props.get("id", "")).startswith("nav-") \
                    and isinstance(props.get("href"), str):
                found.append(props["href"])
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return sorted(found)


def page_paths() -> list[str]:
    """Paths of the app's pages: the served app's menu once `run` has read it, else
    `dash.page_registry` (filled when `generate_bodies` imports the app), else "/"."""
    import dash

    registered = [page["path"] for page in dash.page_registry.values()
                  if not page["module"].endswith("not_found_404")]
    return _served_paths or registered or ["/"]


def _valid_value(rng: random.Random, dep: dict) -> Any:
    key = (dep["id"], dep["property"])
    if key == PAGE_LOCATION:
        return rng.choice(page_paths())
    choices = VALID_BY_ID.get(key) or VALID_BY_PROPERTY.get(dep["property"], [None])
    return rng.choice(choices)


def server_callbacks(dependencies: list[dict]) -> list[dict]:
    """The callbacks the server runs (clientside ones never reach it), string ids only."""
    return [d for d in dependencies if not d.get("clientside_function")
            and all(isinstance(x["id"], str) for x in d["inputs"] + d["state"])]


def valid_body(rng: random.Random, dep: dict) -> dict:
    """A request like the browser's for callback `dep` (an item of /_dash-dependencies)."""
    outputs = _split_outputs(dep["output"])
    inputs = [{"id": i["id"], "property": i["property"], "value": _valid_value(rng, i)}
              for i in dep["inputs"]]
    body = {
        "output": dep["output"],
        "outputs": outputs if dep["output"].startswith("..") else outputs[0],
        "inputs": inputs,
        "changedPropIds": [f"{inputs[0]['id']}.{inputs[0]['property']}"] if inputs else [],
    }
    if dep["state"]:
        body["state"] = [{"id": s["id"], "property": s["property"],
                          "value": _valid_value(rng, s)} for s in dep["state"]]
    return body


# --- hostile values and mutations --------------------------------------------------------

def hostile_value(rng: random.Random) -> Any:
    """A value of a wrong type or a hostile content (kept small: big ones have their kinds)."""
    pick = rng.randrange(8)
    if pick == 0:
        return rng.choice(STRINGS)
    if pick == 1:
        return rng.choice(NUMBERS)
    if pick == 2:
        return rng.choice([None, True, False, [], {}, [None], [[]], {"": None}])
    if pick == 3:
        return [hostile_value(rng) for _ in range(rng.randrange(1, 6))]
    if pick == 4:
        return {rng.choice(["points", "location", "id", "value", SCRIPT, ""]): hostile_value(rng)
                for _ in range(rng.randrange(1, 4))}
    if pick == 5:
        return {"points": [{"location": rng.choice(STRINGS + NUMBERS)}]}
    if pick == 6:
        return [{"code_insee": rng.choice(STRINGS), "epci_siren": rng.choice(STRINGS)}
                for _ in range(rng.randrange(1, 20))]
    return "".join(chr(rng.choice([rng.randrange(0x20, 0x7f), rng.randrange(0xa0, 0x2fff),
                                   rng.randrange(0x1f300, 0x1f64f)]))
                   for _ in range(rng.randrange(1, 200)))


def _deps_of(body: dict) -> list[dict]:
    return [d for d in [*body.get("inputs", []), *body.get("state", [])] if isinstance(d, dict)]


def _dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode("utf-8")


def _raw_nested(depth: int, inner: str = "1") -> str:
    """JSON text nested `depth` levels (json.dumps would hit Python's recursion limit)."""
    return "[" * depth + inner + "]" * depth


def _with_raw_value(body: dict, raw: str) -> bytes:
    """`body` as JSON with the first input's value replaced by raw JSON text."""
    marker = "__FUZZ_RAW__"
    body = json.loads(json.dumps(body))
    deps = _deps_of(body)
    if deps:
        deps[0]["value"] = marker
    else:
        body["extra"] = marker
    return json.dumps(body).replace(json.dumps(marker), raw).encode()


def mutate(rng: random.Random, templates: list[dict], kind: str) -> Case:
    """One malformed (or, for kind "valid", well-formed) request of the given kind."""
    base = valid_body(rng, rng.choice(templates))
    other = valid_body(rng, rng.choice(templates))
    deps = _deps_of(base)

    if kind == "valid":
        return Case(kind, _dumps(base))
    if kind == "value":
        if deps:
            rng.choice(deps)["value"] = hostile_value(rng)
        return Case(kind, _dumps(base))
    if kind == "all_values":
        for dep in deps:
            dep["value"] = hostile_value(rng)
        return Case(kind, _dumps(base))
    if kind == "unknown_id":
        if deps:
            rng.choice(deps)["id"] = rng.choice(["inconnu", SCRIPT, "", "url", "x" * 300])
        return Case(kind, _dumps(base))
    if kind == "unknown_property":
        if deps:
            rng.choice(deps)["property"] = rng.choice(
                ["children", "__proto__", "constructor", SCRIPT, "", "value.x"])
        return Case(kind, _dumps(base))
    if kind == "wrong_type_id":
        if deps:
            rng.choice(deps)[rng.choice(["id", "property"])] = hostile_value(rng)
        return Case(kind, _dumps(base))
    if kind == "wrong_output":
        base["output"] = rng.choice([other["output"], "inconnu.children", SCRIPT, "",
                                     "programmes-url.data", "_pages_dummy.children",
                                     hostile_value(rng)])
        return Case(kind, _dumps(base))
    if kind == "outputs_mismatch":
        base["outputs"] = rng.choice([other["outputs"], [], {}, None, [base["outputs"]],
                                      {"id": "url", "property": SCRIPT}, hostile_value(rng)])
        return Case(kind, _dumps(base))
    if kind == "missing_key":
        for key in rng.sample(["output", "outputs", "inputs", "changedPropIds", "state"],
                              rng.randrange(1, 3)):
            base.pop(key, None)
        return Case(kind, _dumps(base))
    if kind == "extra_keys":
        base[rng.choice(["__proto__", "state", "inputs", "parsedChangedPropsIds", SCRIPT])] = \
            hostile_value(rng)
        return Case(kind, _dumps(base))
    if kind == "changed_ids":
        base["changedPropIds"] = rng.choice([[hostile_value(rng)], hostile_value(rng),
                                             ["inconnu.value"], ["x"] * 50, [[]], [{}]])
        return Case(kind, _dumps(base))
    if kind == "shape":
        base[rng.choice(["inputs", "state", "outputs"])] = rng.choice(
            [{}, "inputs", None, 3, [None], ["a"], [[]], [{"id": []}], hostile_value(rng)])
        return Case(kind, _dumps(base))
    if kind == "top_level":
        return Case(kind, _dumps(rng.choice([[], [base], "texte", 12, None, True, {},
                                             hostile_value(rng)])))
    if kind == "huge_list":
        items = rng.choice([list(range(100_000)), ["200072015"] * 100_000,
                            [{"code_insee": str(i)} for i in range(30_000)]])
        if rng.random() < 0.7 and deps:
            rng.choice(deps)["value"] = items
        else:
            base[rng.choice(["inputs", "changedPropIds", "state"])] = items
        return Case(kind, _dumps(base))
    if kind == "deep":
        depth = rng.choice([40, 200, 999, 1000, 1500, 3000, 20_000])
        inner = rng.choice(["1", "{}", '"' + SCRIPT + '"'])
        if rng.random() < 0.5:
            return Case(kind, _with_raw_value(base, _raw_nested(depth, inner)))
        return Case(kind, _raw_nested(depth, inner).encode())
    if kind == "huge_string":
        big = rng.choice(["a", "é", SCRIPT])
        text = big * (1_000_000 // len(big))
        if deps:
            rng.choice(deps)["value"] = text
        else:
            base["output"] = text
        return Case(kind, _dumps(base))
    if kind == "oversize":
        return Case(kind, _with_raw_value(base, json.dumps("x" * 5_000_000)))
    if kind == "invalid_json":
        text = _dumps(base)
        return Case(kind, rng.choice([
            text[: rng.randrange(1, max(2, len(text)))],  # truncated
            text.replace(b'"', b"'"),  # single quotes
            text[:-1] + b",}",  # trailing comma
            b"{" * 5, b"}", b"]", b"nul", b"{\"output\": NaN", b"\xff\xfe\x00{",
            b"\xef\xbb\xbf" + text,  # byte order mark
            text.replace(b"{", b"{\x00", 1),  # NUL byte
            b'{"output": "\\ud800"}',  # lone surrogate
            _with_raw_value(base, '"\\ud83d"'),
            _with_raw_value(base, "1" * 5000),  # more digits than Python's int limit
            _with_raw_value(base, "1e99999"),
            _with_raw_value(base, "NaN"), _with_raw_value(base, "-Infinity"),
            bytes(rng.randrange(256) for _ in range(rng.randrange(1, 400))),
            text + text,  # two documents
        ]))
    if kind == "content_type":
        return Case(kind, _dumps(base), rng.choice(
            [None, "text/plain", "application/x-www-form-urlencoded", "multipart/form-data",
             "text/html", "application/xml", "application/json; charset=latin-1",
             "application/json-patch+json"]))
    if kind == "empty":
        return Case(kind, b"", rng.choice([JSON_TYPE, None, "text/plain"]))
    raise ValueError(kind)


# (kind, weight): most bodies carry hostile values to real callbacks.
KINDS = [
    ("valid", 4), ("value", 26), ("all_values", 14), ("unknown_id", 4),
    ("unknown_property", 4), ("wrong_type_id", 4), ("wrong_output", 5),
    ("outputs_mismatch", 5), ("missing_key", 4), ("extra_keys", 3), ("changed_ids", 4),
    ("shape", 4), ("top_level", 3), ("huge_list", 2), ("deep", 3), ("huge_string", 2),
    ("oversize", 1), ("invalid_json", 5), ("content_type", 2), ("empty", 1),
]


def generate_bodies(n: int, seed: int = 0, dependencies: list[dict] | None = None
                    ) -> list[Case]:
    """`n` requests (bodies and content types) from a seeded generator.

    `dependencies` is the app's /_dash-dependencies list (read in-process from
    `app` when not given).
    """
    if dependencies is None:
        dependencies = _dependencies_of_app()
    templates = server_callbacks(dependencies)
    rng = random.Random(seed)
    kinds, weights = zip(*KINDS, strict=True)
    cases = [mutate(rng, templates, kind) for kind in KINDS_ONCE]
    while len(cases) < n:
        cases.append(mutate(rng, templates, rng.choices(kinds, weights)[0]))
    rng.shuffle(cases)
    return cases[:n]


KINDS_ONCE = [k for k, _ in KINDS]
"""Every kind appears at least once in a batch (when n allows)."""


def _dependencies_of_app() -> list[dict]:
    sys.path.insert(0, str(ROOT))
    import app  # the dashboard, loaded only when asked

    client = app.server.test_client()
    client.get("/")
    return client.get("/_dash-dependencies").get_json()


# --- checking answers -------------------------------------------------------------------------

def problem_with(status: int, content_type: str, text: str) -> str | None:
    """Why an answer is not acceptable (None when it is)."""
    if status not in ALLOWED_STATUS:
        return f"status {status}"
    for marker in LEAK_MARKERS:
        if marker in text:
            return f"leaks {marker!r}"
    found = EXCEPTION_NAME_RE.search(text)
    if found:
        return f"leaks {found.group(0)!r}"
    if status >= 400 and (len(text) > 300 or not content_type.startswith("text/plain")):
        return "error answer is not a short text"
    if status == 200 and not content_type.startswith(JSON_TYPE):
        return f"200 answer of type {content_type}"
    if "<script" in text.lower() and not content_type.startswith(JSON_TYPE):
        return "script tag outside JSON"
    return None


def valid_checks(rng: random.Random, templates: list[dict]) -> list[tuple[Case, set[int]]]:
    """A well-formed request of every server callback (200 or 204 expected) and a
    known answer: the hors-programme list at 20 000 inhabitants."""
    checks = [(Case("valid-check", _dumps(valid_body(rng, t))), {200, 204}) for t in templates]
    programmes = [t for t in templates if "grille-hors-programme.rowData" in t["output"]]
    for t in programmes:
        body = valid_body(rng, t)
        body["inputs"][0]["value"] = 20000
        body["inputs"][1]["value"] = None
        checks.append((Case("valid-check-programmes", _dumps(body)), {200}))
    return checks


# --- transports ---------------------------------------------------------------------------

class _Client:
    """Sends a Case through a Flask test client or over HTTP."""

    def __init__(self, target: Any):
        self.target = target
        self.http = isinstance(target, str)
        if self.http:
            parts = urlsplit(target)
            self.host, self.port = parts.hostname, parts.port or 80
            self.prefix = parts.path.rstrip("/")

    def post(self, case: Case) -> tuple[int, str, str]:
        headers = {"Content-Type": case.content_type} if case.content_type else {}
        if not self.http:
            resp = self.target.post(DISPATCH, data=case.body, headers=headers)
            return resp.status_code, resp.content_type or "", resp.get_data(as_text=True)
        return self._http("POST", DISPATCH, case.body, headers)

    def get(self, path: str) -> tuple[int, str, str]:
        if not self.http:
            resp = self.target.get(path)
            return resp.status_code, resp.content_type or "", resp.get_data(as_text=True)
        return self._http("GET", path, None, {})

    def _http(self, method: str, path: str, body: bytes | None, headers: dict
              ) -> tuple[int, str, str]:
        conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
        try:
            try:
                conn.request(method, self.prefix + path, body=body, headers=headers)
            except (BrokenPipeError, ConnectionResetError):
                # The server answered (413) and closed before reading the whole
                # body, as it should: its answer is still there to read.
                pass
            resp = conn.getresponse()
            data = resp.read()
            return (resp.status, resp.getheader("Content-Type") or "",
                    data.decode("utf-8", "replace"))
        except (OSError, http.client.HTTPException) as err:
            return 0, "", f"no answer: {type(err).__name__}"
        finally:
            conn.close()


def run(target: Any, n: int, seed: int = 0, rss: Any = None, check_every: int = 250
        ) -> Report:
    """Send `n` fuzzed bodies to `target` (base URL or Flask test client) and check
    every answer; well-formed requests are checked every `check_every` bodies and at
    the end. `rss()` returns the memory (MB) to report (this process by default)."""
    client = _Client(target)
    rss = rss or (lambda: [rss_mb()])
    status, _, _ = client.get("/")
    deps_status, _, deps_text = client.get("/_dash-dependencies")
    if status != 200 or deps_status != 200:
        raise RuntimeError(f"the app does not answer (/ -> {status}, "
                           f"/_dash-dependencies -> {deps_status})")
    dependencies = json.loads(deps_text)
    layout_status, _, layout_text = client.get("/_dash-layout")
    if layout_status == 200:
        _served_paths[:] = paths_in_layout(json.loads(layout_text))
    templates = server_callbacks(dependencies)
    rng = random.Random(seed + 1)
    report = Report()

    def check_valid() -> None:
        for case, expected in valid_checks(rng, templates):
            status, ctype, text = client.post(case)
            report.valid_checks += 1
            if status not in expected:
                report.failures.append(f"valid request {case.body[:100]!r} -> {status}")
            elif problem_with(status, ctype, text):
                report.failures.append(f"valid request -> {problem_with(status, ctype, text)}")

    check_valid()  # warms the caches before measuring memory
    report.rss_before_mb = rss()
    start = time.perf_counter()
    for i, case in enumerate(generate_bodies(n, seed, dependencies), start=1):
        status, ctype, text = client.post(case)
        report.record(case, status, problem_with(status, ctype, text))
        if i % check_every == 0:
            check_valid()
            report.rss_series.append((i, rss()))
    check_valid()
    report.seconds = time.perf_counter() - start
    report.rss_after_mb = rss()
    return report


def summary(report: Report) -> str:
    """A table: requests per kind and status, then totals, memory and failures."""
    statuses = sorted(report.by_status)
    head = f"{'kind':<18}" + "".join(f"{s:>7}" for s in statuses) + f"{'total':>8}"
    lines = [head, "-" * len(head)]
    for kind in sorted(report.by_kind):
        counts = report.by_kind[kind]
        lines.append(f"{kind:<18}" + "".join(f"{counts.get(s, 0):>7}" for s in statuses)
                     + f"{sum(counts.values()):>8}")
    lines.append("-" * len(head))
    lines.append(f"{'all':<18}" + "".join(f"{report.by_status[s]:>7}" for s in statuses)
                 + f"{report.sent:>8}")
    lines.append("")
    lines.append(f"{report.sent} bodies in {report.seconds:.1f} s, "
                 f"{report.valid_checks} well-formed checks")
    lines.append(f"RSS (MB) before: {report.rss_before_mb}  after: {report.rss_after_mb}")
    if report.rss_series:
        lines.append("RSS (MB) along the run: " + "  ".join(
            f"{sent}: {rss}" for sent, rss in report.rss_series))
    lines.append(f"failures: {len(report.failures)}")
    lines.extend(f"  {f}" for f in report.failures[:20])
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=5000, help="bodies to send (default 5000)")
    parser.add_argument("--seed", type=int, default=20250101)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--max-growth-mb", type=float, default=300.0,
                        help="largest accepted RSS growth of a worker over the run")
    parser.add_argument("--max-plateau-mb", type=float, default=64.0,
                        help="largest accepted RSS growth of a worker over the second "
                             "half of the run (caches and allocator warm)")
    args = parser.parse_args(argv)

    with serve(workers=args.workers) as server:
        time.sleep(0.5)  # let every worker boot before reading their memory
        workers = server.worker_pids()

        def rss() -> list[float]:
            return [rss_mb(pid) for pid in workers]

        report = run(server.base, args.n, args.seed, rss=rss)
        alive = server.process.poll() is None and children(server.process.pid) == workers
    print(f"{settings()}, workers {workers}, seed {args.seed}")
    print(summary(report))
    growth, plateau = report.growth_mb(), report.growth_mb(since=0.5)
    print(f"largest worker RSS growth: {growth:.1f} MB over the run (bound "
          f"{args.max_growth_mb:g}), {plateau:.1f} MB over its second half (bound "
          f"{args.max_plateau_mb:g}); workers {'unchanged' if alive else 'RESTARTED OR DEAD'}")
    bounded = growth <= args.max_growth_mb and plateau <= args.max_plateau_mb
    return 0 if report.ok and alive and bounded else 1


if __name__ == "__main__":
    sys.exit(main())
