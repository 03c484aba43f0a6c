"""axe-core accessibility checks for the browser tests.

axe-core comes from the npm registry (`tests/js/package-lock.json`, installed by
`make install-test` into `tests/js/node_modules`), never from a CDN: its file is
read here and injected into the page with Selenium's `execute_script`.

    assert axe_violations(dash_duo) == []

The rule `label-content-name-mismatch` (experimental in axe, so off by default)
is switched on. Scoped exclusions for third-party markup that cannot be fixed in
the app live in `THIRD_PARTY_EXCLUSIONS`, each with the library and the reason.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

AXE_JS = Path(__file__).resolve().parent / "js" / "node_modules" / "axe-core" / "axe.min.js"

# (rule id, selector) pairs left out of the checks: markup drawn by a library
# that the app cannot change cleanly. Each is scoped to one rule and to the
# library's own elements; keep this list short and explained.
THIRD_PARTY_EXCLUSIONS: tuple[tuple[str, str], ...] = (
    # Dash 4's dcc.Dropdown (dash/dcc/async-dropdown.js) puts the radio or checkbox
    # that takes the keyboard focus inside each <label role="option"> of its open
    # list. Moving it out would break the component's own arrow-key and Enter
    # handling; only seen while a list is open.
    ("nested-interactive", ".dash-dropdown-option"),
)

RUN_AXE = """
const exclusions = arguments[0];
const done = arguments[arguments.length - 1];
const options = {
  resultTypes: ['violations'],
  elementRef: true,
  // Off by default in axe (experimental); issue 10 names it for the dropdowns.
  rules: {'label-content-name-mismatch': {enabled: true}},
};
const excluded = (rule, el) => exclusions.some(
  ([r, selector]) => r === rule && el && el.matches && el.matches(selector));
axe.run(document, options).then(results => {
  done(JSON.stringify(results.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.filter(n => !excluded(v.id, n.element))
      .map(n => ({impact: n.impact, target: n.target.map(t => String(t))})),
  }))));
}).catch(err => done(JSON.stringify({error: String(err)})));
"""


@dataclass(frozen=True)
class Violation:
    """One axe rule broken by some elements of the page."""

    rule: str
    impact: str
    help: str
    targets: tuple[str, ...]

    def __repr__(self) -> str:
        return f"<{self.rule} ({self.impact}): {self.help} -> {', '.join(self.targets)}>"


@cache
def axe_source() -> str:
    """The text of axe.min.js; a clear message when `make install-test` was not run."""
    if not AXE_JS.is_file():
        raise RuntimeError(
            f"{AXE_JS} is missing: run `make install-test` (npm ci --prefix tests/js) "
            "to install axe-core for the accessibility checks.")
    return AXE_JS.read_text(encoding="utf-8")


def axe_violations(dash_duo, impacts: tuple[str, ...] = ("serious", "critical")
                   ) -> list[Violation]:
    """Run axe-core on the current page; the violations of the given impacts.

    Call it once the page's content is drawn (after a `dash_duo.wait_for_*`).
    """
    driver = dash_duo.driver
    if not driver.execute_script("return typeof window.axe !== 'undefined';"):
        driver.execute_script(axe_source())
    driver.set_script_timeout(60)
    found = json.loads(driver.execute_async_script(
        RUN_AXE, [list(pair) for pair in THIRD_PARTY_EXCLUSIONS]))
    if isinstance(found, dict):
        raise RuntimeError(f"axe-core failed: {found['error']}")
    violations = []
    for v in found:
        targets = tuple(
            " ".join(n["target"]) for n in v["nodes"]
            if (n["impact"] or v["impact"]) in impacts)
        if targets:
            violations.append(Violation(v["id"], v["impact"], v["help"], targets))
    return violations
