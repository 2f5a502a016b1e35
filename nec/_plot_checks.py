"""Input checks for :mod:`nec.plotting`: each refusal is a ``ValueError`` with a sentence.

Kept apart from the drawing code so that the figures' functions only gain a few check lines at
their top. A figure function is given matplotlib objects (a figure, an axes), words (labels,
titles), switches (``True``/``False``) and survival columns; each is checked here before
anything is drawn, so a slip reads as a sentence instead of a matplotlib, numpy or lifelines
traceback — or, worse, a figure with the mark drawn off the axes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from nec import _validate


def figure(fig, *, func: str):
    """``fig`` if it is a matplotlib ``Figure``; an ``Axes`` is refused naming ``ax.figure``."""
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure, SubFigure

    if isinstance(fig, Figure | SubFigure):
        return fig
    if isinstance(fig, Axes):
        raise ValueError(f"{func}() takes a whole figure, not one axes: pass ax.figure.")
    raise ValueError(f"{func}() takes a matplotlib figure (e.g. fig from fig, ax = "
                     f"plt.subplots()), not {_shown(fig)}.")


def axes(ax, *, func: str, optional: bool = True):
    """``ax`` if it is a matplotlib ``Axes`` (or ``None`` when ``optional``)."""
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    if ax is None and optional:
        return None
    if isinstance(ax, Axes):
        return ax
    if isinstance(ax, Figure):
        raise ValueError(f"{func}() draws on one axes, not a whole figure: pass ax (from "
                         "fig, ax = plt.subplots()) or fig.axes[0].")
    if hasattr(ax, "shape") and hasattr(ax, "flat"):
        raise ValueError(f"{func}() draws on one axes, not an array of them: pick one, "
                         "e.g. axes[0] or axes[0, 1].")
    raise ValueError(f"{func}() draws on a matplotlib axes (ax from fig, ax = plt.subplots())"
                     f"{' or None for a new figure' if optional else ''}, not {_shown(ax)}.")


def switch(value, *, name: str) -> bool:
    """``value`` if it is ``True`` or ``False`` (a string such as 'no' would count as true)."""
    if isinstance(value, bool):
        return value
    if type(value).__name__ == "bool_":  # numpy's bool
        return bool(value)
    raise ValueError(f"{name} must be True or False, not {value!r}.")


def words(value, *, name: str, optional: bool = False, allow_empty: bool = True):
    """``value`` if it is text (``None`` too when ``optional``; empty text unless refused)."""
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise ValueError(f"{name} must be text, not {value!r}.")
    if not allow_empty and not value.strip():
        raise ValueError(f"{name} is empty: give the text to show.")
    return value


def finite_numbers(values, *, name: str, min_size: int = 1):
    """``values`` as a float array of finite numbers (at least ``min_size``)."""
    import numpy as np

    x = _validate._as_numbers(values, name)
    bad = np.flatnonzero(~np.isfinite(x))
    if len(bad):
        raise ValueError(f"{name} must be finite numbers; {_validate._rows_named(values, bad)} "
                         f"{'is' if len(bad) == 1 else 'are'} missing or infinite.")
    if x.size < min_size:
        raise ValueError(f"{name} has {x.size} value(s); at least {min_size} needed.")
    return x


def survival_groups(groups, *, func: str) -> dict:
    """``{label: (months, died)}`` with each group's columns checked as survival data."""
    if not isinstance(groups, Mapping):
        hint = (" (load it and split it into groups first)" if isinstance(groups, str)
                or hasattr(groups, "columns") else "")
        raise ValueError(f"{func}() takes the groups as a dictionary {{label: (months, died)}},"
                         f" not {_shown(groups)}{hint}.")
    if not groups:
        raise ValueError("Give at least one group: {label: (months, died)}.")
    checked = {}
    for label, pair in groups.items():
        if isinstance(pair, str | bytes) or not isinstance(pair, Sequence) or len(pair) != 2:
            raise ValueError(f"The group {label!r} must be a pair (months, died): the follow-up "
                             "times and the 0/1 death indicators, not "
                             f"{_shown(pair)}.")
        months, died = pair
        t = _validate.durations(months, name=f"The follow-up time of group {label!r}")
        e = _validate.events(died, name=f"The death indicator of group {label!r}")
        if len(t) != len(e):
            raise ValueError(f"The group {label!r} has {len(t)} follow-up times but {len(e)} "
                             "death indicators: give one of each per patient.")
        if len(t) == 0:
            raise ValueError(f"The group {label!r} has no patients.")
        checked[label] = (t, e)
    return checked


def pairs(values, *, name: str, example: str) -> list[tuple]:
    """A list of 2-item pairs (not a string, not a dictionary)."""
    if isinstance(values, str | bytes | Mapping) or not isinstance(values, Sequence | tuple):
        raise ValueError(f"{name} must be a list of pairs {example}, not {_shown(values)}.")
    out = []
    for item in values:
        if isinstance(item, str | bytes) or not isinstance(item, Sequence) or len(item) != 2:
            raise ValueError(f"{name} must be a list of pairs {example}; {item!r} is not a "
                             "pair.")
        out.append(tuple(item))
    return out


def _shown(value) -> str:
    """'text ('x')', 'an int (5)', 'a DataFrame' (a frame's or array's contents are not shown)."""
    if isinstance(value, str):
        return f"text ({value[:57]!r})"
    kind = type(value).__name__
    article = "an" if kind[:1].lower() in "aeiou" else "a"
    if hasattr(value, "columns") or hasattr(value, "shape"):
        return f"{article} {kind}"
    text = " ".join(repr(value).split())
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{article} {kind} ({text})"
