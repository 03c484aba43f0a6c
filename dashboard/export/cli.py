"""Command line of the batch export, for an adviser preparing meetings.

Every code is checked before anything is rendered: one unknown code stops the
command with exit status 2 and a one-line French message, and nothing is written.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..data import territories
from ..data.atomic import write_files_atomically
from ..data.cli import FrenchParser
from ..data.schema import TableError
from ..figures.common import slug
from .index import HTML_NAME, TEXT_NAME
from .png import ExportUnavailable
from .territoire import index_html, index_text, render_profile


def _parser() -> argparse.ArgumentParser:
    p = FrenchParser(prog="python -m dashboard.export",
                     description="Exporte en PNG tous les graphiques du profil de territoires.")
    p.add_argument("--epci", action="append", required=True, metavar="SIREN",
                   help="SIREN d'un EPCI (option répétable)")
    p.add_argument("--out", type=Path, required=True, metavar="DOSSIER",
                   help="dossier de sortie (un sous-dossier par territoire)")
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        codes = []
        for value in args.epci:
            lookup = territories.check_epci(value)
            if lookup.error or lookup.code is None:
                print(f"erreur : {lookup.error or 'code EPCI vide'}", file=sys.stderr)
                return 2
            if lookup.code not in codes:
                codes.append(lookup.code)
        names = territories.epci_names()
        for code in codes:
            charts = render_profile(code)
            folder = f"{slug(names[code])}_{code}"
            writers = {f"{folder}/{c.filename}": (lambda p, b=c.png: p.write_bytes(b))
                       for c in charts}
            for name, text in ((HTML_NAME, index_html(code, charts)),
                               (TEXT_NAME, index_text(code, charts))):
                writers[f"{folder}/{name}"] = lambda p, t=text: p.write_text(t, "utf-8")
            write_files_atomically(args.out, writers)
            print(f"{names[code]} : {len(charts)} images PNG dans {args.out / folder}")
    except TableError as err:
        print(err.message(), file=sys.stderr)
        return 1
    except ExportUnavailable as err:
        print(f"erreur : {err}", file=sys.stderr)
        return 1
    except OSError as err:
        print(f"erreur : écriture impossible ({err.strerror or err})", file=sys.stderr)
        return 1
    return 0
