"""The palette: Python constants and the CSS variables of assets/style.css agree,
no CSS file writes a colour of its own, and text colours keep AA contrast."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dashboard import palette

ASSETS = Path(__file__).resolve().parents[1] / "assets"
CSS_FILES = sorted(ASSETS.glob("*.css"))
HEX = re.compile(r"#[0-9a-fA-F]{3,8}\b")
COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)


def root_block(css: str) -> str:
    """The body of the first `:root { … }` rule."""
    match = re.search(r":root\s*\{([^}]*)\}", COMMENT.sub("", css))
    assert match, "no :root rule"
    return match.group(1)


def declarations(block: str) -> dict[str, str]:
    """`--name: value;` pairs of a rule body."""
    return {m.group(1): m.group(2).strip()
            for m in re.finditer(r"(--[\w-]+)\s*:\s*([^;]+);", block)}


def hex_outside_root(css: str) -> list[str]:
    """Hex colours written outside the :root rule (comments ignored)."""
    text = COMMENT.sub("", css)
    text = re.sub(r":root\s*\{[^}]*\}", "", text)
    return HEX.findall(text)


@pytest.fixture(scope="module")
def root() -> dict[str, str]:
    return declarations(root_block((ASSETS / "style.css").read_text(encoding="utf-8")))


def test_css_files_are_found():
    names = {p.name for p in CSS_FILES}
    assert {"style.css", "territoire.css", "regional.css", "programmes.css", "bailleurs.css",
            "methode.css", "presentation.css", "print.css"} <= names


def test_css_variable_names():
    assert palette.css_variable("TEXT") == "--aura-text"
    assert palette.css_variable("DEMO_RED") == "--aura-demo-red"
    assert palette.css_variables()["--aura-brand"] == "#00527a"


def test_every_css_colour_variable_is_the_python_constant(root):
    declared = {k: v.lower() for k, v in root.items() if k.startswith("--aura-")}
    expected = {k: v.lower() for k, v in palette.css_variables().items()}
    assert declared == expected
    assert len(declared) == len(palette.CSS_COLORS) == 12


def test_accent_is_one_colour_in_css_and_python(root):
    # Issue 8: "accent" was blue in CSS and orange in Python.
    assert root["--aura-accent"].lower() == palette.ACCENT == "#b45309"


def test_bootstrap_rgb_triples_match_the_palette(root):
    def triple(value: str) -> tuple[int, ...]:
        return tuple(int(x) for x in value.split(","))

    assert triple(root["--bs-link-color-rgb"]) == palette.rgb(palette.BRAND) == (0, 82, 122)
    assert triple(root["--bs-primary-rgb"]) == palette.rgb(palette.PRIMARY) == (11, 83, 148)


def test_bootstrap_variables_point_at_ours(root):
    assert root["--bs-body-color"] == "var(--aura-text)"
    assert root["--bs-link-color"] == "var(--aura-brand)"
    assert root["--bs-secondary-color"] == "var(--aura-muted)"


@pytest.mark.parametrize("path", CSS_FILES, ids=lambda p: p.name)
def test_no_hex_colour_outside_root(path):
    assert hex_outside_root(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("path", CSS_FILES, ids=lambda p: p.name)
def test_every_variable_used_is_declared(path, root):
    used = set(re.findall(r"var\((--aura-[\w-]+)", path.read_text(encoding="utf-8")))
    assert used <= set(root), used - set(root)


def test_only_style_css_declares_colour_variables():
    for path in CSS_FILES:
        if path.name != "style.css":
            text = COMMENT.sub("", path.read_text(encoding="utf-8"))
            assert not re.search(r"--aura-[\w-]+\s*:", text), path.name


def test_the_checks_catch_a_stray_colour():
    css = ":root { --aura-text: #1f2933; }\n/* #123456 in a comment */\n.x { color: #ABC; }"
    assert hex_outside_root(css) == ["#ABC"]
    assert declarations(root_block(css)) == {"--aura-text": "#1f2933"}


def test_rgb_and_contrast_known_answers():
    assert palette.rgb("#fff") == (255, 255, 255)
    assert palette.contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert palette.contrast("#ffffff", "#ffffff") == pytest.approx(1.0)
    # WebAIM's checker: #767676 on white is 4.54:1.
    assert palette.contrast("#767676") == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize("name", ["TEXT", "MUTED", "BRAND", "PRIMARY", "ACCENT", "DEMO_RED",
                                  "CODE"])
def test_text_colours_are_aa_on_white_and_on_the_panel(name):
    color = getattr(palette, name)
    assert palette.contrast(color) >= 4.5
    assert palette.contrast(color, palette.PANEL) >= 4.5


def test_white_text_on_the_header_and_buttons_is_aa():
    assert palette.contrast(palette.BACKGROUND, palette.BRAND) >= 4.5
    assert palette.contrast(palette.BACKGROUND, palette.PRIMARY) >= 4.5
    assert palette.contrast(palette.BACKGROUND, palette.DEMO_RED) >= 4.5
