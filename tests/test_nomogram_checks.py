"""The nomogram chapter's checkers: each wrong answer gets the slip it most likely is, and a
two-part answer says which part is right. Expected values are worked by hand."""

import pytest

from nec.exercises import check


@pytest.mark.parametrize(
    "exercise, answer, correct, explains",
    [
        ("nomogram-hr-from-points", 3.38, True, "exp((61 − 25) / 29.528)"),  # e^(36/29.528)
        ("nomogram-hr-from-points", 1.22, False, "exponentiate"),       # 36/29.528
        ("nomogram-hr-from-points", 3.31, False, "Table 3's printed ratios"),  # 7.804/2.361
        ("nomogram-hr-from-points", 7.89, False, "the reference"),      # e^(61/29.528)
        ("nomogram-hr-from-points", 5.56, False, "do not subtract"),    # 7.892 - 2.332
        ("nomogram-hr-from-points", 0.30, False, "inverse"),            # 1 / 3.384
        ("nomogram-hr-from-points", "a lot", False, "as a number"),
        ("nomogram-size-hazard", 29.6, True, "1.457^9"),     # 1.457^9 = 29.58
        ("nomogram-size-hazard", 13.1, False, "multiply"),   # 1.457 x 9
        ("nomogram-size-hazard", 43.1, False, "9 cm, not 10"),  # 1.457^10 = 43.10
        ("nomogram-size-hazard", 28.6, False, "relative increase"),
        ("nomogram-size-hazard", 2.0, False, "multiplies the hazard"),
    ],
)
def test_single_number_checkers(exercise, answer, correct, explains):
    fb = check(exercise, answer)
    assert fb.correct is correct and explains in fb.message, fb.message


@pytest.mark.parametrize(
    "answer, correct, fragments",
    [
        # 8/40 - 2/40 x 0.25 = 0.1875; 18/40 - 22/40 x 0.25 = 0.3125.
        ({"model": 0.1875, "treat_all": 0.3125}, True, ["Model: right", "Treat all: right",
                                                         "beats the model"]),
        ({"model": 0.188, "treat_all": 0.1}, False, ["Model: right", "Treat all: not right"]),
        ({"model": 0.15, "treat_all": 0.3125}, False, ["odds of the threshold",
                                                       "Treat all: right"]),
        ({"model": 0.75, "treat_all": -0.1}, False, ["not by the 10 flagged",
                                                     "survivors by p/(1 − p)"]),
        ({"model": 0.19, "treat_all": 0}, False, ["not p = 0.2", "treating no one"]),
        ({"treat all": 0.3125, "Model": 0.1875}, True, ["Model: right"]),
        (0.1875, False, ["keys 'model' and 'treat_all'"]),
        ({"model": "x", "treat_all": 0.3125}, False, ["Model: not right", "Treat all: right"]),
    ],
)
def test_net_benefit_checker_says_which_part_is_right(answer, correct, fragments):
    fb = check("nomogram-net-benefit", answer)
    assert fb.correct is correct, fb.message
    for fragment in fragments:
        assert fragment in fb.message, fb.message


def test_the_chapter_has_at_least_four_exercises():
    from nec.exercises import EXERCISES

    assert len([e for e in EXERCISES.values() if e.chapter == "nomogram"]) >= 4


def test_the_gbsg2_checker_takes_the_corrected_c_of_the_stated_model():
    # The checker's reference is validate_c_index on the exercise's three covariates (R's
    # rms::validate is compared with it in tests/reference_r); here: the checker accepts
    # that corrected C, names the apparent C as the slip, and its parts add up.
    from nec.exercises.nomogram_checks import GBSG2_SPEC, gbsg2_validation

    v = gbsg2_validation()
    assert v.covariates == GBSG2_SPEC["covariates"] and v.resamples == 50
    assert v.n == 686 and v.corrected < v.apparent  # lifelines' GBSG2 has 686 patients
    fb = check("nomogram-gbsg2", round(v.corrected, 3))
    assert fb.correct and f"{v.corrected:.3f} = apparent" in fb.message, fb.message
    assert "686 patients" in fb.message
    assert abs(v.apparent - v.optimism - v.corrected) < 1e-12
    fb = check("nomogram-gbsg2", round(v.apparent, 3))
    assert not fb.correct and "apparent C" in fb.message, fb.message
    fb = check("nomogram-gbsg2", 0.5)
    assert not fb.correct and "covariates=['tsize', 'pnodes', 'horTh_yes']" in fb.message
    fb = check("nomogram-gbsg2", "high")
    assert not fb.correct and "as a number" in fb.message
