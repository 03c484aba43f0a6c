"""Generate `data/SCHEMA.md` from the column contracts (one source of truth)."""

from __future__ import annotations

from pathlib import Path

from .atomic import write_files_atomically
from .columns import COMMUNE_COLUMNS, KIND_LABELS, ColumnSpec


def _table(columns: tuple[ColumnSpec, ...]) -> list[str]:
    lines = ["| Colonne | Type | Unité | Définition | Source | Millésime |",
             "|---|---|---|---|---|---|"]
    for c in columns:
        kind = KIND_LABELS[c.kind] + (" ; vide possible" if c.nullable and c.kind != "nullable_int"
                                      else "")
        extra = []
        if c.allowed:
            extra.append("valeurs : " + ", ".join(c.allowed))
        if c.pattern:
            extra.append(f"format `{c.pattern}`")
        if c.minimum is not None or c.maximum is not None:
            lo = "" if c.minimum is None else f"{c.minimum:g}"
            hi = "" if c.maximum is None else f"{c.maximum:g}"
            extra.append(f"bornes [{lo} ; {hi}]")
        definition = c.definition + (" (" + " ; ".join(extra) + ")" if extra else "")
        cells = [f"`{c.name}`", kind, c.unit or "—", definition, c.source, c.vintage]
        lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    return lines


def schema_markdown() -> str:
    from . import bailleurs

    parts = [
        "# Contrat des tables (SCHEMA)",
        "",
        "Fichier généré par `python -m dashboard.data schema-doc` à partir de "
        "`dashboard/data/columns.py` : ne pas le modifier à la main.",
        "",
        "## `data/communes.parquet` : table des communes",
        "",
        "Une ligne par commune (COG 2026) ; clé : `code_insee` (unique). Construite par "
        "`python -m dashboard.data build` à partir de `data/raw/` (voir `SOURCES.md`). "
        "Vérifiée au démarrage de l'application et par "
        "`python -m dashboard.data validate CHEMIN`.",
        "",
        *_table(COMMUNE_COLUMNS),
        "",
    ]
    parts += bailleurs.schema_markdown_section() if hasattr(
        bailleurs, "schema_markdown_section") else []
    return "\n".join(parts).rstrip() + "\n"


def write_schema_doc(path: Path) -> None:
    text = schema_markdown()
    write_files_atomically(path.parent, {path.name: lambda p: p.write_text(text, "utf-8")})
