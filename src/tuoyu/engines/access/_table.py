"""What every reader of the access tables returns or raises, kept apart so that the readers and
``tables`` (which chooses among them) can all import it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


class TableError(ValueError):
    """A table problem, with a Chinese and an English message that both name the file and the line."""

    def __init__(self, zh: str, en: str):
        super().__init__(f"{zh} / {en}")
        self.zh = zh
        self.en = en


@dataclass(frozen=True, eq=False)
class Table:
    """Rows of a table: ``ids``, numeric ``columns``, and where each row is in the file.

    ``ids`` is a list of str, or a pyarrow string array from the columnar readers (which spares
    building a million Python strings); ``id_list`` gives a list either way. ``lines`` holds the line
    of a CSV file each row starts on, or a Parquet file's row number; ``unit`` says which.
    """

    name: str
    ids: Sequence[str]
    columns: dict[str, np.ndarray]
    lines: np.ndarray
    unit: str = "line"

    def at(self, k: int) -> tuple[str, str]:
        """Where row ``k`` is, in Chinese and English: ``("a.csv 第 5 行", "a.csv line 5")``."""
        return place(self.name, self.lines[k], self.unit)

    def id_list(self) -> list[str]:
        return self.ids if isinstance(self.ids, list) else self.ids.to_pylist()


def place(name: str, number: int, unit: str = "line") -> tuple[str, str]:
    return f"{name} 第 {number} 行", f"{name} {unit} {number}"
