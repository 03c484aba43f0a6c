"""Build dashboard/vendor/plotly-aura.min.js: plotly.js with only the trace types
the dashboard's figures use (`make plotly-bundle`).

Who runs it: only someone changing the version of Python `plotly` (and so of the
plotly.js it ships) or the trace types the figures use. The output and its
manifest are committed, so `make run` needs no Node.

Steps: check that package.json pins plotly.js at exactly the version inside the
installed Python plotly (first lines of plotly/package_data/plotly.min.js);
`npm ci`; write an entry file registering TRACE_TYPES on plotly.js's core;
bundle and minify it with esbuild; point plotly's default `topojsonURL` (a CDN
address, cdn.plot.ly) at a same-origin path (`local_addresses`: the maps pass
their own GeoJSON, so it is never fetched, and if it ever were, nothing would
leave the site); parenthesise its module factories so V8 compiles each once
(eager-modules.js, with npm's acorn) and put V8's compile hint on its first line
(COMPILE_HINT); write the bundle and its manifest (version, trace types, size,
sha256), and a Brotli-compressed copy (quality 11, too slow to
compute on a request) that the app sends to browsers accepting it. Also minify
npm's regenerator-runtime (pinned in package.json) into
dashboard/vendor/regenerator-runtime.min.js: the app serves it in place of
Dash's Babel polyfill (app_factory.without_polyfill), and npm's fflate (its
`zipSync` only) into dashboard/vendor/fflate-zip.min.js: assets/presentation.js
loads it when the camera of a tall chart downloads its slides as one ZIP. Any failure
is a clear message and exit status 1, and never leaves a half-written bundle.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
VENDOR = ROOT / "dashboard" / "vendor"
BUNDLE = VENDOR / "plotly-aura.min.js"
BUNDLE_BR = VENDOR / "plotly-aura.min.js.br"
MANIFEST = VENDOR / "plotly-aura.json"
REGENERATOR = VENDOR / "regenerator-runtime.min.js"
FFLATE = VENDOR / "fflate-zip.min.js"

TRACE_TYPES = ("bar", "choropleth", "heatmap", "scatter", "scattergeo")
"""Trace types of the dashboard's figures (tests/test_plotly_bundle.py checks them).
`scatter` is in plotly.js's core: it is always there."""

VERSION_RE = re.compile(r"plotly\.js v(\d+\.\d+\.\d+\S*)")

LOCAL_TOPOJSON_URL = "/vendor/plotly/topojson/"
"""plotly's `topojsonURL` default in the bundle: a path of the site (nothing is served
there: the dashboard's maps carry their own GeoJSON), instead of cdn.plot.ly."""
CDN_DEFAULTS = {
    'topojsonURL:{valType:"string",noBlank:!0,dflt:"https://cdn.plot.ly/un/"':
        f'topojsonURL:{{valType:"string",noBlank:!0,dflt:"{LOCAL_TOPOJSON_URL}"',
}
"""Minified text of each config default naming a CDN, and what replaces it."""
COMPILE_HINT = "//# allFunctionsCalledOnLoad\n"
"""V8's explicit compile hint, on the bundle's first line: every function of the file
is compiled while it downloads, off the main thread, instead of on its first call.
Nearly all of plotly.js runs on a profile's first load (modules, then the drawing of
four charts); measured with alternated first loads of the profile, three runs of
10: 0.05 to 0.12 s faster. Other browsers ignore the comment."""
CDN_RE = re.compile(r"https?://cdn\.plot\.ly")


class BuildError(Exception):
    """A reason the bundle cannot be built, for the person running the command."""


def python_plotly_js_version() -> str:
    """Version of the plotly.js shipped inside the installed Python `plotly`."""
    try:
        import plotly
    except ImportError:
        raise BuildError("Python plotly is not installed: run `make install` first.") from None
    path = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    with path.open(encoding="utf-8") as f:
        head = f.read(400)
    match = VERSION_RE.search(head)
    if not match:
        raise BuildError(f"No plotly.js version in the first lines of {path}.")
    return match.group(1)


def pinned_version(name: str = "plotly.js") -> str:
    """Version of an npm package that package.json pins (exact, e.g. "4.1.1")."""
    package = json.loads((HERE / "package.json").read_text(encoding="utf-8"))
    return package.get("dependencies", {}).get(name, "")


def check_versions() -> str:
    expected, pinned = python_plotly_js_version(), pinned_version()
    if pinned != expected:
        raise BuildError(
            f"tools/plotly-bundle/package.json pins plotly.js {pinned or '(nothing)'}, "
            f"but the installed Python plotly ships plotly.js {expected}. Set "
            f'"plotly.js": "{expected}" in package.json, then run `make plotly-bundle` again.')
    return expected


def entry_source(traces: tuple[str, ...]) -> str:
    """CommonJS entry: plotly.js core plus the trace modules (scatter is in core)."""
    lines = ["'use strict';", "var Plotly = require('plotly.js/lib/core');", "Plotly.register(["]
    lines += [f"  require('plotly.js/lib/{name}')," for name in traces if name != "scatter"]
    lines += ["]);", "module.exports = Plotly;", ""]
    return "\n".join(lines)


def local_addresses(code: str) -> str:
    """`code` (the minified bundle) with each default of `CDN_DEFAULTS` replaced.

    Each must be found exactly once, and no cdn.plot.ly address may remain: a new
    plotly.js that writes them differently stops the build instead of shipping a
    bundle that could fetch from a CDN.
    """
    for old, new in CDN_DEFAULTS.items():
        if code.count(old) != 1:
            raise BuildError(f"Expected one `{old}` in the bundle, found {code.count(old)}: "
                             "update CDN_DEFAULTS in tools/plotly-bundle/build.py.")
        code = code.replace(old, new)
    left = CDN_RE.search(code)
    if left:
        raise BuildError(f"The bundle still names {code[left.start():left.start() + 60]!r}: "
                         "add its default to CDN_DEFAULTS in tools/plotly-bundle/build.py.")
    return code


def eager_modules(bundle: Path) -> int:
    """Parenthesise the bundle's module factories in place (eager-modules.js: V8
    then compiles each once, when the bundle is evaluated, instead of twice);
    returns how many were wrapped."""
    wrapped = bundle.with_name(f"eager-{bundle.name}")
    try:
        done = subprocess.run(["node", str(HERE / "eager-modules.js"), str(bundle), str(wrapped)],
                              cwd=HERE, check=True, capture_output=True, text=True)
    except FileNotFoundError:
        raise BuildError("node not found: install Node.js and npm to build the bundle.") from None
    except subprocess.CalledProcessError as err:
        raise BuildError(f"eager-modules.js failed: {err.stderr.strip()}") from None
    os.replace(wrapped, bundle)
    return int(done.stdout)


def run(cmd: list[str], what: str) -> None:
    try:
        subprocess.run(cmd, cwd=HERE, check=True)
    except FileNotFoundError:
        raise BuildError(f"{cmd[0]} not found: install Node.js and npm to {what}.") from None
    except subprocess.CalledProcessError as err:
        raise BuildError(f"`{' '.join(cmd)}` failed (status {err.returncode}) "
                         f"while trying to {what}.") from None


def build(version: str, skip_npm: bool = False) -> dict:
    """Bundle, then move the files into dashboard/vendor/ (all or nothing)."""
    if not skip_npm:
        run(["npm", "ci", "--no-audit", "--no-fund"], "install plotly.js and esbuild")
    esbuild = HERE / "node_modules" / ".bin" / "esbuild"
    if not esbuild.exists():
        raise BuildError("esbuild is missing from tools/plotly-bundle/node_modules: "
                         "run `make plotly-bundle` (it runs npm ci).")
    banner = (f"/*! plotly.js v{version} | AURA-HLM partial bundle: {', '.join(TRACE_TYPES)}"
              f" | (c) Plotly, Inc., MIT license | built by tools/plotly-bundle */")
    VENDOR.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=HERE) as tmp:
        entry = Path(tmp) / "entry.js"
        entry.write_text(entry_source(TRACE_TYPES), encoding="utf-8")
        out = Path(tmp) / "plotly-aura.min.js"
        run([str(esbuild), str(entry), "--bundle", "--minify", "--format=iife",
             "--global-name=Plotly", "--target=es2016", "--charset=utf8",
             "--define:global=window", "--define:define.amd=false",
             "--alias:stream=stream-browserify",
             # maplibre's stylesheet, required only for map subplots (not bundled)
             "--loader:.css=empty",
             "--legal-comments=eof", f"--banner:js={banner}",
             f"--outfile={out}", "--log-level=warning"], "bundle plotly.js with esbuild")
        out.write_text(local_addresses(out.read_text(encoding="utf-8")), encoding="utf-8")
        factories = eager_modules(out)
        out.write_text(COMPILE_HINT + out.read_text(encoding="utf-8"), encoding="utf-8")
        data = out.read_bytes()
        try:
            import brotli
        except ImportError:
            raise BuildError("Python brotli is missing: run `make install` first.") from None
        compressed = Path(tmp) / "plotly-aura.min.js.br"
        compressed.write_bytes(brotli.compress(data, quality=11))
        manifest = {
            "file": BUNDLE.name,
            "plotly_js_version": version,
            "trace_types": list(TRACE_TYPES),
            "bytes": len(data),
            "eager_module_factories": factories,
            "sha256": hashlib.sha256(data).hexdigest(),
            "brotli_bytes": compressed.stat().st_size,
            "esbuild_version": subprocess.run(
                [str(esbuild), "--version"], capture_output=True, text=True,
                check=True).stdout.strip(),
        }
        runtime = Path(tmp) / REGENERATOR.name
        run([str(esbuild), str(HERE / "node_modules" / "regenerator-runtime" / "runtime.js"),
             "--minify", "--format=iife", "--target=es2016", "--charset=utf8",
             "--legal-comments=eof", f"--banner:js=/*! regenerator-runtime "
             f"v{pinned_version('regenerator-runtime')} | (c) 2014-present, Facebook, Inc., "
             "MIT license | built by tools/plotly-bundle */",
             f"--outfile={runtime}", "--log-level=warning"], "minify regenerator-runtime")
        zipper_entry = Path(tmp) / "fflate-entry.js"
        zipper_entry.write_text('export { zipSync } from "fflate";\n', encoding="utf-8")
        zipper = Path(tmp) / FFLATE.name
        run([str(esbuild), str(zipper_entry), "--bundle", "--minify", "--format=iife",
             "--global-name=fflate", "--target=es2016", "--charset=utf8",
             "--legal-comments=eof", f"--banner:js=/*! fflate v{pinned_version('fflate')} "
             "(zipSync) | (c) 2023 Arjun Barrett, MIT license | built by tools/plotly-bundle */",
             f"--outfile={zipper}", "--log-level=warning"], "minify fflate")
        tmp_manifest = Path(tmp) / "manifest.json"
        tmp_manifest.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        for source, target in ((out, BUNDLE), (compressed, BUNDLE_BR), (tmp_manifest, MANIFEST),
                               (runtime, REGENERATOR), (zipper, FFLATE)):
            # Copied next to its target first: os.replace is then atomic.
            partial = target.with_name(f".{target.name}.tmp")
            shutil.move(source, partial)
            os.replace(partial, target)
    return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check-only", action="store_true",
                        help="only check that package.json matches the Python plotly")
    parser.add_argument("--skip-npm", action="store_true",
                        help="use the node_modules already installed (no npm ci)")
    args = parser.parse_args(argv)
    try:
        version = check_versions()
        if args.check_only:
            print(f"plotly.js {version}: package.json matches the Python plotly.")
            return 0
        manifest = build(version, skip_npm=args.skip_npm)
    except BuildError as err:
        print(f"make plotly-bundle: {err}", file=sys.stderr)
        return 1
    print(f"{BUNDLE.relative_to(ROOT)}: plotly.js {manifest['plotly_js_version']}, "
          f"{', '.join(manifest['trace_types'])}; {manifest['bytes']:,} bytes, "
          f"sha256 {manifest['sha256'][:12]}…")
    return 0


if __name__ == "__main__":
    sys.exit(main())
