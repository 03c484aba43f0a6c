"""The data-maintenance part of the page "Méthode et sources" (collapsed): column
contracts, landlord-data format, sources and licences, rebuild commands."""

from __future__ import annotations

from dash import html

from dashboard.data import bailleurs
from dashboard.data import provenance as m
from dashboard.data.columns import COMMUNE_COLUMNS, ColumnSpec
from dashboard.data.sources import COG_YEAR
from dashboard.formatting import fmt_int, plural
from dashboard.urls import download_href
from dashboard.views import methode as view


def with_code(text: str) -> list:
    """Text whose `backquoted` parts are shown as code."""
    parts = text.split("`")
    return [html.Code(p) if i % 2 else p for i, p in enumerate(parts) if p]


def section(anchor: str, title: str, *children) -> html.Section:
    return html.Section([html.H2(title, id=anchor, className="h4 mt-4"), *children],
                        className="methode-section", **{"aria-labelledby": anchor})


def _column_entry(spec: ColumnSpec, licences: list[str], files: list[str],
                  prefix: str) -> list:
    details = [*m.column_details(spec), f"Source : {spec.source} ({spec.vintage})"]
    if licences:
        details.append("Licence : " + " ; ".join(licences))
    items = [html.Li(d) for d in details]
    if files:
        items.append(html.Li([plural(len(files), "Fichier brut", "Fichiers bruts",
                                     number=False) + " : ",
                              *[x for i, f in enumerate(files)
                                for x in ((", " if i else ""), html.A(html.Code(f),
                                                                      href=f"#source-{f}"))]]))
    return [html.Dt(html.Code(spec.name), id=f"{prefix}-{spec.name}"),
            html.Dd([html.P(spec.definition, className="mb-1"),
                     html.Ul(items, className="methode-details small")])]


def column_list(columns: tuple[ColumnSpec, ...], entries: tuple[m.SourceEntry, ...],
                list_id: str, engagement: bool = False) -> html.Dl:
    """A definition list of columns: name, definition, type, source, vintage, licence."""
    children = []
    for spec in columns:
        if engagement:
            children += _column_entry(spec, [m.ENGAGEMENT_LICENCE], [], list_id)
        else:
            children += _column_entry(spec, m.column_licences(spec.name, entries),
                                      m.column_files(spec.name), list_id)
    return html.Dl(children, id=list_id, className="methode-colonnes")


def _command(text: str) -> html.Pre:
    return html.Pre(html.Code(text), className="methode-commande")


def _engagement_status(status: view.EngagementStatus) -> html.P:
    if status.kind == "invalid":
        return html.P(status.error, id="methode-etat-bailleurs", className="text-danger")
    if status.kind == "demo":
        return html.P([html.Strong("Actuellement : données de démonstration"),
                       f" ({plural(status.rows, 'ligne')}, bailleurs fictifs, fichier ",
                       html.Code(status.file), ")."], id="methode-etat-bailleurs")
    return html.P([html.Strong("Actuellement : fichier d'AURA-HLM"),
                   f" ({plural(status.rows, 'ligne')}, fichier ", html.Code(status.file), ")."],
                  id="methode-etat-bailleurs")


def _engagement_section(entries: tuple[m.SourceEntry, ...],
                        status: view.EngagementStatus) -> html.Section:
    real = " ou ".join(f"data/{name}" for name in bailleurs.REAL_FILES)
    downloads = [
        (bailleurs.TEMPLATE_XLSX, "Modèle Excel (.xlsx), avec listes déroulantes et "
                                  "instructions"),
        (bailleurs.TEMPLATE_CSV, "Modèle CSV (ligne d'en-tête seule)"),
        (m.SCHEMA_FILE, "Contrat complet des tables (SCHEMA.md)"),
    ]
    return section(
        "bailleurs-format", "Engagement des bailleurs : format des données",
        html.P("Le tableau de bord définit le format du fichier d'engagement : une ligne par "
               "bailleur × commune × programme, au niveau de l'échelle ci-dessus."),
        _engagement_status(status),
        html.H3("Modèles à remplir", className="h6"),
        html.Ul([html.Li(html.A(label, href=download_href(name), download=name,
                                id=f"telecharger-{name.replace('.', '-')}"))
                 for name, label in downloads], className="methode-telechargements"),
        html.H3("Déposer le fichier réel", className="h6"),
        html.Ol([
            html.Li(["Remplir le modèle (feuille « Données »), avec ",
                     html.Code("donnees_demonstration"), " = False."]),
            html.Li(["Le vérifier (une ligne en français par problème) :",
                     _command("python -m dashboard.data validate CHEMIN")]),
            html.Li(["Le déposer dans le dossier des données sous le nom ", html.Code(real),
                     " (un seul des deux)."]),
            html.Li("Redémarrer le tableau de bord : le fichier réel remplace les données de "
                    "démonstration, sans autre modification ; les bandeaux « données de "
                    "démonstration » disparaissent."),
        ], className="methode-etapes"),
        html.H3("Colonnes du fichier", className="h6"),
        column_list(bailleurs.ENGAGEMENT_COLUMNS, entries, "colonnes-bailleurs",
                    engagement=True),
    )


def _sources_section(facts: view.Facts) -> html.Section:
    undocumented, unused = facts.undocumented, facts.unused
    items = []
    for e in facts.used:
        columns = facts.users.get(e.file, ())
        body = [html.P(["Licence : ", html.Strong(e.licence_label)], className="mb-1")]
        if columns:
            body.append(html.P(["Sert à : ", *[x for i, c in enumerate(columns)
                                              for x in ((", " if i else ""), html.Code(c))]],
                               className="mb-1 small"))
        elif e.file in m.OTHER_USES:
            body.append(html.P(f"Sert à : {m.OTHER_USES[e.file]}", className="mb-1 small"))
        detail = [html.P([html.Strong("Licence : "), *with_code(e.licence)], className="mb-1")]
        if e.caveats:
            detail += [html.P(html.Strong("Précautions :"), className="mb-1"),
                       html.Ul([html.Li(with_code(c)) for c in e.caveats])]
        body.append(html.Details([
            html.Summary("Licence et précautions, texte de data/SOURCES.md (en anglais)"),
            html.Div(detail, lang="en", className="methode-extrait"),
        ]))
        items.append(html.Li([html.H3(html.Code(e.file), className="h6 mb-1",
                                      id=f"source-{e.file}"), *body],
                             className="methode-source"))
    notes = []
    if undocumented:
        notes.append(html.P("Fichiers lus mais absents de data/SOURCES.md : "
                            + ", ".join(undocumented), className="text-danger"))
    if unused:
        notes.append(html.P(["Fichiers décrits dans data/SOURCES.md mais non utilisés par "
                             "les tables : ", *[x for i, f in enumerate(unused)
                                                 for x in ((", " if i else ""), html.Code(f))],
                             "."], className="small text-muted"))
    return section(
        "sources", "Sources, licences et précautions",
        html.P(f"Les tables sont construites à partir de {fmt_int(len(facts.used))} "
               "fichiers de données publiques rassemblés dans data/raw/ ; leur provenance "
               "exacte et les "
               "éventuelles transformations sont décrites dans data/SOURCES.md. Pour chacun : "
               "sa licence telle que la décrit ce fichier (« probable, non vérifiée » quand la "
               "source ne l'affirme pas) et les précautions d'usage."),
        html.Ul(items, className="list-unstyled", id="methode-sources"),
        *notes,
    )


def _rebuild_section() -> html.Section:
    return section(
        "mise-a-jour", "Reconstruire ou remplacer les tables",
        html.Ol([
            html.Li(["Remplacer le fichier brut dans data/raw/ (même nom, mêmes colonnes) et "
                     "mettre à jour sa description dans data/SOURCES.md."]),
            html.Li(["Reconstruire les tables (la table des communes, les couches "
                     "cartographiques et build_info.json, dans une nouvelle version "
                     "data/tables/<version>/ que désigne le fichier data/current) :",
                     _command("make data"),
                     html.P(["ce qui revient à ", html.Code("python -m dashboard.data build"),
                             ". La construction est atomique : si une étape échoue ou si la "
                             "table ne respecte pas son contrat, les tables servies ne changent "
                             "pas ; sinon toutes changent ensemble."], className="small")]),
            html.Li(["Vérifier une table à tout moment :",
                     _command("python -m dashboard.data validate chemin/vers/table.parquet")]),
            html.Li("Redémarrer le tableau de bord : les tables sont lues une fois au "
                    "démarrage."),
        ], className="methode-etapes"),
    )


def maintenance(facts: view.Facts) -> html.Details:
    """The data-maintenance part, collapsed: column contracts, landlord file format,
    sources and licences, rebuild commands."""
    entries = facts.entries
    return html.Details([
        html.Summary(html.Span("Pour la mise à jour des données : colonnes des tables, "
                               "fichier des bailleurs, sources et licences, reconstruction",
                               className="h4"),
                     className="methode-maintenance-titre"),
        html.Nav(html.Ul([html.Li(html.A(label, href=f"#{anchor}"))
                          for anchor, label in MAINTENANCE], className="methode-sommaire"),
                 **{"aria-label": "Sommaire de la mise à jour des données"}),
        section("indicateurs", "Définition des indicateurs de la table des communes",
                 html.P(f"Une ligne par commune (Code officiel géographique {COG_YEAR}). "
                        "Pour chaque colonne : définition, type, source et millésime, licence des "
                        "fichiers dont elle est tirée."),
                 column_list(COMMUNE_COLUMNS, entries, "colonnes-communes")),
        _engagement_section(entries, facts.engagement),
        _sources_section(facts),
        _rebuild_section(),
    ], id="methode-maintenance", className="methode-maintenance")


MAINTENANCE = (
    ("indicateurs", "Définition des indicateurs"),
    ("bailleurs-format", "Format des données des bailleurs"),
    ("sources", "Sources et licences"),
    ("mise-a-jour", "Mettre à jour les données"),
)


