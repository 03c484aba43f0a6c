"""Generate `data/SCHEMA.md` from the column contracts (one source of truth).

Two sections: the commune table (`columns.COMMUNE_COLUMNS`) and the landlord
file (`bailleurs.ENGAGEMENT_COLUMNS`, with its scale and file rules). This
module imports the landlord package, never the other way round.
"""

from __future__ import annotations

from pathlib import Path

from ..formatting import fmt_int
from ..registry import enumeration
from .atomic import write_files_atomically
from .bailleurs.contract import (
    DEMO_DIR,
    DEMO_FILE,
    DEMO_LABEL,
    DEMO_SEED,
    ENGAGED_FROM,
    ENGAGED_RANK,
    ENGAGEMENT_COLUMNS,
    ENGAGEMENT_LEVELS,
    LEVEL_DEFINITIONS,
    TEMPLATE_CSV,
    TEMPLATE_XLSX,
)
from .columns import COMMUNE_COLUMNS, KIND_LABELS, OUTSIDE_TABLE_DOC, ColumnSpec
from .schema import MAX_ROWS, MAX_UNCOMPRESSED_BYTES, MB


def column_table(columns: tuple[ColumnSpec, ...]) -> list[str]:
    """A Markdown table of column specs (name, type, unit, definition, source, vintage)."""
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
    """The text of `data/SCHEMA.md`."""
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
        *column_table(COMMUNE_COLUMNS),
        "",
        "## `data/communes_hors_region.parquet` : communes hors région des EPCI "
        "interrégionaux",
        "",
        OUTSIDE_TABLE_DOC,
        "",
    ]
    parts += landlord_section()
    return "\n".join(parts).rstrip() + "\n"


def landlord_section() -> list[str]:
    """Markdown lines documenting the landlord file in data/SCHEMA.md."""
    scale = [f"- rang {i}, « {level} » : {LEVEL_DEFINITIONS[level]}"
             for i, level in enumerate(ENGAGEMENT_LEVELS)]
    return [
        "## `data/engagements_bailleurs.csv` (ou `.xlsx`) : engagement des bailleurs sociaux",
        "",
        "Une ligne par bailleur × commune × programme ; clé : (`bailleur_siren`, `code_insee`, "
        "`programme`), unique. Aucune source publique ne fournit ces données : elles "
        "appartiennent à AURA-HLM. Modèle à remplir : `data/templates/" + TEMPLATE_XLSX
        + "` (ou `" + TEMPLATE_CSV + "`), généré par "
        "`python -m dashboard.data template-bailleurs` ; vérification : "
        "`python -m dashboard.data validate CHEMIN`. Les codes INSEE doivent figurer dans la "
        "table des communes ; une ligne dont le programme ne correspond pas à la commune "
        "donne un avertissement ; une `date_information` postérieure à la date du jour rend "
        "le fichier invalide.",
        "",
        "Avant toute lecture, un fichier est refusé (message en français) s'il dépasse "
        f"{fmt_int(MAX_ROWS)} lignes, si un classeur `.xlsx` dépasserait "
        f"{MAX_UNCOMPRESSED_BYTES // MB} Mo une fois décompressé ou est anormalement "
        "compressé, s'il déclare des entités XML, ou s'il "
        "s'agit d'un ancien classeur `.xls` renommé en `.xlsx` (à réenregistrer au format "
        "`.xlsx` ou « CSV UTF-8 »). Les noms et textes du fichier sont affichés tels quels, "
        "jamais interprétés (ni dans les graphiques ni dans les exports CSV, où une cellule "
        "commençant par `=`, `+`, `-`, `@`, une tabulation ou un retour chariot reçoit une "
        "apostrophe initiale).",
        "",
        "Tant que ce fichier est absent, l'application utilise le fichier de démonstration "
        f"`data/{DEMO_DIR}/{DEMO_FILE}` (`python -m dashboard.data demo-bailleurs`, graine "
        f"{DEMO_SEED}) : bailleurs fictifs (« Bailleur fictif A – OPH démo »…), SIREN fictifs "
        "(000000…, clé de contrôle invalide), placés sur les vraies communes des programmes, "
        f"toutes les lignes avec `donnees_demonstration` = True et signalées comme "
        f"« {DEMO_LABEL} » à l'écran.",
        "",
        "Échelle d'engagement (ordonnée) :",
        "",
        *scale,
        "",
        f"Un bailleur est « engagé » à partir du niveau « {ENGAGED_FROM} » (rang "
        f"{ENGAGED_RANK}). Les indicateurs ne comptent que les lignes situées sur des "
        f"communes de programme ({enumeration()}) ; taux "
        "d'engagement d'un EPCI = 100 × communes de programme ayant au moins un bailleur "
        "engagé / communes de programme.",
        "",
        *column_table(ENGAGEMENT_COLUMNS),
        "",
    ]


def write_schema_doc(path: Path) -> None:
    """Write `schema_markdown()` to `path` atomically."""
    text = schema_markdown()
    write_files_atomically(path.parent, {path.name: lambda p: p.write_text(text, "utf-8")})
