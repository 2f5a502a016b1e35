"""nec.tables: one way to show a table to the reader."""

import math

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nec.tables import MISSING, table, text_block


def test_whole_numbers_shown_whole_and_missing_as_a_dash():
    frame = pd.DataFrame({"study_id": ["a", "b"], "n_nec": [129.0, 23.0],
                          "orr": [31.25, float("nan")], "note": [None, "amp"]})
    t = table(frame, caption="Arms.", columns={"n_nec": "Patients", "orr": "Response (%)",
                                               "note": "Note"}, digits={"orr": 1})
    assert t.header == ["Patients", "Response (%)", "Note"]
    assert t.rows == [["129", "31.2", MISSING], ["23", MISSING, "amp"]]
    assert t.notes == ["– not reported."]
    html = t._repr_html_()
    assert "study_id" not in html and "NaN" not in html and "None" not in html
    assert "<caption" in html and 'scope="col"' in html


def test_pandas_na_and_index_as_row_header():
    frame = pd.DataFrame({"hr": [0.8, pd.NA]}, index=pd.Index(["Size", "Sex"], name="row_id"))
    t = table(frame, caption="HRs.", index="Variable", columns={"hr": "HR"})
    assert t.header == ["Variable", "HR"]
    assert t.rows == [["Size", "0.80"], ["Sex", MISSING]]
    assert '<th scope="row"' in t._repr_html_()


def test_formats_and_bad_input():
    t = table([{"lo": 0.48, "hi": 1.33}], caption="CI.",
              columns={"ci": "95 % CI"}, formats={"ci": lambda r: f"{r['lo']:.2f}–{r['hi']:.2f}"})
    assert t.rows == [["0.48–1.33"]]
    with pytest.raises(ValueError, match="caption"):
        table([{"a": 1}], caption=" ")
    with pytest.raises(ValueError, match="no column 'b'"):
        table([{"a": 1}], caption="x", columns=["b"])
    with pytest.raises(ValueError, match="DataFrame or a list of rows"):
        table({"a": 1}, caption="x")


@given(st.lists(st.one_of(st.none(), st.integers(-10**6, 10**6).map(float),
                          st.floats(allow_nan=True, allow_infinity=False, width=32)),
                min_size=1, max_size=20))
def test_every_cell_is_a_number_or_the_dash(values):
    t = table([{"x": v} for v in values], caption="x")
    for v, (cell,) in zip(values, t.rows, strict=True):
        if v is None or math.isnan(v):
            assert cell == MISSING
        else:
            assert cell not in {"nan", "None", ""}
            assert float(cell.replace(",", "")) == pytest.approx(v, abs=0.006, rel=1e-6)


def test_text_block_wraps_instead_of_console_lines():
    html = text_block("Rule: the higher index wins.\nNote: re-examine.", title="WHO")._repr_html_()
    assert html.count("<p") == 2 and "white-space:normal" in html
