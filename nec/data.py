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
import io
import math
from pathlib import Path, PurePath

#: Where the tables live: ``data/`` beside the package (the project installs editable).
DATA_DIR = Path(__file__).resolve().parent.parent / "data"

_TYPES = ("string", "category", "integer", "number")


def tables(data_dir: Path | str | None = None) -> list[str]:
    """The names of the tables in ``data_dir`` (default ``data/``): every ``<name>.csv`` that has
    a ``<name>_dictionary.csv`` beside it, sorted.

    >>> "evidence" in tables()
    True
    """
    folder = _folder(data_dir)
    return sorted(p.name.removesuffix("_dictionary.csv")
                  for p in folder.glob("*_dictionary.csv")
                  if (folder / p.name.replace("_dictionary.csv", ".csv")).is_file())


def load(name: str, data_dir: Path | str | None = None):
    """Load ``data/<name>.csv`` as a :class:`pandas.DataFrame`, validated.

    The first column is the row key (the returned frame's index). A file that cannot be read as
    the book's tables are written (UTF-8, comma-separated, a header and at least one row), and any
    cell its data dictionary does not allow, raise ``ValueError`` naming the file, the row
    (spreadsheet numbering, header = row 1) and the column.

    >>> float(load("case_pathology").loc["resection", "ki67_pct"])
    55.0
    >>> load("evidense")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: There is no table 'evidense' in data/: the tables are case_course, ...evidence, ...
    """
    folder, table, dictionary = _locate(name, data_dir)
    return _load(str(table), str(dictionary), table.stat().st_mtime_ns,
                 dictionary.stat().st_mtime_ns).copy()


def _folder(data_dir) -> Path:
    """``data_dir`` as an existing folder (``None``: the book's ``data/``), or ``ValueError``."""
    if data_dir is None:
        return DATA_DIR
    if not isinstance(data_dir, str | PurePath) or not str(data_dir).strip():
        raise ValueError(f"The data folder must be a folder's path (text such as 'data' or a "
                         f"pathlib.Path), not {data_dir!r}.")
    folder = Path(data_dir)
    if not folder.exists():
        raise ValueError(f"The data folder {folder} does not exist.")
    if not folder.is_dir():
        raise ValueError(f"The data folder {folder} is a file, not a folder: give the folder "
                         "that holds the tables.")
    return folder


def _locate(name, data_dir) -> tuple[Path, Path, Path]:
    """The folder, table and dictionary files of table ``name``, or ``ValueError``."""
    folder = _folder(data_dir)
    if not isinstance(name, str) or not name or Path(name).name != name:
        raise ValueError(f"A table is named by a word such as 'evidence' (a file in "
                         f"{_shown(folder)}), not {name!r}.")
    name = name.removesuffix(".csv")
    table = folder / f"{name}.csv"
    dictionary = folder / f"{name}_dictionary.csv"
    if not table.exists() and not dictionary.exists():
        existing = tables(folder)
        listed = ", ".join(existing) if existing else "none"
        raise ValueError(f"There is no table {name!r} in {_shown(folder)}: the tables are "
                         f"{listed}.")
    for path in (table, dictionary):
        if not path.exists():
            raise ValueError(f"{path.name}: file not found in {folder}.")
    return folder, table, dictionary


def _shown(folder: Path) -> str:
    return "data/" if folder == DATA_DIR else str(folder)


def read_rows(path: Path | str) -> tuple[list[str], list[list[str]]]:
    """The header and the rows of a CSV file written as the book's tables are, or ``ValueError``.

    Refused, each with a sentence naming the file: a file that is not UTF-8 text; one that starts
    with a byte-order mark (spreadsheet programs add one when saving "CSV UTF-8"); an empty file;
    one separated by semicolons or tabs instead of commas (a spreadsheet set to a language that
    writes decimal commas); a NUL byte (a binary or damaged file) or other damage the CSV reader
    cannot parse; a header with no rows; a path that is no file.

    >>> read_rows("evidence.csv")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: evidence.csv: file not found (evidence.csv).
    """
    if not isinstance(path, str | PurePath) or not str(path).strip():
        raise ValueError(f"read_rows() needs the path of a CSV file (text or a pathlib.Path), "
                         f"not {path!r}.")
    path = Path(path)
    name = path.name
    if not path.exists():
        raise ValueError(f"{name}: file not found ({path}).")
    if path.is_dir():
        raise ValueError(f"{path} is a folder, not a CSV file.")
    raw = path.read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        raise ValueError(
            f"{name} starts with a byte-order mark (an invisible character spreadsheet programs "
            "add when saving 'CSV UTF-8'): save it as plain UTF-8 CSV without one.")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[:err.start].count(b"\n") + 1
        raise ValueError(
            f"{name} is not UTF-8 text (byte 0x{raw[err.start]:02x} on line {line} is not "
            "valid UTF-8; the file was probably saved as Latin-1 or Windows-1252): save it as "
            "UTF-8.") from None
    if not text.strip():
        raise ValueError(f"{name}: the file is empty.")
    if "\x00" in text:
        line = text[:text.index("\x00")].count("\n") + 1
        raise ValueError(f"{name} contains a NUL byte on line {line}: it is not a text file, or "
                         "it was damaged; save it again as UTF-8 CSV.")
    first_line = text.splitlines()[0]
    for separator, label in ((";", "semicolons"), ("\t", "tabs")):
        if separator in first_line and "," not in first_line:
            raise ValueError(
                f"{name} is separated by {label}, not commas (its header is one cell, "
                f"{first_line[:60]!r}…): save it as comma-separated CSV.")
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as err:
        raise ValueError(f"{name} cannot be read as CSV ({err}).") from None
    # A trailing blank line is not a row.
    rows = [r for r in rows if r and any(c.strip() for c in r)]
    if len(rows) < 2:
        raise ValueError(f"{name} has a header but no rows: a table needs at least one row.")
    return rows[0], rows[1:]


def records(name: str, data_dir: Path | str | None = None) -> list[dict]:
    """``data/<name>.csv`` as a list of dictionaries, validated as :func:`load` validates it.

    The same checks and messages as :func:`load`, on the standard library alone (no pandas),
    so that the code the live book runs in the browser can read the tables too. An empty
    text cell is ``None``, an empty number cell ``nan``.

    >>> records("case_pathology")[0]["specimen_id"]
    'fna'
    """
    folder, table, dictionary = _locate(name, data_dir)
    rows, _header = _records(str(table), str(dictionary), table.stat().st_mtime_ns,
                             dictionary.stat().st_mtime_ns)
    return [dict(r) for r in rows]


@functools.lru_cache(maxsize=32)
def _records(table: str, dictionary: str, _mtime_table: int, _mtime_dictionary: int):
    # Cached on the files' modification times, so an edited table is read again.
    spec = _read_dictionary(Path(dictionary))
    name = Path(table).name
    header, rows = read_rows(table)
    missing = [c for c in spec if c not in header]
    extra = [c for c in header if c not in spec]
    if missing or extra:
        parts = []
        if missing:
            parts.append(f"missing column(s) {', '.join(missing)}")
        if extra:
            parts.append(f"column(s) {', '.join(extra)} not in the data dictionary")
        raise ValueError(f"{name}: {'; '.join(parts)}.")
    out = []
    for i, row in enumerate(rows, start=2):
        if len(row) != len(header):
            raise ValueError(
                f"{name}, row {i}: {len(row)} cells where the header has {len(header)} "
                "(a comma inside an unquoted cell?)."
            )
        out.append({col: _parse(name, i, col, cell, spec[col])
                    for col, cell in zip(header, row, strict=True)})
    key = header[0]
    seen, duplicated = set(), []
    for r in out:
        if r[key] in seen:
            duplicated.append(r[key])
        seen.add(r[key])
    if duplicated:
        shown = ", ".join(map(str, duplicated))
        raise ValueError(f"{name}, column {key}: duplicate key(s) {shown}.")
    return tuple(out), tuple(header)


@functools.lru_cache(maxsize=32)
def _load(table: str, dictionary: str, _mtime_table: int, _mtime_dictionary: int):
    import pandas as pd

    rows, header = _records(table, dictionary, _mtime_table, _mtime_dictionary)
    frame = pd.DataFrame.from_records(list(rows), columns=list(header))
    return frame.set_index(header[0])


_DICTIONARY_COLUMNS = ("column", "type", "unit", "required", "allowed", "description")


def _read_dictionary(path: Path) -> dict[str, dict]:
    header, rows = read_rows(path)
    missing = [c for c in _DICTIONARY_COLUMNS if c not in header]
    if missing:
        raise ValueError(f"{path.name}: missing column(s) {', '.join(missing)} (a data "
                         f"dictionary has the columns {', '.join(_DICTIONARY_COLUMNS)}).")
    spec = {}
    for i, row in enumerate(rows, start=2):
        if len(row) != len(header):
            raise ValueError(f"{path.name}, row {i}: {len(row)} cells where the header has "
                             f"{len(header)} (a comma inside an unquoted cell?).")
        r = dict(zip(header, row, strict=True))
        if r["type"] not in _TYPES:
            raise ValueError(
                f"{path.name}, row {i}: type {r['type']!r} is not one of {_TYPES}."
            )
        if r["required"] not in ("yes", "no"):
            raise ValueError(f"{path.name}, row {i}: required {r['required']!r} is not "
                             "'yes' or 'no'.")
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
        hint = " (write a decimal point, not a comma)" if "," in cell else ""
        raise ValueError(f"{where}: {cell!r} is not {what}{hint}.") from None
    # float() reads "nan" and "inf": neither is a value a source prints (leave a cell empty
    # for "not reported").
    if not math.isfinite(value):
        raise ValueError(f"{where}: {cell!r} is not a number (leave the cell empty when the "
                         "source does not report it).")
    if allowed:
        low, _, high = allowed.partition("..")
        if (low and value < float(low)) or (high and value > float(high)):
            raise ValueError(f"{where}: {cell} is outside the allowed range {allowed}.")
    return value


# A misspelt, missing or extra argument to a public function here is a sentence, not a
# TypeError (issue 14; nec._validate.refuse_bad_arguments_in).
from nec import _validate as _arguments  # noqa: E402

_arguments.refuse_bad_arguments_in(globals())
