"""One way to show a table or a block of result text on the book's pages.

Every chapter shows its tables through :func:`table`, so that a reader sees human column
labels, whole numbers as whole numbers, a dash for a missing value, rounding chosen per
column, a caption, and a layout that wraps long cells instead of hiding columns off the
right edge. Results that are sentences (a grading rule, a dose warning) go through
:func:`text_block`, which wraps them instead of printing console lines that run off the page.

The module is pure Python (no pandas, numpy or matplotlib needed): it accepts a pandas
``DataFrame`` *or* a list of mappings (records), so the same code can run wherever Python
runs, a browser included.

>>> t = table([{"arm": "EP", "n": 129.0, "orr": 31.0, "os": None}],
...           columns={"arm": "Regimen", "n": "Patients", "orr": "Response (%)",
...                    "os": "Median OS (months)"},
...           caption="Two arms.")
>>> t.rows
[['EP', '129', '31', '–']]
>>> t.header
['Regimen', 'Patients', 'Response (%)', 'Median OS (months)']
"""

from __future__ import annotations

import html
import math
import numbers
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

#: What a missing value is shown as (an en dash); the caption says what it means.
MISSING = "–"

#: Most decimals a column may show: no measurement or estimate in the book's sources is
#: printed with more than 4, so 6 leaves room and still catches a slip such as 20 for 2.
MAX_DIGITS = 6

_TABLE_STYLE = (
    "width:100%;max-width:100%;border-collapse:collapse;table-layout:auto;"
    "font-size:0.92em;line-height:1.35;margin:0.4em 0 1em 0"
)
_CELL_STYLE = (
    "padding:0.25em 0.5em;border-bottom:1px solid #d0d7de;vertical-align:top;"
    "white-space:normal;overflow-wrap:break-word;word-break:normal;text-align:left"
)
_NUM_STYLE = _CELL_STYLE.replace("text-align:left", "text-align:right")


def _is_missing(value) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return value.strip() == "" or value.strip().lower() in {"nan", "none", "<na>"}
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        try:
            return math.isnan(float(value))
        except (TypeError, ValueError):
            return False
    # pandas.NA and pandas.NaT compare oddly; recognise them by name (no pandas import).
    return type(value).__name__ in {"NAType", "NaTType"}


def _is_number(value) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def _format_number(value: float, digits: int | None, whole: bool) -> str:
    if whole:
        return f"{round(float(value)):,}"
    if digits is None:
        digits = 2
    return f"{float(value):.{digits}f}"


@dataclass
class Table:
    """A formatted table: ``header`` (labels), ``rows`` (strings), ``caption``.

    Shows as HTML in a notebook and in the book (``_repr_html_``) and as aligned text
    elsewhere (``str``). Build one with :func:`table`.
    """

    header: list[str]
    rows: list[list[str]]
    caption: str = ""
    numeric: list[bool] = field(default_factory=list)
    row_header: bool = False
    notes: list[str] = field(default_factory=list)

    def _repr_html_(self) -> str:
        # Explicit ARIA roles keep the table's semantics when the book's phone layout
        # (book/_static/css/a11y.css) stacks each row as a card: browsers drop a table's
        # roles once its parts are display:block. data-label gives each card's cell its
        # column label there.
        out = [f'<table class="nec-table" role="table" style="{_TABLE_STYLE}">']
        if self.caption:
            out.append(
                '<caption style="caption-side:top;text-align:left;font-weight:600;'
                f'padding:0 0 0.3em 0">{html.escape(self.caption)}</caption>'
            )
        out.append('<thead role="rowgroup"><tr role="row">')
        for j, label in enumerate(self.header):
            style = _NUM_STYLE if self.numeric[j] else _CELL_STYLE
            style = style.replace("border-bottom:1px solid #d0d7de",
                                  "border-bottom:2px solid #57606a")
            out.append(f'<th scope="col" role="columnheader" style="{style}">'
                       f"{html.escape(label)}</th>")
        out.append('</tr></thead><tbody role="rowgroup">')
        for row in self.rows:
            out.append('<tr role="row">')
            for j, cell in enumerate(row):
                style = _NUM_STYLE if self.numeric[j] else _CELL_STYLE
                label = html.escape(self.header[j], quote=True)
                if j == 0 and self.row_header:
                    out.append(f'<th scope="row" role="rowheader" data-label="{label}" '
                               f'style="{style}">{html.escape(cell)}</th>')
                else:
                    out.append(f'<td role="cell" data-label="{label}" style="{style}">'
                               f"{html.escape(cell)}</td>")
            out.append("</tr>")
        out.append("</tbody></table>")
        if self.notes:
            out.append('<p class="nec-table-notes" style="font-size:0.85em;margin-top:-0.6em">'
                       + " ".join(html.escape(n) for n in self.notes) + "</p>")
        return "".join(out)

    def __str__(self) -> str:
        widths = [max(len(self.header[j]), *(len(r[j]) for r in self.rows)) if self.rows
                  else len(self.header[j]) for j in range(len(self.header))]
        lines = [self.caption] if self.caption else []
        lines.append("  ".join(h.ljust(w) for h, w in zip(self.header, widths, strict=True)))
        for r in self.rows:
            lines.append("  ".join((c.rjust(w) if self.numeric[j] else c.ljust(w))
                                   for j, (c, w) in enumerate(zip(r, widths, strict=True))))
        lines.extend(self.notes)
        return "\n".join(lines)

    __repr__ = __str__


def _records(data, index_name: str | None) -> tuple[list[str], list[dict]]:
    """Column names and rows as dicts, from a DataFrame (index kept as a column when
    ``index_name`` is given) or from a sequence of mappings."""
    if hasattr(data, "to_dict") and hasattr(data, "columns"):  # a pandas DataFrame
        frame = data
        if index_name is not None:
            frame = frame.reset_index(names=index_name) if index_name not in frame.columns \
                else frame.reset_index(drop=True)
        names = [str(c) for c in frame.columns]
        rows = [{str(k): v for k, v in rec.items()} for rec in frame.to_dict("records")]
        return names, rows
    if isinstance(data, Mapping) or not isinstance(data, Sequence) or isinstance(data, str):
        raise ValueError(
            "A table needs a pandas DataFrame or a list of rows (one mapping per row), "
            f"not {type(data).__name__}."
        )
    names: list[str] = []
    rows = []
    for i, rec in enumerate(data):
        if not isinstance(rec, Mapping):
            raise ValueError(f"Row {i + 1} of the table is not a mapping of column to value.")
        for k in rec:
            if str(k) not in names:
                names.append(str(k))
        rows.append({str(k): v for k, v in rec.items()})
    return names, rows


def table(
    data,
    *,
    caption: str,
    columns: Mapping[str, str] | Sequence[str] | None = None,
    digits: int | Mapping[str, int] = 2,
    whole: Sequence[str] | None = None,
    index: str | None = None,
    formats: Mapping[str, object] | None = None,
    missing_note: str | None = "– not reported.",
) -> Table:
    """Format ``data`` for the reader.

    Parameters
    ----------
    data:
        a pandas ``DataFrame`` or a list of mappings (one per row).
    caption:
        what the table shows and where its numbers come from (required: a table without
        a caption makes the reader guess).
    columns:
        which columns to show, in order: a mapping ``{column: label}`` or a list of
        column names (shown as they are). Default: every column, names as they are.
    digits:
        decimals for non-whole numbers, one for all columns or ``{column: decimals}``
        (columns not named use 2).
    whole:
        columns always shown as whole numbers (counts). A numeric column whose values are
        all whole is shown whole anyway, so ``129.0`` reads ``129``.
    index:
        with a DataFrame, show its index as the first column under this label (as a row
        header); default: the index is dropped, since it is usually an internal id.
    formats:
        ``{column: callable}`` for cells that need their own wording (e.g. a confidence
        interval written as "0.48–1.33"); the callable gets the row's mapping.
    missing_note:
        the note under the table when any cell is missing; ``None`` for none.

    Returns
    -------
    Table
        shows as an HTML table with a caption; ``header`` and ``rows`` hold the strings.

    >>> table([{"k": 1.0, "hr": 0.8}, {"k": 2.0, "hr": None}], caption="HRs.",
    ...       columns={"k": "Group", "hr": "Hazard ratio"}).rows
    [['1', '0.80'], ['2', '–']]
    """
    if not isinstance(caption, str) or not caption.strip():
        raise ValueError("A table needs a caption saying what it shows and where it is from.")
    index_label = None
    if index is not None:
        if not isinstance(index, str) or not index.strip():
            raise ValueError(f"index is the label of the index column (text), not {index!r}.")
        if not (hasattr(data, "to_dict") and hasattr(data, "columns")):
            raise ValueError("index= shows a DataFrame's index as the first column; a list of "
                             "rows has no index (leave index out).")
        index_label = str(index)
    if missing_note is not None and not isinstance(missing_note, str):
        raise ValueError(f"missing_note must be text (or None for no note), not "
                         f"{missing_note!r}.")
    names, rows = _records(data, index_label)
    if not rows:
        raise ValueError("The table has no rows: there is nothing to show (did a filter "
                         "leave nothing?).")
    if columns is not None and (isinstance(columns, str) or not isinstance(
            columns, Mapping | Sequence)):
        raise ValueError("columns must be a list of column names or a mapping {column: "
                         f"label}}, not {columns!r} (one column: columns=[{columns!r}]).")
    _check_digits(digits, [*names, *(formats if isinstance(formats, Mapping) else ())])
    if whole is not None and (isinstance(whole, str) or not isinstance(whole, Sequence)):
        raise ValueError(f"whole must be a list of column names, not {whole!r} (one column: "
                         f"whole=[{whole!r}]).")
    if formats is not None and not isinstance(formats, Mapping):
        raise ValueError("formats must be a mapping {column: function of the row}, not "
                         f"{type(formats).__name__}.")
    for col, fmt in (formats or {}).items():
        if not callable(fmt):
            raise ValueError(f"The format for column {col!r} must be a function of the row "
                             f"(e.g. lambda row: ...), not {fmt!r}.")
    if columns is None:
        chosen = {n: n for n in names}
    elif isinstance(columns, Mapping):
        chosen = {str(k): str(v) for k, v in columns.items()}
    else:
        chosen = {str(k): str(k) for k in columns}
    if index_label is not None:
        chosen = {index_label: index_label, **{k: v for k, v in chosen.items()
                                                if k != index_label}}
    formats = dict(formats or {})
    unshown = [c for c in formats if c not in chosen]
    if unshown:
        raise ValueError(f"formats gives a format for column {unshown[0]!r}, which the table "
                         "does not show: name it in columns too.")
    unknown = [c for c in chosen if c not in names and c not in formats]
    if unknown:
        raise ValueError(
            f"The table has no column {unknown[0]!r}; its columns are "
            + ", ".join(repr(n) for n in names) + "."
        )
    whole_cols = set(whole or ())
    for col in whole_cols:
        if col not in names:
            raise ValueError(f"whole names column {col!r}, which the table does not have; its "
                             "columns are " + ", ".join(repr(n) for n in names) + ".")
        present = [r.get(col) for r in rows if not _is_missing(r.get(col))]
        if not all(_is_number(v) for v in present):
            raise ValueError(f"whole names column {col!r}, but it holds text, not numbers: "
                             "only a column of counts can be shown as whole numbers.")
    header, body, numeric = [], [[] for _ in rows], []
    any_missing = False
    for col, label in chosen.items():
        header.append(label)
        if col in formats:
            cells = []
            for i, r in enumerate(rows):
                try:
                    text = formats[col](r)
                except Exception as err:  # a reader's own function: say where it failed
                    raise ValueError(f"The format for column {col!r} failed on row {i + 1} "
                                     f"({type(err).__name__}: {err}).") from None
                if _is_missing(text):
                    any_missing = True
                    text = MISSING
                cells.append(str(text))
            is_num = False
        else:
            values = [r.get(col) for r in rows]
            present = [v for v in values if not _is_missing(v)]
            is_num = bool(present) and all(_is_number(v) for v in present)
            all_whole = is_num and all(float(v).is_integer() for v in present)
            d = digits.get(col, 2) if isinstance(digits, Mapping) else digits
            cells = []
            for v in values:
                if _is_missing(v):
                    any_missing = True
                    cells.append(MISSING)
                elif isinstance(v, bool):
                    cells.append("yes" if v else "no")
                elif is_num:
                    cells.append(_format_number(v, d, col in whole_cols or all_whole))
                else:
                    cells.append(str(v))
        numeric.append(is_num)
        for i, c in enumerate(cells):
            body[i].append(c)
    notes = [missing_note] if (any_missing and missing_note) else []
    return Table(header=header, rows=body, caption=caption.strip(), numeric=numeric,
                 row_header=index_label is not None, notes=notes)


def _check_digits(digits, names) -> None:
    """``digits``: one whole number 0–MAX_DIGITS, or ``{column: that}`` for known columns."""
    from nec._validate import count

    if isinstance(digits, Mapping):
        for col, d in digits.items():
            if str(col) not in names:
                raise ValueError(f"digits names column {col!r}, which the table does not "
                                 "have; its columns are "
                                 + ", ".join(repr(n) for n in names) + ".")
            count(d, name=f"The number of decimals for column {col!r}", low=0,
                  high=MAX_DIGITS)
    else:
        count(digits, name="The number of decimals (digits)", low=0, high=MAX_DIGITS)


@dataclass
class TextBlock:
    """Result text shown as wrapped paragraphs, not as console lines cut at the edge."""

    text: str
    title: str = ""

    def _repr_html_(self) -> str:
        paras = [p for p in self.text.split("\n") if p.strip()]
        inner = "".join(f'<p style="margin:0.15em 0">{html.escape(p)}</p>' for p in paras)
        head = f"<b>{html.escape(self.title)}</b>" if self.title else ""
        return ('<div class="nec-text-block" style="border-left:3px solid #57606a;'
                'padding:0.3em 0.8em;margin:0.4em 0 1em 0;white-space:normal;'
                f'overflow-wrap:break-word">{head}{inner}</div>')

    def __str__(self) -> str:
        return (self.title + "\n" if self.title else "") + self.text

    __repr__ = __str__


def text_block(text, *, title: str = "") -> TextBlock:
    """Show ``text`` (a result's ``str()``, a warning) as wrapped paragraphs.

    >>> str(text_block("Rule: higher index wins.", title="WHO 2019"))
    'WHO 2019\\nRule: higher index wins.'
    """
    if text is None:
        raise ValueError("text_block() needs the text to show (a sentence, or a result whose "
                         "str() reads as one), not None.")
    if isinstance(text, list | tuple | set | dict):
        raise ValueError(f"text_block() shows one text, not a {type(text).__name__}: join "
                         "the lines first, e.g. '\\n'.join(lines).")
    if not isinstance(title, str):
        raise ValueError(f"The title must be text, not {title!r}.")
    shown = str(text)
    if not shown.strip():
        raise ValueError("text_block() was given empty text: there is nothing to show.")
    return TextBlock(text=shown, title=title)


# A misspelt, missing or extra argument to a public function here is a sentence, not a
# TypeError (issue 14; nec._validate.refuse_bad_arguments_in).
from nec import _validate as _arguments  # noqa: E402

_arguments.refuse_bad_arguments_in(globals())
