"""The ZIP writer of the camera's slides (assets/presentation.js): npm's fflate, cut to
`zipSync` by `make plotly-bundle`, served from the site and announced to the script by
a meta tag; a tall chart's ZIP is checked end to end in
tests/browser/test_export_browser.py."""

from __future__ import annotations

import base64
import io
import json
import re
import subprocess
import zipfile
from pathlib import Path

import pytest

from dashboard import vendor

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "tools" / "plotly-bundle"


@pytest.fixture(scope="module")
def client(dashboard_app):
    return dashboard_app.server.test_client()


@pytest.mark.parametrize("path", ["/", "/territoire?epci=200068674", "/methode"])
def test_pages_name_the_versioned_zip_writer_and_the_site_serves_it(client, path):
    html = client.get(path).get_data(as_text=True)
    found = re.findall(r'<meta name="aura-zip-script" content="([^"]*)">', html)
    assert found == [f"/vendor/aura/fflate-zip.min.js?v={vendor.stamp(vendor.FFLATE)}"]
    # Not loaded with the page: only when a ZIP is written.
    assert "fflate" not in "".join(re.findall(r"<script[^>]*>", html))
    resp = client.get(found[0])
    assert resp.status_code == 200
    assert resp.mimetype == "text/javascript"
    assert "zipSync" in resp.get_data(as_text=True)


def test_the_zip_writer_is_the_pinned_npm_package():
    pinned = json.loads((BUILD / "package.json").read_text(encoding="utf-8"))[
        "dependencies"]["fflate"]
    lock = json.loads((BUILD / "package-lock.json").read_text(encoding="utf-8"))
    assert lock["packages"]["node_modules/fflate"]["version"] == pinned
    first_line = vendor.FFLATE.read_text(encoding="utf-8").split("\n", 1)[0]
    assert first_line.startswith(f"/*! fflate v{pinned} (zipSync) ")
    assert "MIT license" in first_line


NODE_ZIP = """
const fs = require('fs'), vm = require('vm');
const context = {Uint8Array, Uint16Array, Int32Array, Uint32Array, TextEncoder, TextDecoder,
                 Date, Math, Error, Object, Array, String, setTimeout, queueMicrotask};
context.self = context; context.window = context;
vm.runInNewContext(fs.readFileSync(process.argv[1], 'utf8'), context);
const bytes = Uint8Array.from([137, 80, 78, 71, 0, 1, 2, 255]);
const out = context.fflate.zipSync({
  'taux-1-sur-2_séance.png': [bytes, {level: 0}],
  'taux-2-sur-2_séance.png': [new Uint8Array(0), {level: 0}],
});
process.stdout.write(Buffer.from(out).toString('base64'));
"""


def test_the_vendored_writer_makes_a_zip_python_reads_back():
    # Node.js is installed by `make test` (axe-core); a missing node fails here.
    proc = subprocess.run(["node", "-e", NODE_ZIP, str(vendor.FFLATE)], capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    with zipfile.ZipFile(io.BytesIO(base64.b64decode(proc.stdout))) as archive:
        assert archive.testzip() is None
        assert archive.namelist() == ["taux-1-sur-2_séance.png", "taux-2-sur-2_séance.png"]
        assert archive.read("taux-1-sur-2_séance.png") == bytes([137, 80, 78, 71, 0, 1, 2, 255])
        assert archive.read("taux-2-sur-2_séance.png") == b""
        assert {i.compress_type for i in archive.infolist()} == {zipfile.ZIP_STORED}
