"""The fill-in template of the landlord file: a CSV header and an Excel workbook.

`python -m dashboard.data template-bailleurs` writes both into `data/templates/`.
The workbook has a « Données » sheet (header, drop-down lists from the
contract) and an « Instructions » sheet; it is byte-stable (fixed timestamps).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

from ..atomic import write_files_atomically
from ..columns import KIND_LABELS
from .contract import (
    BAILLEUR_TYPES,
    ENGAGED_FROM,
    ENGAGEMENT_COLUMN_NAMES,
    ENGAGEMENT_COLUMNS,
    ENGAGEMENT_LEVELS,
    LEVEL_DEFINITIONS,
    PROGRAMMES,
    TEMPLATE_CSV,
    TEMPLATE_XLSX,
)

FIXED_TIMESTAMP = dt.datetime(2026, 1, 1, 0, 0, 0)  # template metadata: byte-stable files

def template_csv() -> str:
    """Header line of the CSV template."""
    return ",".join(ENGAGEMENT_COLUMN_NAMES) + "\n"


def _instructions() -> list[tuple[object, ...]]:
    rows: list[tuple[object, ...]] = [
        ("Engagement des bailleurs sociaux dans les programmes de revitalisation : modèle à "
         "remplir",),
        (),
        ("Une ligne par bailleur × commune × programme. La combinaison (bailleur_siren, "
         "code_insee, programme) doit être unique.",),
        ("Remplir la feuille « Données » (qui doit rester la première feuille), sans modifier "
         "la ligne d'en-tête.",),
        ("Où déposer le fichier : dans le dossier data/ de l'application, sous le nom "
         "engagements_bailleurs.xlsx (ou, exporté en « CSV UTF-8 », "
         "engagements_bailleurs.csv). Un seul des deux.",),
        ("Vérifier le fichier avant dépôt : python -m dashboard.data validate "
         "data/engagements_bailleurs.xlsx (une ligne en français par problème).",),
        ("Dès qu'un fichier réel est présent, il remplace les données de démonstration au "
         "prochain démarrage de l'application, sans autre modification.",),
        (),
        ("Colonne", "Type", "Définition"),
    ]
    for c in ENGAGEMENT_COLUMNS:
        extra = []
        if c.allowed:
            extra.append("valeurs : " + ", ".join(c.allowed))
        if c.minimum is not None:
            extra.append(f"minimum {c.minimum:g}")
        rows.append((c.name, KIND_LABELS[c.kind],
                     c.definition + (" (" + " ; ".join(extra) + ")" if extra else "")))
    rows += [(), ("Échelle d'engagement (du plus faible au plus fort)", "Rang", "Signification")]
    for i, level in enumerate(ENGAGEMENT_LEVELS):
        rows.append((level, i, LEVEL_DEFINITIONS[level]))
    rows += [
        (),
        (f"Un bailleur est compté comme « engagé » à partir du niveau « {ENGAGED_FROM} ».",),
        ("donnees_demonstration : mettre False pour des données réelles (True est réservé au "
         "fichier de démonstration, aux bailleurs fictifs).",),
        ("Codes (SIREN, code INSEE) : saisis comme du texte, en gardant les zéros initiaux "
         "(« 01004 », pas « 1004 »).",),
    ]
    return rows


def _stable_zip(data: bytes) -> bytes:
    """Re-pack an xlsx byte-stable: openpyxl stamps the current time on the zip
    entries and on the "modified" document property whatever it is set to."""
    stamp = FIXED_TIMESTAMP.strftime("%Y-%m-%dT%H:%M:%SZ")
    src = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                                 rb"\g<1>" + stamp.encode() + rb"\g<2>", content)
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIMESTAMP.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, content)
    return buffer.getvalue()


def template_xlsx() -> bytes:
    """The Excel template: « Données » (header, drop-downs) and « Instructions » sheets."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    last = 5000
    wb = Workbook()
    ws = wb.active
    ws.title = "Données"
    ws.append(list(ENGAGEMENT_COLUMN_NAMES))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    letter = {name: get_column_letter(i + 1) for i, name in enumerate(ENGAGEMENT_COLUMN_NAMES)}
    widths = {"bailleur_nom": 36, "niveau_engagement": 28, "programme": 20}
    for name, col in letter.items():
        ws.column_dimensions[col].width = widths.get(name, max(14, len(name) + 2))
    for name in ("bailleur_nom", "bailleur_siren", "code_insee"):
        ws.column_dimensions[letter[name]].number_format = "@"
    ws.column_dimensions[letter["date_information"]].number_format = "yyyy-mm-dd"

    def add(dv: DataValidation, name: str, prompt: str) -> None:
        dv.error = prompt
        dv.errorTitle = "Valeur non valide"
        dv.prompt = prompt
        dv.showErrorMessage = True
        dv.showInputMessage = True
        dv.add(f"{letter[name]}2:{letter[name]}{last}")
        ws.add_data_validation(dv)

    lists = {
        "bailleur_type": (BAILLEUR_TYPES, "Choisir le type de l'organisme."),
        "programme": (PROGRAMMES, "Choisir le programme."),
        "niveau_engagement": (ENGAGEMENT_LEVELS, "Choisir le niveau d'engagement."),
        "donnees_demonstration": (("True", "False"), "False pour des données réelles."),
    }
    for name, (values, prompt) in lists.items():
        add(DataValidation(type="list", formula1='"' + ",".join(values) + '"',
                           allow_blank=False), name, prompt)
    add(DataValidation(type="textLength", operator="equal", formula1="9"), "bailleur_siren",
        "SIREN : 9 chiffres, sans espace.")
    add(DataValidation(type="textLength", operator="equal", formula1="5"), "code_insee",
        "Code INSEE : 5 caractères (COG 2026), avec le zéro initial.")
    add(DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0"),
        "logements_concernes", "Nombre entier de logements, 0 ou plus.")
    add(DataValidation(type="date", operator="greaterThan", formula1="36526"),
        "date_information", "Date au format AAAA-MM-JJ.")

    info = wb.create_sheet("Instructions")
    for row in _instructions():
        info.append(list(row))
    info.column_dimensions["A"].width = 40
    info.column_dimensions["B"].width = 22
    info.column_dimensions["C"].width = 100
    info["A1"].font = Font(bold=True, size=13)
    for row in info.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=cell.column == 3, vertical="top")
            if cell.value in ("Colonne", "Échelle d'engagement (du plus faible au plus fort)"):
                for c in row:
                    c.font = Font(bold=True)

    wb.properties.creator = "AURA-HLM"
    wb.properties.lastModifiedBy = "AURA-HLM"
    wb.properties.title = "Engagement des bailleurs sociaux : modèle"
    wb.properties.created = FIXED_TIMESTAMP
    wb.properties.modified = FIXED_TIMESTAMP
    buffer = io.BytesIO()
    wb.save(buffer)
    return _stable_zip(buffer.getvalue())


def write_templates(out_dir: Path) -> list[Path]:
    """Write the CSV and Excel templates into `out_dir` atomically; returns their paths."""
    csv_text = template_csv()
    xlsx = template_xlsx()
    write_files_atomically(out_dir, {
        TEMPLATE_CSV: lambda p: p.write_bytes(csv_text.encode("utf-8")),
        TEMPLATE_XLSX: lambda p: p.write_bytes(xlsx),
    })
    return [out_dir / TEMPLATE_CSV, out_dir / TEMPLATE_XLSX]


