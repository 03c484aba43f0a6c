"""Read one table file (Parquet, CSV, Excel) and check it against its contract."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .checks import check_frame
from .contract import TableContract
from .parsing import finalize_frame, parse_frame
from .spreadsheet import FileRefused, read_csv, read_excel, spreadsheet_problem


def read_table(path: Path, contract: TableContract) -> tuple[pd.DataFrame | None, list[str]]:
    """Read and check a table file. Returns (frame or None, problem lines).

    The frame is returned (typed, in contract column order) only when there is
    no problem.
    """
    path = Path(path)
    if not path.is_file():
        return None, [f"fichier introuvable : {path}"]
    suffix = path.suffix.lower()
    try:
        if suffix == ".parquet":
            df = pd.read_parquet(path)
            offset, already = 1, set()
            problems: list[str] = []
        elif suffix in (".csv", ".xlsx"):
            if suffix == ".csv":
                raw = read_csv(path)
            else:
                refused = spreadsheet_problem(path)
                if refused:
                    return None, [refused]
                raw = read_excel(path)
            raw.columns = [str(c).strip() for c in raw.columns]
            df, problems, already = parse_frame(raw, contract, offset=2)
            offset = 2
        else:
            return None, [f"format non pris en charge : {path.name} (attendu .parquet, .csv "
                          "ou .xlsx)"]
    except FileRefused as exc:
        return None, [str(exc)]
    except UnicodeDecodeError:
        return None, [f"{path.name} : le fichier n'est pas encodé en UTF-8 ; réenregistrez-le "
                      "en « CSV UTF-8 »"]
    except Exception as exc:  # noqa: BLE001 - any unreadable file gets one readable line
        return None, [f"{path.name} : lecture impossible ({type(exc).__name__} : {exc})"]
    problems += check_frame(df, contract, offset=offset, already=already)
    if problems:
        return None, problems
    return finalize_frame(df, contract), []
