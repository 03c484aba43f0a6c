"""Provenance of the data: what the "Méthode et sources" page says, read from the
project's files at run time.

- build counts from `data/build_info.json` (written by the build: never typed here);
- one entry per raw file the code reads, parsed from `data/SOURCES.md`
  (its "### `file`" headings, "- Licence:" and "- Caveats:" lines);
- which raw files each column of the commune table comes from (the column spec's
  `files` when it names them, else `COLUMN_FILES`), so each indicator can show
  the licence of its sources;
- the downloadable files (engagement templates, SCHEMA.md), by name only.

No Dash here: plain Python and pandas, tested on small inputs.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .. import config
from . import bailleurs
from .build import BUILD_INFO_FILE
from .columns import COMMUNE_COLUMNS, KIND_LABELS, ColumnSpec
from .sources import RAW_FILES

SOURCES_FILE = "SOURCES.md"
SCHEMA_FILE = "SCHEMA.md"

# Raw files (keys of sources.RAW_FILES) each column of the commune table is built from.
COLUMN_FILES: dict[str, tuple[str, ...]] = {c.name: c.files for c in COMMUNE_COLUMNS}

# Raw files used for something else than a column of the commune table.
OTHER_USES: dict[str, str] = {
    RAW_FILES["geo_communes"]: "fond de carte des communes (simplifié)",
    RAW_FILES["geo_epci"]: "fond de carte des intercommunalités (simplifié)",
}

ENGAGEMENT_LICENCE = "données propres à AURA-HLM (aucune source publique)"

ORT_AGREEMENTS_NOTE = (
    "Une ORT est une convention qui couvre souvent plusieurs communes. Le fichier national "
    f"de suivi des ORT ({RAW_FILES['ort']}) donne une ligne par commune, sans identifiant "
    "de convention ; une même date de signature dans une même intercommunalité ne suffit "
    "pas à reconnaître une convention. Le tableau de bord compte donc les communes "
    "couvertes par une ORT signée, et non les conventions.")
"""Why the dashboard counts communes covered by an ORT, not distinct agreements."""

# Downloadable files: name -> (folder under the data directory, MIME type).
DOWNLOADS: dict[str, tuple[str, str]] = {
    bailleurs.TEMPLATE_XLSX: (bailleurs.TEMPLATE_DIR,
                              "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    bailleurs.TEMPLATE_CSV: (bailleurs.TEMPLATE_DIR, "text/csv"),
    SCHEMA_FILE: ("", "text/markdown"),
}


def data_file(relative: str) -> Path:
    """A file of the data directory, else the one shipped with the code (same relative path)."""
    local = config.data_dir() / relative
    if local.is_file():
        return local
    shipped = config.ROOT / "data" / relative
    return shipped if shipped.is_file() else local


def built_file(name: str) -> Path:
    """A file of the served build version (`data/current`), else of the shipped one."""
    from .atomic import PointerError, served_dir

    for root in (config.data_dir(), config.ROOT / "data"):
        try:
            path = served_dir(root) / name
        except PointerError:
            continue
        if path.is_file():
            return path
    return config.data_dir() / name


def download_path(name: str) -> Path | None:
    """Path of a downloadable file by its exact name; None for any other name."""
    if name not in DOWNLOADS:
        return None
    folder, _ = DOWNLOADS[name]
    path = data_file(f"{folder}/{name}" if folder else name)
    return path if path.is_file() else None


# --- build_info.json ---------------------------------------------------------------------

def read_build_info(path: Path | None = None) -> dict:
    """The build's summary (`data/build_info.json`); {} when absent or unreadable."""
    path = path or built_file(BUILD_INFO_FILE)
    try:
        info = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return info if isinstance(info, dict) else {}


def build_count(info: dict, key: str) -> int | None:
    """One of the build's counts (`counts.<key>`), None when absent."""
    value = info.get("counts", {}).get(key)
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) \
        else None


# --- figures of the method, computed on the commune table --------------------------------

def rate_illustration(communes: pd.DataFrame) -> dict[str, float]:
    """Ratio of sums vs. the (wrong) mean of commune rates, on a set of communes.

    Keys: ratio (100 × Σ logements sociaux / Σ résidences principales),
    mean_of_rates (plain mean of the commune rates), communes (counted).
    """
    rp = communes["residences_principales"]
    ls = communes["logements_sociaux"]
    total_rp = float(rp.sum())
    ratio = 100 * float(ls.sum()) / total_rp if total_rp > 0 else math.nan
    rates = (100 * ls / rp.where(rp > 0)).dropna()
    return {"ratio": ratio, "mean_of_rates": float(rates.mean()) if len(rates) else math.nan,
            "communes": len(rates)}


def imputed_population_share(communes: pd.DataFrame) -> float:
    """Share (%) of the population living in communes whose main residences are estimated."""
    total = float(communes["population"].sum())
    if total <= 0:
        return math.nan
    flag = communes["residences_principales_estimees"].astype(bool)
    return 100 * float(communes.loc[flag, "population"].sum()) / total


# --- SOURCES.md --------------------------------------------------------------------------

@dataclass(frozen=True)
class SourceEntry:
    """One "### `file`" section of SOURCES.md."""

    file: str
    label: str  # the heading's text in brackets, if any
    licence: str  # the licence sentences, as written (English)
    caveats: tuple[str, ...]  # as written (English)
    licence_label: str  # short French label


HEADING = re.compile(r"^###\s+`([^`]+)`\s*(?:\((.*)\))?\s*$")
FIELD = re.compile(r"^- ([A-Z][A-Za-z ]*?):\s*(.*)$")
SUB_ITEM = re.compile(r"^\s+- (.*)$")
HEDGES = ("not verified", "not stated", "normally", "not re-checked", "was not")


def licence_label(text: str) -> str:
    """A short French label of a licence sentence, conservative.

    "Licence Ouverte" only when the source states it without reservation;
    "probable, non vérifiée" when the sentence hedges; otherwise "non précisée".
    """
    low = text.lower()
    if "licence ouverte" not in low:
        return "licence non précisée par la source"
    version = " 2.0" if re.search(r"licence ouverte 2\.0", low) else ""
    if any(h in low for h in HEDGES):
        return f"Licence Ouverte{version} probable (non vérifiée)"
    return f"Licence Ouverte{version}"


def _fields(lines: list[str]) -> dict[str, list[str]]:
    """Bullet fields of a section: {"Licence": [text], "Caveats": [text, sub-item, ...]}."""
    out: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in lines:
        m = FIELD.match(line)
        if m:
            current = out.setdefault(m.group(1).strip(), [])
            if m.group(2).strip():
                current.append(m.group(2).strip())
            continue
        if current is None or not line.strip():
            if not line.strip():
                continue
            current = None
            continue
        sub = SUB_ITEM.match(line)
        if sub:
            current.append(sub.group(1).strip())
        elif line.startswith(" ") and current:
            current[-1] = f"{current[-1]} {line.strip()}"
        else:
            current = None
    return out


def _sentences_with(text: str, word: str) -> str:
    parts = re.split(r"(?<=[.;])\s+", text)
    return " ".join(p for p in parts if word in p.lower()).strip()


def parse_sources(text: str) -> list[SourceEntry]:
    """The "### `file`" sections of SOURCES.md, in order, with licence and caveats."""
    sections: list[tuple[str, str, list[str]]] = []
    for line in text.splitlines():
        m = HEADING.match(line)
        if m:
            sections.append((m.group(1), (m.group(2) or "").strip(), []))
        elif line.startswith("## ") or line.startswith("### ") or line.strip() == "---":
            sections.append(("", "", []))  # closes the previous file section
        elif sections:
            sections[-1][2].append(line)
    entries: list[SourceEntry] = []
    previous = ""
    for name, label, lines in sections:
        if not name:
            continue
        fields = _fields(lines)
        licence = " ".join(fields.get("Licence", []))
        if not licence:
            named = [k for k in fields if "licence" in k.lower()]
            if named:
                licence = " ".join(fields[named[0]])
            else:
                licence = next((_sentences_with(" ".join(v), "licence") for v in fields.values()
                                if "licence" in " ".join(v).lower()), "")
        caveats = list(fields.get("Caveats", []) or fields.get("Caveat", []))
        for values in fields.values():
            for value in values:
                m = re.search(r"\bCaveat:\s*(.*)$", value)
                if m:
                    caveats.append(m.group(1).strip())
        if "as above" in licence.lower() and previous:
            label_fr = previous
        else:
            label_fr = licence_label(licence)
        previous = label_fr
        entries.append(SourceEntry(name, label, licence, tuple(caveats), label_fr))
    return entries


def read_sources(path: Path | None = None) -> list[SourceEntry]:
    """Entries of the project's SOURCES.md ([] when the file is absent)."""
    path = path or data_file(SOURCES_FILE)
    try:
        return parse_sources(path.read_text("utf-8"))
    except OSError:
        return []


def used_sources(entries: list[SourceEntry],
                 files: tuple[str, ...] = tuple(RAW_FILES.values())
                 ) -> tuple[list[SourceEntry], list[str]]:
    """The entries of the raw files the code reads (SOURCES.md order), and files not documented."""
    wanted = set(files)
    used = [e for e in entries if e.file in wanted]
    documented = {e.file for e in used}
    return used, [f for f in files if f not in documented]


def unused_raw_files(entries: list[SourceEntry],
                     files: tuple[str, ...] = tuple(RAW_FILES.values())) -> list[str]:
    """Documented raw files that the build does not read."""
    return [e.file for e in entries if e.file not in set(files)]


# --- column documentation ----------------------------------------------------------------

def column_details(spec: ColumnSpec) -> list[str]:
    """French details of a column: type, unit, allowed values, bounds."""
    kind = KIND_LABELS[spec.kind]
    if spec.nullable and spec.kind != "nullable_int":
        kind += ", vide possible"
    out = [f"Type : {kind}"]
    if spec.unit:
        out.append(f"Unité : {spec.unit}")
    if spec.allowed:
        out.append("Valeurs : " + ", ".join(spec.allowed))
    if spec.minimum is not None or spec.maximum is not None:
        lo = "" if spec.minimum is None else f"{spec.minimum:g}"
        hi = "" if spec.maximum is None else f"{spec.maximum:g}"
        out.append(f"Bornes : [{lo} ; {hi}]")
    return out


def column_file_keys(name: str) -> tuple[str, ...]:
    """Keys of the raw files a commune column comes from: its spec's `files` when the
    spec names them, else `COLUMN_FILES` (() for an unknown column)."""
    spec = next((c for c in COMMUNE_COLUMNS if c.name == name), None)
    files = tuple(getattr(spec, "files", None) or ())
    return files or COLUMN_FILES.get(name, ())


def column_files(name: str) -> list[str]:
    """Raw file names a commune column comes from ([] for an unknown column)."""
    return [RAW_FILES[k] for k in column_file_keys(name)]


def column_licences(name: str, entries: list[SourceEntry]) -> list[str]:
    """French licence labels of the raw files of a commune column, without repeats."""
    by_file = {e.file: e.licence_label for e in entries}
    labels: list[str] = []
    for file in column_files(name):
        label = by_file.get(file, "voir data/SOURCES.md")
        if label not in labels:
            labels.append(label)
    return labels


def columns_without_files() -> list[str]:
    """Commune columns whose raw files are not named (should be none)."""
    return [c.name for c in COMMUNE_COLUMNS if not column_file_keys(c.name)]
