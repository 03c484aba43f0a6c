"""`python -m dashboard.data COMMAND`: build, validate, summary, schema-doc.

Exit status: 0 success, 1 invalid data or failed build, 2 unknown code or bad usage.
Errors are one readable French line each on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

from .. import config
from . import aggregate, bailleurs, build, docs, store
from .bailleurs import cli as bailleurs_cli
from .official import summary as facts
from .schema import TableError, commune_contract, read_table, spreadsheet_problem
from .sources import SourceError


class FrenchParser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse's own errors exit 2, in one line
        self.print_usage(sys.stderr)
        self.exit(2, f"erreur : {message}\n")


def _parser() -> argparse.ArgumentParser:
    p = FrenchParser(prog="python -m dashboard.data",
                     description="Tables du tableau de bord AURA-HLM.")
    sub = p.add_subparsers(dest="command", required=True, parser_class=FrenchParser)

    b = sub.add_parser("build", help="construire les tables depuis data/raw/")
    b.add_argument("--region", default=build.REGION_DEFAULT,
                   help="code région (84 par défaut) ou « all » pour toute la France")
    b.add_argument("--raw", type=Path, default=None, help="dossier des fichiers sources")
    b.add_argument("--out", type=Path, default=None,
                   help="dossier de sortie (data/ ; data/france/ pour --region all)")

    v = sub.add_parser("validate", help="vérifier une table (Parquet, CSV ou Excel)")
    v.add_argument("path", type=Path)
    v.add_argument("--kind", choices=["communes", "bailleurs"], default=None,
                   help="type de table (deviné d'après les colonnes sinon)")

    s = sub.add_parser("summary", help="indicateurs d'un territoire, en JSON")
    g = s.add_mutually_exclusive_group(required=True)
    g.add_argument("--epci", metavar="SIREN")
    g.add_argument("--commune", metavar="INSEE")
    g.add_argument("--departement", metavar="CODE",
                   help="code INSEE, ou 69D (Rhône hors Métropole) / 69M (Métropole de Lyon)")
    g.add_argument("--region", nargs="?", const="", metavar="CODE")
    s.add_argument("--table", type=Path, default=None, help="table des communes à lire")

    d = sub.add_parser("schema-doc", help="écrire data/SCHEMA.md depuis le contrat")
    d.add_argument("--out", type=Path, default=None)

    bailleurs_cli.add_cli(sub)
    return p


def _cmd_build(args) -> int:
    region = None if args.region == "all" else args.region
    raw = args.raw or config.raw_dir()
    out = args.out or (config.data_dir() / ("france" if region is None else ""))
    ref = store.epci_reference(raw)

    def validate(df):
        return read_table_problems(df, ref)

    build.build(raw, out, region=region, validate=validate)
    return 0


def read_table_problems(df, ref) -> list[str]:
    from .schema import check_frame

    return check_frame(df, commune_contract(ref))


def _guess_kind(path: Path) -> str:
    try:
        if path.suffix.lower() == ".parquet":
            import pyarrow.parquet as pq

            names = pq.read_schema(path).names
        elif path.suffix.lower() == ".xlsx":
            import pandas as pd

            if spreadsheet_problem(path):  # never opened: read_table reports why
                return "communes"
            names = list(pd.read_excel(path, nrows=0).columns)
        else:
            with path.open(encoding="utf-8", errors="replace") as fh:
                names = fh.readline()
            names = [n.strip() for n in names.replace(";", ",").split(",")]
    except Exception:  # noqa: BLE001 - read_table reports unreadable files itself
        return "communes"
    return "bailleurs" if bailleurs.KEY_COLUMN in names else "communes"


def _cmd_validate(args) -> int:
    kind = args.kind or _guess_kind(args.path)
    if kind == "bailleurs":
        _, problems, warnings = bailleurs_cli.validate(args.path)
        for line in warnings:
            print(f"avertissement : {line}", file=sys.stderr)
    else:
        _, problems = read_table(args.path, commune_contract(store.epci_reference()))
    if problems:
        print(TableError(args.path, problems).message(), file=sys.stderr)
        return 1
    print(f"{args.path} : table valide ({kind})")
    return 0


def _json_default(value):
    return None


def _summary(df, args, outside=None) -> dict:
    """The summary of the territory named by `args`: indicators, then official facts.

    An EPCI's figures cover all its communes: `outside` holds the out-of-region
    communes of cross-border EPCI (the build's `communes_hors_region`)."""
    if args.epci is not None:
        siren = args.epci.strip()
        out = aggregate.summary_epci(df, siren, outside)
        whole = aggregate.epci_whole(df, siren, outside)
        return (out | facts.territory_facts(whole, epci=True)
                | aggregate.outside_counts(outside, siren))
    if args.commune is not None:
        code = args.commune.strip()
        out = aggregate.summary_commune(df, code)
        return out | facts.commune_facts(df[df["code_insee"] == code].iloc[0])
    if args.departement is not None:
        code = args.departement.strip().upper()
        if code in facts.RHONE_PARTS:
            rows = facts.departement_rows(df, code)
            if rows.empty:
                raise aggregate.UnknownCode(f"département inconnu : {code!r}")
            out = aggregate.summary_departement(rows.assign(departement=code), code)
            out["departement_nom"] = facts.RHONE_PARTS[code]
        else:
            rows = df[df["departement"] == code]
            out = aggregate.summary_departement(df, code)
        return out | facts.territory_facts(rows)
    code = args.region.strip() or None
    out = aggregate.summary_region(df, code)
    return out | facts.territory_facts(df if code is None else df[df["region"] == code])


def _cmd_summary(args) -> int:
    try:
        if args.table:
            df = store.load_communes(args.table)
            outside = store.load_outside(args.table.parent / build.OUTSIDE_FILE, df)
        else:
            df, outside = store.communes(), store.communes_hors_region()
    except TableError as err:
        print(err.message(), file=sys.stderr)
        return 1
    try:
        out = _summary(df, args, outside)
    except aggregate.UnknownCode as err:
        print(f"erreur : {err}", file=sys.stderr)
        return 2
    out = {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in out.items()}
    print(json.dumps(out, ensure_ascii=False))
    return 0


def _cmd_schema_doc(args) -> int:
    out = args.out or (config.data_dir() / "SCHEMA.md")
    docs.write_schema_doc(out)
    print(f"écrit : {out}")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "build":
            return _cmd_build(args)
        if args.command == "validate":
            return _cmd_validate(args)
        if args.command == "summary":
            return _cmd_summary(args)
        if args.command == "schema-doc":
            return _cmd_schema_doc(args)
        return bailleurs_cli.run_cli(args)
    except (SourceError, TableError) as err:
        print(f"erreur : {err}", file=sys.stderr)
        return 1
    except OSError as err:
        print(f"erreur : {err.strerror or err} ({err.filename or ''})", file=sys.stderr)
        return 1
