"""Page "Méthode et sources": glossary, method, then (collapsed) columns, sources,
landlord-data format and rebuild commands.

It opens with the words of the dashboard for officials (`dashboard.glossary`), then
the method (ratio of sums, main residences, SRU, landlord engagement scale); the
data-maintenance part is one `html.Details`, closed by default.

Nothing here is typed twice: definitions come from the column contracts
(`columns.COMMUNE_COLUMNS`, `bailleurs.ENGAGEMENT_COLUMNS`), counts from
`data/build_info.json`, licences and caveats from `data/SOURCES.md`, all read
at run time by `dashboard.data.provenance` and gathered by `views.methode`. The
page links to the fill-in templates (`/telechargements/<nom>`, a fixed list of
names, served by `dashboard.routes`).
"""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import html

from dashboard import glossary
from dashboard.components.cards import swatch
from dashboard.data import bailleurs, store
from dashboard.data import provenance as m
from dashboard.data.columns import COMMUNE_COLUMNS, ColumnSpec
from dashboard.data.sources import BY_KEY, COG_YEAR
from dashboard.figures.bailleurs import LEVEL_COLORS, NO_INFORMATION
from dashboard.formatting import fmt_int, fmt_pct, plural
from dashboard.registry import enumeration
from dashboard.urls import download_href
from dashboard.views import methode as view

PATH = "/methode"

dash.register_page(
    __name__,
    order=4,
    path=PATH,
    name="Méthode et sources",
    title="Méthode et sources — AURA-HLM",
    description="Définition des indicateurs, sources, licences et format des données des "
                "bailleurs.",
)


# --- small builders ----------------------------------------------------------------------

def with_code(text: str) -> list:
    """Text whose `backquoted` parts are shown as code."""
    parts = text.split("`")
    return [html.Code(p) if i % 2 else p for i, p in enumerate(parts) if p]


def _section(anchor: str, title: str, *children) -> html.Section:
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


# --- sections ----------------------------------------------------------------------------

def _ratio_section(illustration: dict) -> html.Section:
    return _section(
        "rapport-des-sommes", "Part de logements sociaux : un rapport des sommes",
        html.P(["À tous les niveaux (commune, intercommunalité, département, région, "
                "sélection), la part de logements sociaux est ",
                html.Strong("100 × somme des logements sociaux / somme des résidences "
                            "principales"),
                ". Ce n'est jamais la moyenne des taux des communes, qui donnerait à un "
                "village le même poids qu'une ville."]),
        html.P([f"Dans la région, le rapport des sommes donne "
                f"{fmt_pct(illustration['ratio'])} ; la moyenne simple des taux des "
                f"{fmt_int(illustration['communes'])} communes donnerait "
                f"{fmt_pct(illustration['mean_of_rates'])}."], id="methode-illustration"),
    )


def _imputation_section(info: dict, share: float) -> html.Section:
    imputed = m.build_count(info, "residences_principales_estimees")
    total = m.build_count(info, "communes")
    left = m.build_count(info, "residences_principales_sans_estimation")
    rp = next(c for c in COMMUNE_COLUMNS if c.name == "residences_principales")
    if imputed is None or total is None:
        counts = html.P("Le résumé de construction (data/build_info.json) est absent : "
                        "nombre de communes estimées inconnu.", id="methode-imputation")
    else:
        measured = total - imputed
        sentence = ("Lors de la dernière construction des tables, les résidences principales "
                    + ("de la commune" if total == 1 else f"des {fmt_int(total)} communes")
                    + " viennent du recensement 2021 (ménages) : aucune n'a été estimée."
                    if imputed == 0 else
                    "Lors de la dernière construction des tables, les résidences principales "
                    f"de {plural(measured, 'commune')} sur {fmt_int(total)} viennent du "
                    f"recensement 2021 (ménages) ; celles de {plural(imputed, 'commune')} sans "
                    "chiffre du recensement ont été estimées "
                    f"({fmt_pct(100 * imputed / total if total else None)} des communes")
        if imputed:
            if share == share:  # not NaN
                sentence += f", {fmt_pct(share)} de la population"
            sentence += ")."
        if left:
            sentence += f" Communes restées sans chiffre : {fmt_int(left)}."
        counts = html.P(sentence, id="methode-imputation")
    return _section(
        "residences-principales", "Résidences principales : le recensement",
        html.P(rp.definition),
        counts,
        html.P(["Une commune estimée est signalée par la colonne ",
                html.Code("residences_principales_estimees"),
                " : sa part de logements sociaux est alors une estimation."],
               className="text-muted"),
    )


def _sru_section(info: dict) -> html.Section:
    subject = m.build_count(info, "sru_soumises")
    deficit = m.build_count(info, "sru_deficitaires")
    carence = m.build_count(info, "sru_carencees")
    count = ("" if None in (subject, deficit, carence) else
             f" Dans la région, {plural(subject, 'commune est soumise', 'communes sont soumises')}"
             f" à la loi, dont {fmt_int(deficit)} déficitaires et {fmt_int(carence)} "
             "carencées.")
    return _section(
        "sru", "Statut SRU : l'inventaire officiel",
        html.P(["Le statut de chaque commune au regard de l'article 55 de la loi SRU (soumise, "
                "déficitaire, carencée, exemptée), son taux légal, son objectif (20 % ou 25 %) "
                "et son prélèvement 2025 viennent de l'inventaire de l'État : "
                f"{BY_KEY['sru'].citation}.{count}"]),
        dbc.Alert([
            html.Strong("Deux taux différents. "),
            "Le taux légal SRU n'est pas la part de logements sociaux du tableau de bord : "
            "l'inventaire SRU compte d'autres logements (certains foyers, logements privés "
            "conventionnés…) et les rapporte aux résidences principales des fichiers fiscaux, "
            "quand la part RPLS rapporte le parc des bailleurs sociaux aux ménages du "
            "recensement. Le profil d'une commune montre les deux côte à côte.",
        ], color="info", className="methode-avertissement"),
    )


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


def _levels_section() -> html.Section:
    levels = [html.Li([swatch(LEVEL_COLORS[level]), html.Strong(f"{i} – {level}"), " : ",
                       bailleurs.LEVEL_DEFINITIONS[level]])
              for i, level in enumerate(bailleurs.ENGAGEMENT_LEVELS)]
    return _section(
        "bailleurs", "Engagement des bailleurs",
        html.P("Aucune source publique ne dit quels bailleurs sociaux s'engagent dans quels "
               "programmes : ces données appartiennent à AURA-HLM, qui les tient à jour."),
        html.H3("Échelle d'engagement (du plus faible au plus fort)", className="h6"),
        html.Ol(levels, className="methode-niveaux", start="0"),
        html.P([swatch(LEVEL_COLORS[NO_INFORMATION]), html.Strong("Case grise"),
                " : rien dans le fichier pour ce bailleur dans cette commune (« non "
                "sollicité » est une information)."], id="methode-aucune-information"),
        html.P([f"Un bailleur est compté comme « engagé » à partir du niveau « "
                f"{bailleurs.ENGAGED_FROM} » (rang {bailleurs.ENGAGED_RANK}). Les indicateurs "
                f"ne comptent que les communes de programme ({enumeration()}). Taux "
                "d'engagement d'une intercommunalité = 100 × communes de "
                "programme ayant au moins un bailleur engagé / communes de programme."]),
    )


def _engagement_section(entries: tuple[m.SourceEntry, ...],
                        status: view.EngagementStatus) -> html.Section:
    real = " ou ".join(f"data/{name}" for name in bailleurs.REAL_FILES)
    downloads = [
        (bailleurs.TEMPLATE_XLSX, "Modèle Excel (.xlsx), avec listes déroulantes et "
                                  "instructions"),
        (bailleurs.TEMPLATE_CSV, "Modèle CSV (ligne d'en-tête seule)"),
        (m.SCHEMA_FILE, "Contrat complet des tables (SCHEMA.md)"),
    ]
    return _section(
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
    return _section(
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
    return _section(
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


def _glossary_section() -> html.Section:
    """The words of the dashboard, for officials: one sentence each, acronyms first."""
    items = []
    for entry in glossary.OFFICIALS:
        items.append(html.Dt([entry.term, html.Span(f" ({entry.expansion})",
                                                    className="methode-developpe")
                              if entry.expansion else None], id=f"glossaire-{entry.key}"))
        items.append(html.Dd([html.P(entry.definition, className="mb-0"),
                              html.P(entry.source, className="small text-muted mb-0")
                              if entry.source else None]))
    return _section(
        "glossaire", "Les mots du tableau de bord",
        html.P("Les sigles et les indicateurs affichés dans les pages, en une phrase. Le "
               "même texte s'ouvre avec le bouton « i » cerclé placé à côté d'un indicateur."),
        html.Dl(items, id="methode-glossaire", className="methode-glossaire"),
    )


def _maintenance(facts: view.Facts) -> html.Details:
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
        _section("indicateurs", "Définition des indicateurs de la table des communes",
                 html.P(f"Une ligne par commune (Code officiel géographique {COG_YEAR}). "
                        "Pour chaque colonne : définition, type, source et millésime, licence des "
                        "fichiers dont elle est tirée."),
                 column_list(COMMUNE_COLUMNS, entries, "colonnes-communes")),
        _engagement_section(entries, facts.engagement),
        _sources_section(facts),
        _rebuild_section(),
    ], id="methode-maintenance", className="methode-maintenance")


# --- page --------------------------------------------------------------------------------

CONTENTS = (
    ("glossaire", "Les mots du tableau de bord"),
    ("rapport-des-sommes", "Part de logements sociaux"),
    ("residences-principales", "Résidences principales : le recensement"),
    ("sru", "Seuil SRU"),
    ("ort", "ORT : communes couvertes"),
    ("bailleurs", "Engagement des bailleurs"),
    ("methode-maintenance", "Mise à jour des données (section repliée)"),
)
"""The page's contents, for officials; the data-maintenance part has its own."""

MAINTENANCE = (
    ("indicateurs", "Définition des indicateurs"),
    ("bailleurs-format", "Format des données des bailleurs"),
    ("sources", "Sources et licences"),
    ("mise-a-jour", "Mettre à jour les données"),
)


@store.memo(maxsize=1)
def content() -> tuple:
    """The page's sections (laid out once per process from `views.methode.facts`):
    the glossary and the method for officials, then the collapsed data-maintenance
    part."""
    facts = view.facts()
    info = facts.info
    return (
        html.Nav(html.Ul([html.Li(html.A(label, href=f"#{anchor}"))
                          for anchor, label in CONTENTS], className="methode-sommaire"),
                 **{"aria-label": "Sommaire de la page"}),
        _glossary_section(),
        _ratio_section(facts.illustration),
        _imputation_section(info, facts.imputed_share),
        _sru_section(info),
        _section("ort", "ORT : des communes couvertes, pas des conventions",
                 html.P(view.ORT_NOTE, id="methode-ort")),
        _levels_section(),
        _maintenance(facts),
    )


def layout(**_query) -> dbc.Container:
    return dbc.Container(
        [html.H1("Méthode et sources", className="h2 mt-4"),
         html.P("Les mots du tableau de bord, d'où viennent ses chiffres et comment ils sont "
                "calculés ; en fin de page, pour qui met à jour les données, le détail des "
                "tables et des sources.", className="lead"),
         *content()],
        fluid="lg",
        className="pb-5 page-methode",
    )
