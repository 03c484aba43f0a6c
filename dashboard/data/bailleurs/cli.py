"""`python -m dashboard.data demo-bailleurs | template-bailleurs`, and `validate`'s
check of a landlord file against the app's commune table.

The top layer of the package: the only one that reads the app's tables (`store`).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from ... import config
from .. import store
from ..build import COMMUNES_FILE
from ..schema import TableError
from .contract import (
    DEMO_DIR,
    DEMO_FILE,
    DEMO_SEED,
    TEMPLATE_DIR,
    EngagementCheck,
    check_engagements,
)
from .demo import write_demo
from .template import write_templates


def reference_communes() -> tuple[pd.DataFrame | None, list[str]]:
    """The app's commune table, or None with a warning when it cannot be read."""
    try:
        return store.communes(), []
    except (TableError, OSError) as err:
        reason = err.problems[0] if isinstance(err, TableError) and err.problems else str(err)
        return None, [f"table des communes indisponible ({reason}) : codes INSEE et "
                      "programmes non vérifiés"]



def validate(path: Path) -> EngagementCheck:
    """Check a landlord file against the app's commune table (when it can be read)."""
    communes, warnings = reference_communes()
    return check_engagements(path, communes, reference_warnings=warnings)


def add_cli(sub) -> None:
    """Register the `demo-bailleurs` and `template-bailleurs` subcommands."""
    d = sub.add_parser("demo-bailleurs",
                       help="générer le fichier de démonstration des engagements des "
                            "bailleurs (bailleurs fictifs)")
    d.add_argument("--seed", type=int, default=DEMO_SEED,
                   help=f"graine du tirage ({DEMO_SEED} par défaut)")
    d.add_argument("--out", type=Path, default=None,
                   help=f"fichier à écrire (data/{DEMO_DIR}/{DEMO_FILE} par défaut)")
    d.add_argument("--communes", type=Path, default=None,
                   help="table des communes (celle servie par défaut)")
    t = sub.add_parser("template-bailleurs",
                       help="écrire le modèle à remplir des engagements (CSV et Excel)")
    t.add_argument("--out", type=Path, default=None,
                   help=f"dossier de sortie (data/{TEMPLATE_DIR}/ par défaut)")


def run_cli(args: argparse.Namespace) -> int:
    """Run a subcommand registered by `add_cli`; 2 for an unknown one."""
    if args.command == "demo-bailleurs":
        communes = store.load_communes(args.communes or store.table_path(COMMUNES_FILE))
        out = args.out or config.data_dir() / DEMO_DIR / DEMO_FILE
        df = write_demo(out, communes, args.seed)
        print(f"écrit : {out} ({len(df)} lignes, {df['bailleur_siren'].nunique()} bailleurs "
              f"fictifs, {df['code_insee'].nunique()} communes, graine {args.seed})")
        return 0
    if args.command == "template-bailleurs":
        out_dir = args.out or config.data_dir() / TEMPLATE_DIR
        for path in write_templates(out_dir):
            print(f"écrit : {path}")
        return 0
    print(f"erreur : commande inconnue : {args.command}", file=sys.stderr)
    return 2


