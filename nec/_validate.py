"""Input checks shared by the science modules.

Every check raises ``ValueError`` with a sentence a clinician can act on: what was
given, what is allowed, and why. Widgets show that sentence as it is, so it must read
well on its own.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping


def number(
    value,
    *,
    name: str,
    unit: str = "",
    low: float | None = None,
    high: float | None = None,
    low_inclusive: bool = True,
    high_inclusive: bool = True,
    why: str = "",
) -> float:
    """Return ``value`` as a float, or raise ``ValueError`` explaining what is wrong.

    ``name`` starts the message (e.g. ``"Ki-67"``), ``unit`` follows each number
    (e.g. ``" %"``) and ``why`` is appended when the value is out of range.

    >>> number(55, name="Ki-67", unit=" %", low=0, high=100)
    55.0
    """
    suffix = f" {why}" if why else ""
    if value is None:
        raise ValueError(f"{name} is missing: enter a value{_range_text(low, high, unit)}.")
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(
            f"{name} must be a number{_range_text(low, high, unit)}, not {value!r}. "
            "Enter the number alone, without a unit or a % sign."
        )
    value = float(value)
    if math.isnan(value):
        raise ValueError(f"{name} is missing (not a number): enter a value.")
    if math.isinf(value):
        raise ValueError(f"{name} must be a finite number (got {value}).")
    too_low = low is not None and (value < low if low_inclusive else value <= low)
    too_high = high is not None and (value > high if high_inclusive else value >= high)
    if too_low or too_high:
        raise ValueError(
            f"{name} must be{_range_text(low, high, unit, low_inclusive, high_inclusive)} "
            f"(got {value:g}{unit}).{suffix}"
        )
    return value


def choice(value, *, name: str, options: Mapping[str, str]) -> str:
    """Return the canonical option for ``value`` (matched case- and spacing-blind).

    ``options`` maps every accepted spelling, already normalised with :func:`normalise`,
    to its canonical name.

    >>> choice("Poorly differentiated", name="Differentiation",
    ...        options={"poorly": "poorly", "poorly differentiated": "poorly"})
    'poorly'
    """
    canonical = sorted(set(options.values()), key=list(options.values()).index)
    listed = ", ".join(f"'{c}'" for c in canonical)
    if value is None:
        raise ValueError(f"{name} is missing: choose one of {listed}.")
    if not isinstance(value, str | int):
        raise ValueError(f"{name} must be one of {listed}, not {value!r}.")
    key = normalise(str(value))
    if key not in options:
        # "Unknown WHO edition", "Unknown BSA method", "Unknown sex": keep acronyms.
        first = name.split()[0]
        label = name if first.isupper() else name[0].lower() + name[1:]
        raise ValueError(f"Unknown {label} {value!r}: choose one of {listed}.")
    return options[key]


def normalise(text: str) -> str:
    """Lower-case ``text`` and fold hyphens, underscores and runs of spaces to one space."""
    return " ".join(text.lower().replace("-", " ").replace("_", " ").split())


def _range_text(low, high, unit, low_inclusive=True, high_inclusive=True) -> str:
    if low is not None and high is not None:
        if low_inclusive and high_inclusive:
            return f" between {low:g} and {high:g}{unit}"
        left = "from" if low_inclusive else "above"
        right = "up to" if high_inclusive else "below"
        return f" {left} {low:g}{unit} {right} {high:g}{unit}"
    if low is not None:
        return f" {'at least' if low_inclusive else 'greater than'} {low:g}{unit}"
    if high is not None:
        return f" {'at most' if high_inclusive else 'less than'} {high:g}{unit}"
    return ""
