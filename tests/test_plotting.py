"""Figure helpers: date arithmetic for the case timeline, and that the figures draw."""

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402

from nec.data import load  # noqa: E402
from nec.plotting import case_timeline, grade_map, months_between  # noqa: E402


@pytest.mark.parametrize(
    "start, end, months",
    [("2021-02-18", "2023-11", 33), ("2021-02", "2021-02", 0), ("2020-12-31", "2021-01", 1)],
)
def test_months_between(start, end, months):
    assert months_between(start, end) == months


def test_months_between_refuses_a_year_only_date():
    with pytest.raises(ValueError, match="no month"):
        months_between("2021", "2023-11")


def test_case_timeline_draws_the_dated_interval_and_the_treatment_blocks():
    ax = case_timeline(load("case_course"), references=[(15.4, "cohort median")])
    texts = [t.get_text() for t in ax.texts]
    assert any("33 months" in t for t in texts)
    assert any("CAPTEM ×8" in t for t in texts) and any("docetaxel ×6" in t for t in texts)
    assert "cohort median" in texts


def test_grade_map_labels_its_regions():
    ax = grade_map(edition=2019, differentiation="well", resolution=20)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels[:3] == ["NET G1", "NET G2", "NET G3"]
