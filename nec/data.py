"""The curated tables in ``data/``, loaded and validated in one place.

Every table ``data/<name>.csv`` has a data dictionary ``data/<name>_dictionary.csv``
with one row per column: ``column, type, unit, required, allowed, description``.

- ``type`` is ``string``, ``category``, ``integer`` or ``number``;
- ``required`` is ``yes`` or ``no`` (may the cell be empty?);
- ``allowed`` is ``a|b|c`` for a category and ``low..high`` for a number (either end may
  be left open, e.g. ``0..``).

:func:`load` checks the file against its dictionary and, if anything is wrong, raises
``ValueError`` naming the file, the row (as numbered in a spreadsheet, header = 1) and
the column, so a reviewer can go straight to the cell.
"""

from __future__ import annotations

import csv
import functools
import math
from pathlib import Path

#: Where the tables live: ``data/`` beside the package (the project installs editable).
DATA_DIR = Path(__file__).resolve().parent.parent / "data"

_TYPES = ("string", "category", "integer", "number")


def load(name: str, data_dir: Path | str | None = None):
    """Load ``data/<name>.csv`` as a :class:`pandas.DataFrame`, validated.

    >>> float(load("case_pathology").loc["resection", "ki67_pct"])
    55.0
    """
    folder = Path(data_dir) if data_dir is not None else DATA_DIR
    table = folder / f"{name}.csv"
    dictionary = folder / f"{name}_dictionary.csv"
    for path in (table, dictionary):
        if not path.exists():
            raise ValueError(f"{path.name}: file not found in {folder}.")
    return _load(str(table), str(dictionary), table.stat().st_mtime_ns,
                 dictionary.stat().st_mtime_ns).copy()


@functools.lru_cache(maxsize=32)
def _load(table: str, dictionary: str, _mtime_table: int, _mtime_dictionary: int):
    # Cached on the files' modification times, so an edited table is read again.
    import pandas as pd

    spec = _read_dictionary(Path(dictionary))
    name = Path(table).name
    with open(table, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        try:
            header = next(reader)
        except StopIteration:
            raise ValueError(f"{name}: the file is empty.") from None
        rows = list(reader)
    missing = [c for c in spec if c not in header]
    extra = [c for c in header if c not in spec]
    if missing or extra:
        parts = []
        if missing:
            parts.append(f"missing column(s) {', '.join(missing)}")
        if extra:
            parts.append(f"column(s) {', '.join(extra)} not in the data dictionary")
        raise ValueError(f"{name}: {'; '.join(parts)}.")
    records = []
    for i, row in enumerate(rows, start=2):
        if len(row) != len(header):
            raise ValueError(
                f"{name}, row {i}: {len(row)} cells where the header has {len(header)} "
                "(a comma inside an unquoted cell?)."
            )
        records.append({col: _parse(name, i, col, cell, spec[col])
                        for col, cell in zip(header, row, strict=True)})
    frame = pd.DataFrame.from_records(records, columns=header)
    key = header[0]
    duplicated = frame[key][frame[key].duplicated()].tolist()
    if duplicated:
        shown = ", ".join(map(str, duplicated))
        raise ValueError(f"{name}, column {key}: duplicate key(s) {shown}.")
    return frame.set_index(key)


def _read_dictionary(path: Path) -> dict[str, dict]:
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    spec = {}
    for i, r in enumerate(rows, start=2):
        if r.get("type") not in _TYPES:
            raise ValueError(
                f"{path.name}, row {i}: type {r.get('type')!r} is not one of {_TYPES}."
            )
        spec[r["column"]] = r
    return spec


def _parse(name: str, row: int, col: str, cell: str, spec: dict):
    where = f"{name}, row {row}, column {col}"
    cell = cell.strip()
    if cell == "":
        if spec["required"] == "yes":
            raise ValueError(f"{where}: a value is required but the cell is empty.")
        return None if spec["type"] in ("string", "category") else math.nan
    allowed = spec["allowed"].strip()
    kind = spec["type"]
    if kind == "string":
        return cell
    if kind == "category":
        options = allowed.split("|")
        if cell not in options:
            raise ValueError(f"{where}: {cell!r} is not one of {', '.join(options)}.")
        return cell
    try:
        value = int(cell) if kind == "integer" else float(cell)
    except ValueError:
        what = "a whole number" if kind == "integer" else "a number"
        raise ValueError(f"{where}: {cell!r} is not {what}.") from None
    if allowed:
        low, _, high = allowed.partition("..")
        if (low and value < float(low)) or (high and value > float(high)):
            raise ValueError(f"{where}: {cell} is outside the allowed range {allowed}.")
    return value
