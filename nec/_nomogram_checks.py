"""Checks shared by the two nomograms: the published one read back (:mod:`nec.published`)
and the one built from a Cox fit (:mod:`nec.nomogram`).

Both answer the same three questions — points for a patient, survival for a total, the
total for a survival — and refuse the same mistakes with the same sentences.
"""

from __future__ import annotations

from nec import _validate

# Floating-point slack when a total is compared with the ends of an axis.
SLACK = 1e-9


def keyword_values(given: dict, names: list[str], *, what: str = "The nomogram") -> dict:
    """``given`` checked against the predictor ``names``: none unknown, none missing.

    ``what`` starts the sentence ("The model has no predictor 'age'; ...").
    """
    unknown = [k for k in given if k not in names]
    listed = ", ".join(repr(n) for n in names)
    if unknown:
        raise ValueError(
            f"{what} has no predictor {', '.join(map(repr, unknown))}; its predictors are "
            f"{listed}.")
    missing = [n for n in names if n not in given]
    if missing:
        raise ValueError(
            f"Missing value(s) for {', '.join(map(repr, missing))}: {what} needs every "
            f"predictor ({listed}).")
    return given


def total_points(total, *, max_total: float, extrapolate: bool = False) -> float:
    """A total of points checked against the total-points axis 0–``max_total``.

    With ``extrapolate=True`` any finite number is accepted (the caller asked to read the
    model beyond its printed axis).
    """
    t = _validate.number(total, name="Total points")
    if extrapolate:
        return t
    if not -SLACK <= t <= max_total + SLACK:
        raise ValueError(
            f"Total points must be between 0 and {max_total:.1f} on this nomogram (got "
            f"{t:g}): no patient scores more, and reading the survival axes beyond their "
            "printed end is an extrapolation (pass extrapolate=True to ask for it).")
    return min(max(t, 0.0), max_total)


def survival_probability(survival) -> float:
    return _validate.number(survival, name="Survival probability", low=0, high=1,
                            low_inclusive=False, high_inclusive=False)


def reached(total: float | None, *, max_total: float) -> bool:
    """Whether a total lies on the total-points axis."""
    return total is not None and -SLACK <= total <= max_total + SLACK


def unreachable(s: float, when: str, *, max_total: float, best: float,
                worst: float) -> ValueError:
    """The refusal for a survival no total on the axis gives."""
    return ValueError(
        f"Survival {s:g} at {when} is not on this nomogram: its total points run from 0 to "
        f"{max_total:.1f}, where survival at {when} runs from {best:.3f} down to "
        f"{worst:.3f} (pass extrapolate=True to read the model beyond its axes).")


def flag(extrapolate) -> bool:
    if not isinstance(extrapolate, bool):
        raise ValueError(f"extrapolate must be True or False, not {extrapolate!r}.")
    return extrapolate
