"""Enforce a table's contract (`columns.py`) with pandera, in readable French.

`read_table` parses a CSV / Excel / Parquet file into typed columns and
`check_frame` validates a typed frame against a pandera schema built from the
column specs; both return one French line per problem (which column, which
rows, what is wrong) instead of raising, so the CLI, the build and the app can
print them as they are.

The package is split along its seams; import from here:

- `contract`: `TableContract`, `TableError`, `commune_contract`, problem lines;
- `parsing`: text columns of a CSV / Excel file to typed columns;
- `checks`: the pandera schema and its failures as French lines;
- `spreadsheet`: the guard run before openpyxl or pandas reads a user file;
- `reader`: `read_table`, which chains the four.
"""

from .checks import check_frame, kind_label, pandera_dtype_name, pandera_schema
from .contract import (
    TableContract,
    TableError,
    column_problem,
    commune_contract,
    key_problem,
)
from .parsing import finalize_frame, parse_frame
from .reader import read_table
from .spreadsheet import (
    MAX_MEMBERS,
    MAX_ROWS,
    MAX_UNCOMPRESSED_BYTES,
    MB,
    FileRefused,
    spreadsheet_problem,
)

__all__ = [
    "MAX_MEMBERS", "MAX_ROWS", "MAX_UNCOMPRESSED_BYTES", "MB", "FileRefused", "TableContract",
    "TableError", "check_frame", "column_problem", "commune_contract", "finalize_frame",
    "key_problem", "kind_label", "pandera_dtype_name", "pandera_schema", "parse_frame",
    "read_table", "spreadsheet_problem",
]
