"""Input checks shared by the science modules.

Every check raises ``ValueError`` with a sentence a clinician can act on: what was
given, what is allowed, and why. Widgets show that sentence as it is, so it must read
well on its own.

What there is:

- :func:`number` and :func:`choice`: one value (a measurement, an option of a menu);
- :class:`Bound`: a quantity's plausible range stated once, with the reason, as a named constant
  in its science module (``KI67 = Bound("Ki-67", unit=" %", low=0, high=100, why=...)``); its
  :meth:`Bound.check` is :func:`number` (or :func:`count`) with those limits;
- :func:`count`: a whole number (patients, events, resamples, groups, a seed); 2.5 is refused;
- :func:`dataframe`: a pandas DataFrame with the named columns (not a path, an array, a list);
- :func:`events`, :func:`durations`, :func:`survival_data`: survival columns coded
  0 = censored / 1 = died, finite non-negative follow-up times, at least one death;
  :func:`survival_arrays`: the same rules for two parallel columns given without a frame;
- :func:`refuses_bad_arguments`: a decorator that turns a missing, misspelt or extra argument
  (Python's ``TypeError``) into a ``ValueError`` sentence naming the arguments taken;
  :func:`refuse_bad_arguments_in`: the same for every public function and method of a module,
  called as the module's last line;
- :data:`CONFIDENCE_LEVEL_RANGE`: the confidence levels every interval of the book accepts.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import PurePath

#: Confidence levels the book's intervals accept, as a fraction: below 0.5 an "interval" is
#: narrower than the estimate's own middle half, and 1 would be infinitely wide. Shared by
#: every interval (Ki-67, Wilson, pooled response, median survival).
CONFIDENCE_LEVEL_RANGE = (0.5, 1.0)


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
        raise ValueError(f"{name} is missing: enter a value"
                         f"{_range_text(low, high, unit, low_inclusive, high_inclusive)}.")
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        shown = _range_text(low, high, unit, low_inclusive, high_inclusive)
        of = " of" if shown.startswith((" at ", " greater ", " less ")) else ""
        raise ValueError(
            f"{name} must be a number{of}{shown}, not {value!r}. "
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
        # "The treatment" reads "Unknown treatment", not "Unknown the treatment".
        bare = name[4:] if name.startswith(("The ", "the ")) else name
        first = bare.split()[0]
        label = bare if first.isupper() else bare[0].lower() + bare[1:]
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


# ----------------------------------------------------------------------------------------------
# Plausibility bounds stated once per quantity, and the checks the survival code shares.
# ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bound:
    """The plausible range of one quantity, stated once, with the reason for it.

    A science module names each bound as a module constant (``KI67 = Bound(...)``) next to a
    comment or ``source`` saying where it comes from, and calls :meth:`check` wherever the
    quantity enters; the refusal then reads the same everywhere and the bound lives in one place.

    ``name`` starts the refusal ("Ki-67"), ``unit`` follows each number (" %", " cm"), ``why``
    is appended to an out-of-range refusal (a sentence a clinician understands, e.g. the likely
    slip: "Is it in mg/dL rather than µmol/L?"), ``source`` says where the bound comes from (for
    readers of the code and of :meth:`describe`; not printed in refusals). ``whole=True`` asks for
    a whole number (a count) and returns an ``int``.

    >>> KI67 = Bound("Ki-67", unit=" %", low=0, high=100,
    ...              why="Ki-67 is a percentage of tumour cells.",
    ...              source="WHO 2019, Nagtegaal 2020")
    >>> KI67.check(55)
    55.0
    >>> KI67.check(155)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: Ki-67 must be between 0 and 100 % (got 155 %). Ki-67 is a percentage of ...
    >>> Bound("The number of resamples", low=1, high=10_000, whole=True).check(2.5)
    Traceback (most recent call last):
    ...
    ValueError: The number of resamples must be a whole number between 1 and 10000, not 2.5.
    """

    name: str
    unit: str = ""
    low: float | None = None
    high: float | None = None
    low_inclusive: bool = True
    high_inclusive: bool = True
    why: str = ""
    source: str = ""
    whole: bool = False

    def check(self, value) -> float | int:
        """``value`` as a float (an int when ``whole``), or ``ValueError`` with the sentence."""
        if self.whole:
            return count(value, name=self.name, low=self.low, high=self.high, unit=self.unit,
                         why=self.why)
        return number(value, name=self.name, unit=self.unit, low=self.low, high=self.high,
                      low_inclusive=self.low_inclusive, high_inclusive=self.high_inclusive,
                      why=self.why)

    def __contains__(self, value) -> bool:
        try:
            self.check(value)
        except ValueError:
            return False
        return True

    def describe(self) -> str:
        """One line for documentation: the range, the reason and the source.

        >>> Bound("Tumour size", unit=" cm", low=0, high=40, low_inclusive=False,
        ...       why="Larger than any tumour reported.").describe()
        'Tumour size: above 0 cm up to 40 cm. Larger than any tumour reported.'
        """
        rng = _range_text(self.low, self.high, self.unit, self.low_inclusive,
                          self.high_inclusive).strip() or "any finite number"
        whole = "a whole number " if self.whole else ""
        parts = [f"{self.name}: {whole}{rng}."]
        if self.why:
            parts.append(self.why)
        if self.source:
            parts.append(f"({self.source})")
        return " ".join(parts)


def count(value, *, name: str, low: float | None = 0, high: float | None = None,
          unit: str = "", why: str = "") -> int:
    """Return ``value`` as an ``int``, refusing anything that is not a whole number in range.

    A count of patients, events, mitoses or resamples, a seed, a number of groups: 2.5 is
    refused (never rounded or truncated), so is ``True``; a whole float such as ``3.0`` (what
    a slider or a spreadsheet gives) is accepted as 3.

    >>> count(3.0, name="The number of groups", low=2)
    3
    >>> count(2.5, name="The number of groups", low=2)
    Traceback (most recent call last):
    ...
    ValueError: The number of groups must be a whole number of at least 2, not 2.5.
    """
    shown = _range_text(low, high, unit)
    of = " of" if shown.startswith(" at ") else ""
    what = f"{name} must be a whole number{of}{shown}"
    if value is None:
        raise ValueError(f"{name} is missing: enter a whole number{of}{shown}.")
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{what}, not {value!r}.")
    as_float = float(value)
    if math.isnan(as_float):
        raise ValueError(f"{name} is missing (not a number): enter a whole number{of}{shown}.")
    if math.isinf(as_float) or as_float != math.floor(as_float):
        raise ValueError(f"{what}, not {value:g}.")
    whole = int(as_float)
    if (low is not None and whole < low) or (high is not None and whole > high):
        suffix = f" {why}" if why else ""
        raise ValueError(f"{what} (got {whole}{unit}).{suffix}")
    return whole


def dataframe(value, *, name: str = "The data", columns=(), min_rows: int = 1):
    """Return ``value`` if it is a :class:`pandas.DataFrame` with ``columns`` and enough rows.

    Refused with a sentence: a file path (``str`` or ``Path``: load it first), a numpy array or a
    list (no column names), a frame missing a column (the columns it has are listed), a frame with
    fewer than ``min_rows`` rows.

    >>> dataframe("cohort.csv", name="The cohort")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: The cohort must be a pandas DataFrame (...), not a str ('cohort.csv'). To use ...
    """
    import pandas as pd

    if not isinstance(value, pd.DataFrame):
        kind = type(value).__name__
        head = f"{name} must be a pandas DataFrame (a table with named columns), not a"
        if isinstance(value, str | PurePath):
            raise ValueError(f"{head} {kind} ({str(value)!r}). To use a file, load it first, "
                             f"e.g. pandas.read_csv({str(value)!r}).")
        if type(value).__module__ == "numpy":
            raise ValueError(f"{head} numpy {kind}: a numpy array has no column names. Put it "
                             "in a DataFrame, e.g. pandas.DataFrame(array, columns=[...]).")
        if isinstance(value, pd.Series):
            raise ValueError(f"{head} single column (a Series). Use series.to_frame() or "
                             "select columns with frame[[...]].")
        raise ValueError(f"{head} {kind}.")
    wanted = [columns] if isinstance(columns, str) else list(columns)
    missing = [c for c in wanted if c not in value.columns]
    if missing:
        has = ", ".join(map(str, value.columns)) or "none"
        raise ValueError(f"{name} has no column(s) {', '.join(map(str, missing))} "
                         f"(its columns are: {has}).")
    if len(value) < min_rows:
        rows = "row" if min_rows == 1 else "rows"
        raise ValueError(f"{name} has {len(value)} row(s); at least {min_rows} {rows} needed.")
    return value


def _rows_named(values, positions) -> str:
    """'rows 3, 7 and 9' (index labels of a Series, else 0-based positions), at most five."""
    import pandas as pd

    if isinstance(values, pd.Series):
        labels = [str(values.index[i]) for i in positions]
    else:
        labels = [str(i) for i in positions]
    shown = labels[:5] + (["…"] if len(labels) > 5 else [])
    word = "row" if len(labels) == 1 else "rows"
    if len(shown) == 1:
        return f"{word} {shown[0]}"
    return f"{word} {', '.join(shown[:-1])} and {shown[-1]}"


def _as_numbers(values, name: str):
    import numpy as np
    import pandas as pd

    if isinstance(values, str | bytes) or not hasattr(values, "__len__"):
        raise ValueError(f"{name} must be a column of numbers (one per patient), not {values!r}.")
    series = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype=object)
    if series.dtype == bool:
        series = series.astype(int)
    numeric = pd.to_numeric(series, errors="coerce")
    given = series.notna().to_numpy()
    bad = np.flatnonzero(given & numeric.isna().to_numpy())
    if len(bad):
        first = series.iloc[bad[0]]
        raise ValueError(f"{name} must be numbers; {_rows_named(values, bad)} "
                         f"{'is' if len(bad) == 1 else 'are'} not (e.g. {first!r}).")
    return numeric.to_numpy(dtype=float)


def events(values, *, name: str = "The event column"):
    """Return event indicators as an int array of 0 and 1, or refuse them with a sentence.

    Survival data code each patient 0 = censored (alive at last follow-up) and 1 = died (the
    event). Codes 1/2 (R's ``survival`` also accepts them), 0.5, a missing value, or text are
    refused, never recoded: the book does not guess what a code means.

    >>> events([0, 1, 1]).tolist()
    [0, 1, 1]
    >>> events([1, 2, 2, 1])
    Traceback (most recent call last):
    ...
    ValueError: The event column must be coded 0 = censored, 1 = died; got 1 and 2.
    """
    import numpy as np

    x = _as_numbers(values, name)
    missing = np.flatnonzero(np.isnan(x))
    if len(missing):
        raise ValueError(f"{name} is missing for {_rows_named(values, missing)}: code every "
                         "patient 0 = censored or 1 = died.")
    codes = sorted(set(x.tolist()))
    if not set(codes) <= {0.0, 1.0}:
        shown = [f"{c:g}" for c in codes]
        listed = shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]
        raise ValueError(f"{name} must be coded 0 = censored, 1 = died; got {listed}.")
    return x.astype(int)


def durations(values, *, name: str = "The follow-up time", unit: str = " months",
              allow_zero: bool = True):
    """Return follow-up times as a float array: finite, non-negative (or positive), all present.

    >>> durations([3.5, 12, 0]).tolist()
    [3.5, 12.0, 0.0]
    >>> durations([3.5, -2, 7])
    Traceback (most recent call last):
    ...
    ValueError: The follow-up time cannot be negative: row 1 is -2 months.
    """
    import numpy as np

    x = _as_numbers(values, name)
    missing = np.flatnonzero(np.isnan(x))
    if len(missing):
        raise ValueError(f"{name} is missing for {_rows_named(values, missing)}: every patient "
                         "needs a follow-up time.")
    infinite = np.flatnonzero(np.isinf(x))
    if len(infinite):
        raise ValueError(f"{name} must be a finite number of{unit}; "
                         f"{_rows_named(values, infinite)} {'is' if len(infinite) == 1 else 'are'}"
                         " infinite.")
    negative = np.flatnonzero(x < 0) if allow_zero else np.flatnonzero(x <= 0)
    if len(negative):
        first = x[negative[0]]
        verb = "cannot be negative" if allow_zero else "must be greater than 0"
        shown = ("is" if len(negative) == 1 else "are") + f" {first:g}{unit}"
        if len(negative) > 1:
            shown = f"are negative (e.g. {first:g}{unit})" if allow_zero else \
                f"are not (e.g. {first:g}{unit})"
        raise ValueError(f"{name} {verb}: {_rows_named(values, negative)} {shown}.")
    return x


def survival_data(frame, *, duration_col: str, event_col: str, name: str = "The data",
                  min_rows: int = 2, unit: str = " months"):
    """Check a survival data set in one call: a DataFrame with both columns, durations finite and
    non-negative, events coded 0/1, at least one death. Returns ``(durations, events)`` arrays.

    >>> import pandas as pd
    >>> survival_data(pd.DataFrame({"t": [5, 8], "e": [0, 0]}), duration_col="t",
    ...               event_col="e")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: The data has no deaths (every patient censored): a survival model needs at ...
    """
    dataframe(frame, name=name, columns=[duration_col, event_col], min_rows=min_rows)
    t = durations(frame[duration_col], name=f"The follow-up time ({duration_col})", unit=unit)
    e = events(frame[event_col], name=f"The event column ({event_col})")
    if e.sum() == 0:
        raise ValueError(f"{name} has no deaths (every patient censored): a survival model "
                         "needs at least one event.")
    return t, e


def survival_arrays(times, codes, *, unit: str = " months", min_patients: int = 1,
                    time_name: str = "The follow-up time", event_name: str = "The event column"):
    """Check two parallel columns (follow-up times and 0/1 event codes, not a DataFrame) and
    return them as ``(float array, int array)``, or refuse them with a sentence.

    The rules are those of :func:`durations` and :func:`events` (finite, non-negative times;
    events coded 0 = censored, 1 = died), plus one value of each per patient and at least
    ``min_patients`` patients. Clean numpy arrays (what the book's own bootstrap loops pass,
    thousands of times) are checked with a few array operations; anything else goes through
    the row-naming checks.

    >>> survival_arrays([2, 5], [1, 0])[1].tolist()
    [1, 0]
    >>> survival_arrays([2, 5, 7], [1, 0])
    Traceback (most recent call last):
    ...
    ValueError: There are 3 follow-up times but 2 event codes: give one of each per patient.
    """
    import numpy as np

    if (isinstance(times, np.ndarray) and isinstance(codes, np.ndarray) and times.ndim == 1
            and codes.shape == times.shape and times.size >= max(min_patients, 1)
            and times.dtype.kind in "fiu" and codes.dtype.kind in "fiub"):
        t = times.astype(float, copy=False)
        if np.isfinite(t).all() and (t >= 0).all() and ((codes == 0) | (codes == 1)).all():
            return t, codes.astype(int)
    for values, name in ((times, time_name), (codes, event_name)):
        if getattr(values, "ndim", 1) > 1:
            raise ValueError(f"{name} must be one column (one value per patient), not a table "
                             f"of shape {values.shape}.")
    t = durations(times, name=time_name, unit=unit)
    e = events(codes, name=event_name)
    if len(t) != len(e):
        raise ValueError(f"There are {len(t)} follow-up times but {len(e)} event codes: give "
                         "one of each per patient.")
    if len(t) < min_patients:
        raise ValueError(f"There are {len(t)} patients: at least {min_patients} needed "
                         "(one follow-up time and one event code each).")
    return t, e


def refuses_bad_arguments(func=None, *, label: str | None = None):
    """Decorator: a missing, misspelt or extra argument gets a ``ValueError`` sentence instead of
    Python's ``TypeError`` (which an explorer or a notebook reader cannot act on).

    ``label`` names the callable in the sentence (default ``name()``); a class's ``__init__``
    is wrapped with ``label="ClassName()"``, so the sentence names what the reader typed.

    >>> @refuses_bad_arguments
    ... def points(*, size_cm, resection, treatment):
    ...     return 0
    >>> points(size_cm=4, resection="yes", age=60)
    Traceback (most recent call last):
    ...
    ValueError: points() does not take age: it takes size_cm, resection and treatment.
    >>> points(size_cm=4, resection="yes")
    Traceback (most recent call last):
    ...
    ValueError: points() needs treatment (it takes size_cm, resection and treatment).
    """
    import functools
    import inspect

    if func is None:  # used as @refuses_bad_arguments(label=...)
        return functools.partial(refuses_bad_arguments, label=label)
    signature = inspect.signature(func)
    params = [p for p in signature.parameters.values()
              if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD) and p.name != "self"]
    names = [p.name for p in params]
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1] \
        if names else "no arguments"
    label = label or f"{func.__name__}()"

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        # The call itself first (no cost on the way in: hot loops call these); only when
        # Python refuses the arguments is the signature consulted for the sentence. A
        # TypeError from inside the function, with arguments that bind, is raised as it is.
        try:
            return func(*args, **kwargs)
        except TypeError:
            try:
                signature.bind(*args, **kwargs)
            except TypeError:
                pass
            else:
                raise
        # Here Python refused the arguments: say which, and what the function takes.
        accepts_kwargs = any(p.kind == p.VAR_KEYWORD for p in signature.parameters.values())
        unknown = [k for k in kwargs if k not in signature.parameters] \
            if not accepts_kwargs else []
        if unknown:
            raise ValueError(f"{label} does not take {', '.join(unknown)}: it takes {listed}.")
        positional = [p.name for p in signature.parameters.values()
                      if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
        takes_varargs = any(p.kind == p.VAR_POSITIONAL for p in signature.parameters.values())
        if len(args) > len(positional) and not takes_varargs:
            unnamed = [n for n in positional if n != "self"]
            given = len(args) - ("self" in positional)
            if not unnamed:
                raise ValueError(f"{label} takes its values by name ({listed}), e.g. "
                                 f"{names[0] if names else 'value'}=...; got {given} without "
                                 "a name.")
            raise ValueError(f"{label} takes at most {len(unnamed)} value"
                             f"{'s' if len(unnamed) > 1 else ''} without a name "
                             f"({', '.join(unnamed)}); got {given}. Give the others by name "
                             f"(it takes {listed}).")
        bound_names = set(kwargs) | set(positional[:len(args)])
        missing = [p.name for p in params
                   if p.default is p.empty and p.name not in bound_names]
        raise ValueError(f"{label} needs {', '.join(missing) or 'other arguments'} (it takes "
                         f"{listed}).")

    wrapper._refuses_bad_arguments = True
    return wrapper


def refuse_bad_arguments_in(namespace: dict) -> None:
    """Apply :func:`refuses_bad_arguments` to every public function of a module and every
    public method of its public classes, in place: call it as the module's last line,
    ``_validate.refuse_bad_arguments_in(globals())``.

    One line per module rather than a decorator per function, so that no public function is
    forgotten (issue 14: a misspelt keyword, a value without a name or a missing argument is
    a sentence, never Python's ``TypeError``). What a module imports from elsewhere is left
    to its own module; private names (``_x``), properties and dunder methods are left alone.

    >>> def dose(*, auc, gfr_ml_min):
    ...     return auc * (gfr_ml_min + 25)
    >>> namespace = {"__name__": dose.__module__, "dose": dose}
    >>> refuse_bad_arguments_in(namespace)
    >>> namespace["dose"](auc=5, gfr=90)
    Traceback (most recent call last):
    ...
    ValueError: dose() does not take gfr: it takes auc and gfr_ml_min.
    """
    import inspect

    module = namespace["__name__"]

    def wrapped(function):
        if getattr(function, "_refuses_bad_arguments", False):
            return function
        return refuses_bad_arguments(function)

    for name, value in list(namespace.items()):
        if name.startswith("_") or getattr(value, "__module__", None) != module:
            continue
        if inspect.isfunction(value):
            namespace[name] = wrapped(value)
        elif hasattr(value, "cache_info") and inspect.isfunction(inspect.unwrap(value)):
            # a functools.lru_cache'd function: wrapped outside its cache, which stays usable
            checked = wrapped(value)
            checked.cache_info, checked.cache_clear = value.cache_info, value.cache_clear
            namespace[name] = checked
        elif inspect.isclass(value):
            for attr, member in list(vars(value).items()):
                if attr.startswith("_"):
                    continue
                if isinstance(member, classmethod):
                    setattr(value, attr, classmethod(wrapped(member.__func__)))
                elif isinstance(member, staticmethod):
                    setattr(value, attr, staticmethod(wrapped(member.__func__)))
                elif inspect.isfunction(member):
                    setattr(value, attr, wrapped(member))
