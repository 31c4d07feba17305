"""Tables that fit the terminal: columns are wrapped first, then dropped by priority."""

from __future__ import annotations

from dataclasses import dataclass, field

from rich import box
from rich.table import Table

CELL_OVERHEAD = 3  # padding either side and the border
EDGE = 1  # the table's closing border


@dataclass(frozen=True)
class Column:
    header: str
    priority: int  # the lowest are dropped last
    width: int  # the narrowest this column may be
    options: dict = field(default_factory=dict)


def fitting(columns: list[Column], width: int) -> list[Column]:
    """The columns, in their order, that fit ``width`` at their narrowest, dropping the
    highest priority numbers first."""
    kept = list(columns)
    while len(kept) > 1 and sum(c.width + CELL_OVERHEAD for c in kept) + EDGE > width:
        kept.remove(max(reversed(kept), key=lambda c: c.priority))
    return kept


def fitted_table(columns: list[Column], rows: list[dict[str, str]], width: int, **options) -> Table:
    """A table of ``rows`` (header -> cell) with the columns that fit ``width``."""
    kept = fitting(columns, width)
    table = Table(box=box.SQUARE, expand=True, **options)
    for column in kept:
        table.add_column(column.header, min_width=column.width, **column.options)
    for row in rows:
        table.add_row(*(row.get(c.header, "") for c in kept))
    return table
