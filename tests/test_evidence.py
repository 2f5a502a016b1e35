"""Tests of nec.evidence and of data/evidence.csv against its data dictionary.

Expected values are computed here, independently of the code under test: row numbers from
the raw CSV, the Wilson interval from its textbook formula and from published values,
DerSimonian–Laird by hand with numpy.
"""

from __future__ import annotations

import csv
import math
import shutil
import warnings
from pathlib import Path
from statistics import NormalDist

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nec import data, evidence_plots
from nec.evidence import (
    PLATINUM_ETOPOSIDE,
    load_evidence,
    pooled_response,
    responders,
    select,
    validate_evidence,
    wilson_interval,
)

DATA = Path(data.__file__).resolve().parent.parent / "data"
Z95 = NormalDist().inv_cdf(0.975)


def raw_rows() -> list[dict]:
    with open(DATA / "evidence.csv", newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def spreadsheet_row(study_id: str) -> int:
    """Row of ``study_id`` as a spreadsheet numbers it (header = row 1), read from the file."""
    ids = [r["study_id"] for r in raw_rows()]
    return ids.index(study_id) + 2


def copy_with(tmp_path: Path, edits=(), extra_column=None) -> Path:
    """Copy evidence.csv and its dictionary to tmp_path, changing cells (study, column, value)."""
    shutil.copy(DATA / "evidence_dictionary.csv", tmp_path / "evidence_dictionary.csv")
    with open(DATA / "evidence.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    header = rows[0]
    for study, column, value in edits:
        row = next(r for r in rows[1:] if r[0] == study)
        row[header.index(column)] = value
    if extra_column:
        rows[0] = [*header, extra_column]
        rows[1:] = [[*r, ""] for r in rows[1:]]
    with open(tmp_path / "evidence.csv", "w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    return tmp_path


def assert_names_cell(message: str, study: str, column: str):
    assert "evidence.csv" in message
    assert f"row {spreadsheet_row(study)}" in message
    assert f"column {column}" in message


# --------------------------------------------------------------------------- the file


def test_real_file_loads_and_validates():
    ev = load_evidence()
    rows = raw_rows()
    assert len(ev) == len(rows)
    # The 31 first-line arms; the later-line arms are further rows (test_later_line_rows).
    assert len(select(ev, line="first")) == sum(r["line"] == "first" for r in rows) == 31
    assert list(ev.index) == [r["study_id"] for r in rows]
    assert validate_evidence(ev) is None
    # Spot checks against the sources (seed 001 Table 1; clinical_facts.md 3.1).
    assert ev.loc["moertel1991", "response_rate_pct"] == 67
    assert ev.loc["morizane2022_ep", "n_response"] == 77
    assert ev.loc["morizane2022_ip", "n_response"] == 80
    assert ev.loc["iwasa2010", "toxicity_g34"].startswith("G3-4 neutropenia 90%")


def test_dictionary_is_machine_readable_and_matches_the_header():
    with open(DATA / "evidence_dictionary.csv", newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        assert reader.fieldnames == ["column", "type", "unit", "required", "allowed",
                                     "description"]
        spec = list(reader)
    assert [s["column"] for s in spec] == list(raw_rows()[0])
    for s in spec:
        assert s["type"] in {"string", "category", "integer", "number"}, s["column"]
        assert s["required"] in {"yes", "no"}, s["column"]
        assert s["description"].strip(), s["column"]
        if s["type"] == "category":
            options = s["allowed"].split("|")
            assert all(o and o == o.strip() for o in options), s["column"]
        elif s["type"] in {"integer", "number"} and s["allowed"]:
            low, sep, high = s["allowed"].partition("..")
            assert sep == ".."
            for end in (low, high):
                if end:
                    float(end)
        else:
            assert s["allowed"] == "", f"{s['column']}: prose belongs in description"


def test_percentage_columns_are_bounded_by_the_dictionary():
    with open(DATA / "evidence_dictionary.csv", newline="", encoding="utf-8") as f:
        spec = {s["column"]: s for s in csv.DictReader(f)}
    for column, s in spec.items():
        if column.endswith("_pct"):
            assert s["allowed"] == "0..100", column


# --------------------------------------------------------------------------- malformed copies


@pytest.mark.parametrize(
    ("study", "column", "value", "fragment"),
    [
        ("mitry1999", "response_rate_pct", "41.5%", "is not a number"),
        ("mitry1999", "cr_pct", "101", "outside the allowed range 0..100"),
        ("mitry1999", "n_total", "53.5", "is not a whole number"),
        ("mitry1999", "regimen_family", "cisplatin+etoposide", "is not one of"),
        ("mitry1999", "source", "", "a value is required"),
        ("iwasa2010", "response_population", "NEC", "is not one of"),
    ],
)
def test_loader_names_file_row_and_column(tmp_path, study, column, value, fragment):
    folder = copy_with(tmp_path, [(study, column, value)])
    with pytest.raises(ValueError) as err:
        data.load("evidence", data_dir=folder)
    assert fragment in str(err.value)
    assert_names_cell(str(err.value), study, column)


@pytest.mark.parametrize(
    ("study", "column", "value", "named_column", "fragment"),
    [
        ("moertel1991", "n_nec", "50", "n_nec", "more than the 45 patients"),
        ("mitry1999", "median_os_months", "30", "os_high", "below the median"),
        ("mitry1999", "median_pfs_months", "5", "pfs_low", "above the median"),
        ("patta2011", "os_high", "3", "os_high", "below the lower bound"),
        ("patta2011", "os_interval_type", "", "os_interval_type", "bounds but no type"),
        ("yamaguchi2014_ep", "os_interval_type", "ci95", "os_interval_type",
         "both bounds are empty"),
        ("iwasa2010", "response_population", "", "response_population", "empty, but"),
        ("sevillaresua2025_case", "outcome_population", "nec", "outcome_population",
         "no OS or PFS figures"),
        ("mitry1999", "n_response", "60", "n_response", "more than the 41"),
        ("du2013", "n_response", "11", "n_response", "no response_rate_pct"),
        ("patta2011", "pd_n", "7", "cr_n", "add up to 12 patients"),
        ("mitry1999", "pd_pct", "60", "cr_pct", "more than 100 %"),
        ("iwasa2010", "median_os_months", "0", "median_os_months", "not possible"),
        ("yamaguchi2014_ip", "study_id", "Yamaguchi2014-IP", "study_id", "lowercase"),
        ("hentic2012", "landmark_interval", "80% CI 1-2", "landmark_interval",
         "no 6-month rate"),
        ("walter2023_folfiri", "outcome_population", "", "outcome_population", "os_6m_pct"),
        ("hentic2012", "study_id", "hentic_folfiri", "study_id", "4-digit year"),
        ("nipinec_nivo", "study_id", "NIPINEC-nivo", "study_id", "lowercase trial or drug"),
    ],
)
def test_cross_column_rules_name_file_row_and_column(tmp_path, study, column, value,
                                                     named_column, fragment):
    row = spreadsheet_row(study)
    folder = copy_with(tmp_path, [(study, column, value)])
    with pytest.raises(ValueError) as err:
        load_evidence(data_dir=folder)
    message = str(err.value)
    assert fragment in message
    assert "evidence.csv" in message
    assert f"row {row} (" in message
    assert f"column {named_column}" in message


def test_every_problem_is_reported_not_only_the_first(tmp_path):
    folder = copy_with(tmp_path, [("moertel1991", "n_nec", "50"),
                                  ("patta2011", "os_high", "3")])
    with pytest.raises(ValueError) as err:
        load_evidence(data_dir=folder)
    lines = str(err.value).splitlines()
    # Patta's new upper bound (3) is below both its lower bound (3.5) and its median (9.5).
    assert len(lines) == 3
    assert lines[0].startswith("evidence.csv, row 2 (moertel1991), column n_nec")
    patta = f"evidence.csv, row {spreadsheet_row('patta2011')} (patta2011), column os_high"
    assert lines[1].startswith(patta) and "lower bound 3.5" in lines[1]
    assert lines[2].startswith(patta) and "median 9.5" in lines[2]


def test_out_of_range_percentage_in_a_frame_is_caught_by_validate_evidence():
    # The loader stops this in a file; a frame built or edited in code meets validate_evidence.
    ev = load_evidence()
    ev.loc["mitry1999", "response_rate_pct"] = 120.0
    with pytest.raises(ValueError) as err:
        validate_evidence(ev)
    assert "between 0 and 100" in str(err.value)
    assert_names_cell(str(err.value), "mitry1999", "response_rate_pct")


def test_extra_column_is_named(tmp_path):
    folder = copy_with(tmp_path, extra_column="reviewer_comment")
    with pytest.raises(ValueError) as err:
        data.load("evidence", data_dir=folder)
    message = str(err.value)
    assert "evidence.csv" in message
    assert "reviewer_comment" in message
    assert "not in the data dictionary" in message


def test_missing_column_is_named_by_validate_evidence():
    ev = load_evidence().drop(columns="n_response")
    with pytest.raises(ValueError, match=r"evidence.csv: missing column\(s\) n_response"):
        validate_evidence(ev)


# --------------------------------------------------------------------------- Wilson


def wilson_textbook(x: int, n: int, z: float) -> tuple[float, float]:
    # Wilson (1927): centre (p + z²/2n)/(1 + z²/n), half-width z/(1 + z²/n)·√(p(1−p)/n + z²/4n²).
    p = x / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return centre - half, centre + half


@pytest.mark.parametrize(
    ("x", "n", "low", "high"),
    [
        # Agresti & Coull 1998 / textbook examples, checked with the formula above.
        (0, 10, 0.0, 0.2775),
        (5, 10, 0.2366, 0.7634),
        # Newcombe RG. Stat Med 1998;17:857-72, Table II, method 3 (Wilson score).
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
        (1, 29, 0.0061, 0.1718),
    ],
)
def test_wilson_interval_matches_published_values(x, n, low, high):
    lo, hi = wilson_interval(x, n)
    assert lo == pytest.approx(low, abs=5e-5)
    assert hi == pytest.approx(high, abs=5e-5)
    t_lo, t_hi = wilson_textbook(x, n, Z95)
    assert (round(t_lo, 4), round(t_hi, 4)) == (low, high)


@settings(deadline=None)  # the first call imports statsmodels
@given(n=st.integers(1, 400), data_=st.data(), level=st.sampled_from([0.8, 0.9, 0.95, 0.99]))
def test_wilson_interval_equals_textbook_formula(n, data_, level):
    x = data_.draw(st.integers(0, n))
    z = NormalDist().inv_cdf(0.5 + level / 2)
    lo, hi = wilson_interval(x, n, level=level)
    t_lo, t_hi = wilson_textbook(x, n, z)
    assert lo == pytest.approx(max(t_lo, 0.0), abs=1e-9)
    assert hi == pytest.approx(min(t_hi, 1.0), abs=1e-9)
    assert 0.0 <= lo <= x / n <= hi <= 1.0


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        ((11, 10), "cannot exceed"),
        ((1, 0), "at least 1"),
        ((2.5, 10), "whole number"),
        ((-1, 10), "at least 0"),
        (("3", 10), "must be a number"),
        ((3, 10, 1.5), "confidence level"),
    ],
)
def test_wilson_interval_rejects_bad_input(args, fragment):
    with pytest.raises(ValueError, match=fragment):
        wilson_interval(*args)


# --------------------------------------------------------------------------- responders


def made_up(arms) -> pd.DataFrame:
    """A frame with the columns responders() reads: arms = [(id, responders, n), ...]."""
    rows = {
        study: {
            "response_rate_pct": 100 * x / n, "n_response": n, "n_nec": n, "n_total": n,
            "response_population": "nec", "cr_n": math.nan, "pr_n": math.nan,
            "regimen_family": "cisplatin-etoposide",
        }
        for study, x, n in arms
    }
    return pd.DataFrame.from_dict(rows, orient="index")


def test_responders_from_printed_rates_and_stated_denominators():
    rc = responders(select(load_evidence(), line="first"))
    c = rc.counts
    # Worked by hand: 67 % of 18 NEC = 12.06 -> 12; 41.5 % of 41 = 17.0 -> 17;
    # 14 % of 21 = 2.94 -> 3; 54.5 % of the 77 with measurable disease = 41.97 -> 42.
    expected = {"moertel1991": (12, 18, "n_nec"), "mitry1999": (17, 41, "n_nec"),
                "iwasa2010": (3, 21, "n_nec"), "morizane2022_ep": (42, 77, "n_response"),
                "morizane2022_ip": (42, 80, "n_response"),
                "zhang2020_ep": (14, 33, "n_response")}
    for study, (x, n, source) in expected.items():
        assert (c.loc[study, "responders"], c.loc[study, "n"], c.loc[study, "n_from"]) == (
            x, n, source)
    reasons = dict(rc.excluded)
    assert "mixed" in reasons["kulke2006"]
    assert "unclear" in reasons["okita2011"]
    assert "no response rate" in reasons["bajetta2007"]
    # 44 % of 28: 12/28 = 42.9 %, 13/28 = 46.4 %; neither prints as 44.
    assert "not a whole-number share" in reasons["sorbye2013_ecv"]
    assert len(c) + rc.n_excluded == 31
    assert set(c.index).isdisjoint(reasons)


def test_responders_excludes_rows_without_a_known_denominator():
    frame = made_up([("a2001", 5, 10), ("b2002", 6, 12), ("c2003", 3, 10)])
    frame.loc["a2001", "response_population"] = "nec_measurable"
    frame.loc["a2001", "n_response"] = math.nan
    frame.loc["b2002", "n_response"] = math.nan
    frame.loc["b2002", "n_nec"] = math.nan
    frame.loc["c2003", ["cr_n", "pr_n"]] = [1, 1]  # 2 responders, but 30 % of 10 is 3
    rc = responders(frame)
    assert rc.counts.empty
    reasons = dict(rc.excluded)
    assert "measurable disease" in reasons["a2001"]
    assert "NEC patients in the arm is not printed" in reasons["b2002"]
    assert "disagree" in reasons["c2003"]


# --------------------------------------------------------------------------- pooling


def dersimonian_laird(x, n, level=0.95):
    """DerSimonian & Laird (1986) on the logit scale, by hand."""
    x, n = np.asarray(x, float), np.asarray(n, float)
    y = np.log(x / (n - x))
    v = 1 / x + 1 / (n - x)
    w = 1 / v
    y_fixed = np.sum(w * y) / np.sum(w)
    q = np.sum(w * (y - y_fixed) ** 2)
    df = len(x) - 1
    c = np.sum(w) - np.sum(w**2) / np.sum(w)
    tau2 = max(0.0, (q - df) / c)
    w_star = 1 / (v + tau2)
    mu = np.sum(w_star * y) / np.sum(w_star)
    se = 1 / math.sqrt(np.sum(w_star))
    z = NormalDist().inv_cdf(0.5 + level / 2)

    def expit(t):
        return 1 / (1 + math.exp(-t))

    i2 = max(0.0, (q - df) / q) if q > 0 else 0.0
    return {"tau2": tau2, "q": q, "i2": i2, "logit": mu, "proportion": expit(mu),
            "ci_low": expit(mu - z * se), "ci_high": expit(mu + z * se)}


def test_pooled_response_equals_hand_computed_dersimonian_laird():
    arms = [("a2001", 4, 20), ("b2002", 12, 30), ("c2003", 9, 15), ("d2004", 20, 80)]
    hand = dersimonian_laird([a[1] for a in arms], [a[2] for a in arms])
    assert hand["tau2"] > 0  # the example is heterogeneous, so tau² is really estimated
    r = pooled_response(made_up(arms))
    for key in ("tau2", "q", "i2", "logit", "proportion", "ci_low", "ci_high"):
        assert getattr(r, key) == pytest.approx(hand[key], rel=1e-9), key
    assert (r.k, r.n_patients, r.n_responders, r.q_df) == (4, 145, 45, 3)
    assert r.used == ("a2001", "b2002", "c2003", "d2004")
    assert not r.tau2_truncated
    assert r.studies["weight_pct"].sum() == pytest.approx(100)


def test_identical_arms_give_zero_heterogeneity_without_warnings():
    arms = [("a2001", 10, 40), ("b2002", 10, 40), ("c2003", 10, 40)]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        r = pooled_response(made_up(arms))
    assert r.tau2 == 0.0
    assert r.i2 == 0.0
    assert r.q == pytest.approx(0.0, abs=1e-12)
    assert r.q_pvalue == pytest.approx(1.0)
    assert r.tau2_truncated  # DL's moment estimate is negative here: (0 - 2)/C
    assert r.proportion == pytest.approx(0.25)
    # Three arms with variance 1/10 + 1/30 each: pooled variance is a third of that.
    se = math.sqrt((1 / 10 + 1 / 30) / 3)
    logit = math.log(10 / 30)
    assert r.ci_low == pytest.approx(1 / (1 + math.exp(-(logit - Z95 * se))))
    assert r.ci_high == pytest.approx(1 / (1 + math.exp(-(logit + Z95 * se))))


def test_homogeneous_arms_truncate_a_negative_tau2_to_zero():
    # Q < df: the DL moment estimate is negative; truncated, RE equals the fixed effect.
    arms = [("a2001", 10, 40), ("b2002", 11, 40), ("c2003", 9, 40)]
    hand = dersimonian_laird([10, 11, 9], [40, 40, 40])
    assert hand["q"] < 2
    r = pooled_response(made_up(arms))
    assert r.tau2 == 0.0 and r.i2 == 0.0
    assert r.proportion == pytest.approx(hand["proportion"], rel=1e-12)
    assert r.ci_low == pytest.approx(hand["ci_low"], rel=1e-12)


def test_continuity_correction_for_zero_and_all_responders():
    arms = [("a2001", 0, 10), ("b2002", 8, 8), ("c2003", 5, 20)]
    r = pooled_response(made_up(arms))
    assert r.corrected == ("a2001", "b2002")
    # 0.5 added to responders and non-responders: 0.5/10.5 and 8.5/0.5.
    assert r.studies.loc["a2001", "logit"] == pytest.approx(math.log(0.5 / 10.5))
    assert r.studies.loc["a2001", "variance"] == pytest.approx(1 / 0.5 + 1 / 10.5)
    assert r.studies.loc["b2002", "logit"] == pytest.approx(math.log(8.5 / 0.5))
    assert r.studies.loc["c2003", "logit"] == pytest.approx(math.log(5 / 15))
    assert "applied to 2 arm(s): a2001, b2002" in r.summary()


def test_paule_mandel_solves_its_estimating_equation():
    # Paule–Mandel: tau² such that sum w*(y - mu)² = k - 1, with w* = 1/(v + tau²).
    arms = [("a2001", 4, 20), ("b2002", 12, 30), ("c2003", 9, 15), ("d2004", 20, 80)]
    r = pooled_response(made_up(arms), method="pm")
    x, n = np.array([4, 12, 9, 20.0]), np.array([20, 30, 15, 80.0])
    y, v = np.log(x / (n - x)), 1 / x + 1 / (n - x)
    w = 1 / (v + r.tau2)
    mu = np.sum(w * y) / np.sum(w)
    assert r.logit == pytest.approx(mu, rel=1e-9)
    assert np.sum(w * (y - mu) ** 2) == pytest.approx(3, abs=1e-4)


def test_pooled_nec_only_platinum_etoposide_on_the_real_table():
    arms = select(load_evidence(), family=PLATINUM_ETOPOSIDE, nec_only=True)
    r = pooled_response(arms)
    # Counts worked by hand from the printed rates and denominators (see responders()).
    expected = {"moertel1991": (12, 18), "mitry1999": (17, 41), "iwasa2010": (3, 21),
                "patta2011": (5, 8), "yamaguchi2014_ep": (13, 46),
                "sorbye2013_ep": (40, 129), "sorbye2013_ec": (20, 67),
                "morizane2022_ep": (42, 77), "zhang2020_ep": (14, 33)}
    assert set(r.used) == set(expected)
    assert r.excluded == ()
    hand = dersimonian_laird([v[0] for v in expected.values()],
                             [v[1] for v in expected.values()])
    assert r.proportion == pytest.approx(hand["proportion"], rel=1e-9)
    assert r.tau2 == pytest.approx(hand["tau2"], rel=1e-9)
    assert (r.n_patients, r.n_responders) == (440, 166)


def test_summary_states_what_was_computed():
    r = pooled_response(made_up([("a2001", 4, 20), ("b2002", 12, 30), ("c2003", 9, 15)]))
    text = r.summary()
    for fragment in ("DerSimonian-Laird", "Arms pooled, k            3", "tau²", "I²",
                     "Q ", "logit", "Continuity correction: 0.5", "Used (3)",
                     "Excluded (0): none", "95 % CI"):
        assert fragment in text, fragment
    assert str(r) == text


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [({"method": "reml"}, "choose 'dl'"), ({"level": 2}, "confidence level")],
)
def test_pooled_response_rejects_bad_options(kwargs, fragment):
    with pytest.raises(ValueError, match=fragment):
        pooled_response(made_up([("a2001", 4, 20), ("b2002", 12, 30)]), **kwargs)


def test_pooled_response_needs_two_counted_arms():
    ev = load_evidence()
    with pytest.raises(ValueError, match="at least two arms") as err:
        pooled_response(ev.loc[["moertel1991", "kulke2006"]])
    assert "kulke2006: the rate is for a mixed" in str(err.value)


# --------------------------------------------------------------------------- select


def test_select_by_family_design_line_and_population():
    ev = load_evidence()
    rows = raw_rows()
    doublets = {r["study_id"] for r in rows if r["regimen_family"] in PLATINUM_ETOPOSIDE
                and r["response_population"] in ("nec", "nec_measurable")}
    assert set(select(ev, family=PLATINUM_ETOPOSIDE, nec_only=True).index) == doublets
    assert set(select(ev, family="carboplatin-etoposide").index) == {
        "sorbye2013_ec", "sevillaresua2025_case"}
    assert set(select(ev, design="randomised", line="first").index) == {
        "morizane2022_ep", "morizane2022_ip", "zhang2020_ep", "zhang2020_ip"}
    assert len(select(ev, line="first")) == 31
    assert set(select(ev, line="second").index) == {
        r["study_id"] for r in rows if r["line"] == "second"}
    assert set(select(ev, design="randomised", line="second").index) == {
        "walter2023_folfiri", "walter2023_folfiribev", "mcnamara2023_nalirifu",
        "mcnamara2023_docetaxel"}
    both = select(ev, family="irinotecan-platinum", design=["randomised", "prospective"])
    assert set(both.index) == {"morizane2022_ip", "zhang2020_ip", "kulke2006"}
    assert list(select(ev).index) == list(ev.index)  # no condition keeps every row


def test_select_by_site_matches_within_entries_case_blind():
    ev = load_evidence()
    rows = raw_rows()
    pancreas = {r["study_id"] for r in rows
                if any("pancrea" in s.lower() for s in r["primary_sites"].split(";"))}
    assert set(select(ev, site="PANCREA").index) == pancreas
    assert "iwasa2010" in pancreas and "benini2025" not in pancreas
    # A site no row lists is refused with the sites that exist (the table spells it
    # "esophagus"), never answered with an empty table.
    with pytest.raises(ValueError, match="No arm lists a primary site containing 'oesophagus'.*"
                                         "'esophagus'"):
        select(ev, site="oesophagus")
    # A site that exists but not in combination with the other filters is simply empty.
    assert select(ev, site="esophagus", line="second").empty
    assert set(select(ev, site="Esophag").index) == {
        r["study_id"] for r in rows if "esophag" in r["primary_sites"].lower()}


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"family": "EP"}, "Unknown regimen family 'EP': choose one of 'cisplatin-etoposide'"),
        ({"family": ["cisplatin-etoposide", "folfirinox"]},
         "Unknown regimen family 'folfirinox'"),
        ({"design": "cohort"}, "'retrospective'"),
        ({"line": "1"}, "Unknown treatment line '1'"),
        ({"site": ""}, "primary site"),
        ({"nec_only": "yes"}, "True or False"),
        ({"family": []}, "No regimen family given"),
        ({"agent_class": "chemo"}, "Unknown agent class 'chemo': choose one of 'chemotherapy'"),
        ({"population_grade": "G3"}, "Unknown population grade 'G3'"),
        ({"biomarker": "pd-l1"}, "Unknown biomarker selection 'pd-l1'"),
        ({"line": "second line"}, "'second_or_later'"),
    ],
)
def test_select_rejects_unknown_values_listing_the_allowed_ones(kwargs, fragment):
    with pytest.raises(ValueError, match=fragment):
        select(load_evidence(), **kwargs)


# --------------------------------------------------------------------------- figures


def test_figures_return_their_axes_without_warnings():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.axes import Axes
    from matplotlib.patches import Polygon

    ev = load_evidence()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ax = evidence_plots.forest_plot(select(ev, family=PLATINUM_ETOPOSIDE))
        assert isinstance(ax, Axes)
        labels = [t.get_text() for t in ax.get_yticklabels()]
        assert "Moertel 1991 †" in labels and "Pooled, random effects (DL), k = 9" in labels
        assert any(isinstance(p, Polygon) for p in ax.patches)  # the diamond
        for outcome in ("os", "pfs"):
            _, given_ax = plt.subplots()
            assert evidence_plots.outcome_dot_plot(ev, outcome=outcome, ax=given_ax) is given_ax
    plt.close("all")


def test_figures_reject_what_they_cannot_draw():
    ev = load_evidence()
    with pytest.raises(ValueError, match="Unknown outcome 'dfs'"):
        evidence_plots.outcome_dot_plot(ev, outcome="dfs")
    with pytest.raises(ValueError, match="no.*printed response rate|nothing to draw"):
        evidence_plots.forest_plot(ev.loc[["du2013", "bajetta2007"]])


# --------------------------------------------------------------------------- later lines

LATER = ("second", "third_or_later", "second_or_later", "not_stated")


def test_later_line_rows_against_their_sources():
    ev = load_evidence()
    later = select(ev, line=list(LATER))
    assert len(later) + len(select(ev, line="first")) == len(ev)
    # Seed 001 Table 5.
    assert tuple(ev.loc["hentic2012", ["response_rate_pct", "median_os_months",
                                       "median_pfs_months"]]) == (31, 18, 4)
    assert tuple(ev.loc["welin2011", ["cr_pct", "pr_pct", "sd_pct", "pd_pct"]]) == (4, 29, 38, 29)
    assert ev.loc["olsen2012", "n_response"] == 16 and ev.loc["olsen2012", "pd_pct"] == 62.5
    assert ev.loc["hadoux2015", "line"] == "second_or_later"
    # clinical_facts.md 3.2: the landmark endpoints with their intervals as printed.
    assert ev.loc["walter2023_folfiri", "os_6m_pct"] == 60
    assert ev.loc["walter2023_folfiribev", "landmark_interval"] == "80% CI 43-61"
    assert ev.loc["mcnamara2023_nalirifu", "pfs_6m_pct"] == 29.6
    assert ev.loc["mcnamara2023_docetaxel", "landmark_interval"] == "lower 95% CL 4.9"
    assert ev.loc["koenig2024", "ki67_selection"] == "20-60"
    assert ev.loc["koenig2024", "population_grade"] == "high_grade_mixed"
    # 3.3: the tumour-agnostic MSI-H rows are never NEC evidence.
    msi = select(ev, biomarker="msi_h")
    assert set(msi.index) == {"marabelle2020", "marabelle2025"}
    assert set(msi["response_population"]) == {"other"}
    assert tuple(ev.loc["patel2020", ["response_rate_pct", "n_response"]]) == (44, 18)


def test_later_lines_leave_the_first_line_pool_unchanged():
    ev = load_evidence()
    # No later-line row is a platinum-etoposide doublet, so the pool is the same with or
    # without the line filter: the book's 9 arms and 39.3 %.
    assert select(ev, family=PLATINUM_ETOPOSIDE, line=list(LATER)).empty
    with_line = pooled_response(select(ev, family=PLATINUM_ETOPOSIDE, nec_only=True,
                                       line="first"))
    without = pooled_response(select(ev, family=PLATINUM_ETOPOSIDE, nec_only=True))
    assert with_line.used == without.used
    assert (with_line.k, round(100 * with_line.proportion, 1)) == (9, 39.3)


def test_rows_without_author_or_year_say_so():
    ev = load_evidence()
    nameless = ev[ev["first_author"].isna() | ev["year"].isna()]
    assert {"nipinec_nivo", "raj_parta", "checkmate032_nivo"} <= set(nameless.index)
    for study, row in nameless.iterrows():
        assert row["notes"], study
    assert ev["year"].dtype == "Int64" and ev.loc["moertel1991", "year"] == 1991


def test_select_by_agent_class_population_grade_and_biomarker():
    ev = load_evidence()
    rows = raw_rows()
    for kwarg, column, value in (("agent_class", "agent_class", "immunotherapy"),
                                 ("population_grade", "population_grade", "net_g3"),
                                 ("biomarker", "biomarker_selection", "sstr_positive")):
        expected = {r["study_id"] for r in rows if r[column] == value}
        assert expected
        assert set(select(ev, **{kwarg: value}).index) == expected
    assert set(select(ev, agent_class="chemo-immunotherapy", line="first").index) == {
        "riescomartinez2024"}


def test_responders_excludes_populations_that_are_not_nec():
    rc = responders(load_evidence().loc[["checkmate032_nivo", "marabelle2020", "raj_parta"]])
    reasons = dict(rc.excluded)
    assert "not NEC" in reasons["checkmate032_nivo"] and "not NEC" in reasons["marabelle2020"]
    assert rc.counts.loc["raj_parta", "responders"] == 1  # 7 % of 14




def test_landmark_rate_is_a_percentage(tmp_path):
    folder = copy_with(tmp_path, [("mcnamara2023_docetaxel", "pfs_6m_pct", "138")])
    with pytest.raises(ValueError) as err:
        data.load("evidence", data_dir=folder)
    assert "outside the allowed range 0..100" in str(err.value)
    assert_names_cell(str(err.value), "mcnamara2023_docetaxel", "pfs_6m_pct")


def test_later_line_figures_draw_every_row_without_warnings():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    later = select(load_evidence(), line=list(LATER))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ax = evidence_plots.forest_plot(later, pooled=False)
        labels = [t.get_text() for t in ax.get_yticklabels()]
        assert "Hentic 2012" in labels and "nipinec_nivo" in labels and "folfiri" in labels
        ax = evidence_plots.outcome_dot_plot(later, outcome="os")
        assert any("n not printed" in t.get_text() for t in ax.texts)  # NIPINEC arms
    plt.close("all")


# --------------------------------------------------------------------------- case course


def test_case_course_loads_and_reads_as_the_paper_does():
    course = data.load("case_course")
    assert course.index[0] == "diagnosis" and course.index[-1] == "overall_survival"
    dates = course["start"].dropna()
    assert dates.str.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?").all()
    assert list(dates) == sorted(dates)  # ISO prefixes sort in time order
    treatments = course[course["kind"].isin(["chemotherapy", "radiotherapy"])]
    assert treatments["stop_reason"].notna().all()
    lines = course.loc[course["kind"] == "chemotherapy", "line"].tolist()
    assert lines == ["adjuvant", "1", "2", "3", "4"]
    assert course.loc["adjuvant_chemotherapy", "cycles"] == 6
    assert course.loc["recurrence", "start"] == "2023-11"
    assert course.loc["surgery", "start"] == "2021-02-18"
    assert course.loc["docetaxel", "stop_reason"] == "ongoing"
    assert course.loc["cabozantinib_plan", "line"] is None
    assert "ORDER CONFLICT" in course.loc["adjuvant_chemotherapy", "notes"]


# --------------------------------------------------------------------------- a user's counts


HETEROGENEOUS = [("a2001", 4, 20), ("b2002", 12, 30), ("c2003", 9, 15), ("d2004", 20, 80)]


@pytest.mark.parametrize("form", ["frame", "pairs", "mapping"])
def test_pooled_response_accepts_a_users_own_counts(form):
    hand = dersimonian_laird([a[1] for a in HETEROGENEOUS], [a[2] for a in HETEROGENEOUS])
    given = {
        "frame": pd.DataFrame({"responders": [a[1] for a in HETEROGENEOUS],
                               "n": [a[2] for a in HETEROGENEOUS]},
                              index=[a[0] for a in HETEROGENEOUS]),
        "pairs": [(a[1], a[2]) for a in HETEROGENEOUS],
        "mapping": {a[0]: (a[1], a[2]) for a in HETEROGENEOUS},
    }[form]
    r = pooled_response(given)
    for key in ("tau2", "proportion", "ci_low", "ci_high", "i2"):
        assert getattr(r, key) == pytest.approx(hand[key], rel=1e-9), key
    assert r.source == "counts given" and r.excluded == ()
    assert "Responders and n: as given." in r.summary()
    if form == "pairs":
        assert r.used == ("arm 1", "arm 2", "arm 3", "arm 4")


def test_i2_is_tau2_based_and_equals_q_based_for_dersimonian_laird():
    x = np.array([4, 12, 9, 20.0])
    n = np.array([20, 30, 15, 80.0])
    v = 1 / x + 1 / (n - x)
    w = 1 / v
    s2 = 3 * w.sum() / (w.sum() ** 2 - (w**2).sum())  # Higgins & Thompson's typical variance
    dl = pooled_response(made_up(HETEROGENEOUS))
    assert dl.i2 == pytest.approx(dl.tau2 / (dl.tau2 + s2), rel=1e-12)
    assert dl.i2 == pytest.approx(dl.i2_q, rel=1e-12)
    pm = pooled_response(made_up(HETEROGENEOUS), method="pm")
    assert pm.i2 == pytest.approx(pm.tau2 / (pm.tau2 + s2), rel=1e-12)
    assert abs(pm.i2 - pm.i2_q) > 0.01  # the Q-based I² would not describe PM's tau²
    assert "Paule-Mandel tau²" in pm.summary() and "s² = (k - 1)" in pm.summary()


def test_paule_mandel_is_solved_tightly():
    r = pooled_response(made_up(HETEROGENEOUS), method="pm")
    x, n = np.array([4, 12, 9, 20.0]), np.array([20, 30, 15, 80.0])
    y, v = np.log(x / (n - x)), 1 / x + 1 / (n - x)
    w = 1 / (v + r.tau2)
    mu = np.sum(w * y) / np.sum(w)
    assert np.sum(w * (y - mu) ** 2) == pytest.approx(3, abs=1e-10)


@pytest.mark.parametrize(
    ("counts", "fragment"),
    [
        ([(5, 8)], "at least two arms"),
        ([(9, 8), (2, 10)], "arm 1: 9 responders cannot exceed the 8 patients"),
        ([(2.5, 8), (2, 10)], "arm 1: the number of responders must be a whole number"),
        ([(-1, 8), (2, 10)], "arm 1: the number of responders must be at least 0"),
        ([(1, 0), (2, 10)], "arm 1: the number of patients must be at least 1"),
        ([("5", 8), (2, 10)], "arm 1: the number of responders must be a number"),
        ([(5, 8, 1), (2, 10)], "give a pair (responders, n)"),
        ("5/8, 2/10", "a list of (responders, n) pairs, not str"),
        (pd.DataFrame({"x": [1], "n": [8]}), "columns 'responders' and 'n'"),
    ],
)
def test_pooled_response_refuses_bad_counts(counts, fragment):
    with pytest.raises(ValueError) as err:
        pooled_response(counts)
    assert fragment in str(err.value)


# --------------------------------------------------------------------------- the chapter's checkers


@pytest.mark.parametrize(("answer", "fragment"), [
    (62.5, "62.5 % is the point estimate, 5/8"),
    (0.625, "point estimate as a proportion"),
    (12, "wilson_interval(5, 8)"),
])
def test_firstline_wilson_checker_names_the_slip(answer, fragment):
    from nec.exercises import check

    feedback = check("firstline-wilson", answer)
    assert not feedback.correct and fragment in feedback.message, feedback.message


# --- Review 1 of the first-line chapter, findings 10, 11 and 18 -------------------------------

# The first-line rows whose patients were not all first line, as the review lists them from
# the sources (seed 001 tables and text; seed 000 for the adjuvant case): Ramirez (76 %
# pretreated), Kulke (45 %), Nakano (36 %), Ferrarotto (3 of 9 NEC in second line),
# Fjallskog (41.6 % streptozotocin), Lu (6.3 % second line), Munhoz and Okita (prior
# treatment permitted), and the adjuvant case report.
NOT_ALL_FIRST = {"ramirez2016", "kulke2006", "nakano2012", "ferrarotto2013", "fjallskog2001",
                 "lu2013", "munhoz2013", "okita2011", "sevillaresua2025_case"}


def test_not_all_first_line_flags_exactly_the_rows_the_sources_describe():
    from nec.evidence import not_all_first_line

    first = select(load_evidence(), line="first")
    flagged = set(first.index[not_all_first_line(first)])
    assert flagged == NOT_ALL_FIRST


def test_forest_plot_marks_not_first_line_arms_and_assumed_denominators():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ax = evidence_plots.forest_plot(select(load_evidence(), nec_only=True, line="first"),
                                    pooled=False)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    for author in ("Ferrarotto", "Nakano", "Munhoz", "Lu"):
        assert any(lab.startswith(author) and "‡" in lab for lab in labels), (author, labels)
    assert not any(lab.startswith("Morizane") and "‡" in lab for lab in labels)
    texts = [t.get_text() for t in ax.texts]
    # Benini: 40 % of 136 = 54.4 -> 54 responders, denominator not printed (assumed);
    # TOPIC-NEC EP: 54.5 % of the 77 with measurable disease = 42 responders, printed.
    assert "54/136*" in texts and "42/77" in texts
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any(t.startswith("‡") for t in legend) and any(t.startswith("*") for t in legend)
    plt.close(ax.figure)


def test_first_line_comparisons_label_safety_and_descriptive_rows():
    c = data.load("first_line_comparisons")
    assert len(c) == 13
    for key in ("topicnec_neutropenia_g34", "topicnec_febrile_neutropenia_g34",
                "topicnec_diarrhoea_any"):
        assert c.loc[key, "analysis"] == "safety"
    for key in ("nordicnec2_os", "nordicnec2_pfs", "nordicnec2_immediate_progression"):
        assert c.loc[key, "analysis"] == "descriptive"


def test_topic_nec_response_is_labelled_a_secondary_endpoint():
    # Review 2, finding 10: TOPIC-NEC's primary endpoint was overall survival
    # (clinical_facts.md 3.1, "Median OS (primary)"); its response rates, among patients
    # with measurable disease (77 EP, 80 IP), are a secondary endpoint.
    comparisons = data.load("first_line_comparisons")
    assert comparisons.loc["topicnec_os", "analysis"] == "primary"
    response = comparisons.loc["topicnec_response"]
    assert response["analysis"] == "secondary"
    assert (response["n_a"], response["n_b"]) == (77, 80)


def test_yamaguchi_adjustment_names_only_the_covariates_reported():
    # Review 2, finding 12: the abstract reports primary site and LDH, nothing more.
    note = data.load("first_line_comparisons").loc["yamaguchi_os_adjusted", "notes"]
    assert "among the covariates" not in note and "LDH" in note and "site" in note


def test_pooled_summary_names_arms_as_readers_know_them_never_by_internal_id():
    # Reader review (issue 15): the first-line chapter printed "Used (9): moertel1991 12/18 …".
    from nec.evidence import PLATINUM_ETOPOSIDE, load_evidence, select
    from nec.pooling import pooled_response

    pe = select(load_evidence(), family=PLATINUM_ETOPOSIDE, nec_only=True, line="first")
    text = pooled_response(pe).summary()
    assert "Moertel 1991 12/18" in text
    # two arms of one study are told apart by regimen
    assert "Sorbye 2013 (cisplatin-etoposide) 40/129" in text
    assert not any(study_id in text for study_id in pe.index)
