"""Mapping commune codes of other vintages onto COG 2026 communes."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd


@dataclass
class CodeMapper:
    """Maps any commune code (current, delegated, associated, arrondissement)
    to its COG 2026 commune.

    `current` is the set of COG 2026 commune codes; `parents` maps each
    non-current code (delegated/associated commune, municipal arrondissement)
    to its current commune. A current code maps to itself, even when a
    delegated commune carries the same code.
    """

    current: frozenset[str]
    parents: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_frames(cls, communes: pd.DataFrame, others: pd.DataFrame) -> CodeMapper:
        current = frozenset(communes["code_insee"])
        parents = {
            code: parent
            for code, parent in zip(others["code_insee"], others["commune_parent"], strict=True)
            if code not in current and parent in current
        }
        return cls(current=current, parents=parents)

    def map_code(self, code: str) -> str | None:
        """The COG 2026 code of `code`, or None when it cannot be mapped."""
        if code in self.current:
            return code
        return self.parents.get(code)

    def map_series(self, codes: pd.Series) -> pd.Series:
        """Vectorised `map_code`: unmappable codes become NA."""
        codes = codes.astype("str")
        mapped = codes.where(codes.isin(self.current))
        return mapped.fillna(codes.map(self.parents))


@dataclass
class MappingReport:
    """What a source's codes became: kept, remapped, unmapped."""

    source: str
    rows: int = 0
    remapped: dict[str, str] = field(default_factory=dict)
    unmapped: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [f"{self.source}: {self.rows} rows, {len(self.remapped)} codes remapped "
               f"onto COG 2026, {len(self.unmapped)} unmapped"]
        if self.unmapped:
            shown = ", ".join(sorted(self.unmapped)[:20])
            more = " ..." if len(self.unmapped) > 20 else ""
            out.append(f"  not mapped (kept out of the table): {shown}{more}")
        return out


def remap(df: pd.DataFrame, column: str, mapper: CodeMapper, source: str,
          keep: pd.Series | None = None) -> tuple[pd.DataFrame, MappingReport]:
    """Add `code_cog2026` to `df` from `column`; report what was remapped or lost.

    `keep` optionally restricts the report to the rows of interest (for
    instance the rows of the region being built), so the printed list of
    unmapped codes concerns the build's scope.
    """
    out = df.copy()
    out["code_cog2026"] = mapper.map_series(out[column])
    scope = out if keep is None else out[keep]
    report = MappingReport(source=source, rows=len(scope))
    changed = scope[scope["code_cog2026"].notna() & (scope["code_cog2026"] != scope[column])]
    report.remapped = dict(zip(changed[column], changed["code_cog2026"], strict=True))
    report.unmapped = sorted(scope.loc[scope["code_cog2026"].isna(), column].unique().tolist())
    return out, report
