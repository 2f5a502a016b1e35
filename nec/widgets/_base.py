"""Shared plumbing of the explorers: display, the typed box with its slider, the error box."""

from __future__ import annotations

import html

import ipywidgets as W

_STYLE = {"description_width": "13em"}
_WIDE = W.Layout(width="34em")


class _Explorer:
    """Shared display plumbing: an explorer shows as its ``widget``.

    Every explorer class takes its starting values by name, and refuses a misspelt or unknown
    one, or a value without a name, with a ``ValueError`` naming what it takes (not Python's
    ``TypeError``); ``set`` given a value without a name does the same. (The factories,
    ``grading_explorer()`` and the others, show those sentences on screen instead.)
    """

    widget: W.Widget
    _quiet: bool = False

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        import inspect

        from nec import _validate

        init = cls.__dict__.get("__init__")
        if init is not None and not getattr(init, "_refuses_bad_arguments", False):
            cls.__init__ = _validate.refuses_bad_arguments(init, label=f"{cls.__name__}()")
        setter = cls.__dict__.get("set")
        if setter is not None and not getattr(setter, "_refuses_bad_arguments", False):
            cls.set = _set_by_name_only(setter, cls.__name__)
        for name, member in list(vars(cls).items()):  # update(), convert(), ...
            if (not name.startswith("_") and name != "set" and inspect.isfunction(member)
                    and not getattr(member, "_refuses_bad_arguments", False)):
                setattr(cls, name, _validate.refuses_bad_arguments(
                    member, label=f"{cls.__name__}.{name}()"))

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)

    def _set_controls(self, values: dict, controls: dict, what: str) -> None:
        """Set each named control as a participant would, then recompute once.

        ``controls`` maps each control's attribute name to its label. An unknown name is a
        programming slip and raises ``ValueError``; a value the control cannot hold is shown
        as its sentence on screen (``self._show_error``) instead of a result.
        """
        for name in values:
            if name not in controls:
                raise ValueError(f"The {what} has no control called {name!r}; its controls "
                                 f"are: {', '.join(controls)}.")
        quiet, self._quiet = self._quiet, True  # one recomputation at the end, not per control
        try:
            for name, value in values.items():
                _assign(getattr(self, name), value, controls[name])
        except ValueError as err:
            self._show_error(str(err))
            return
        finally:
            self._quiet = quiet
        self.update()


def _set_by_name_only(setter, owner: str):
    """``setter`` (an explorer's ``set(**values)``) refusing a value given without a name."""
    import functools

    @functools.wraps(setter)
    def wrapper(self, *args, **values):
        if args:
            first = _starting_names(type(self))[0]
            raise ValueError(f"{owner}.set() takes each control by name, e.g. "
                             f"set({first}=...); got {len(args)} "
                             f"value{'s' if len(args) > 1 else ''} without a name.")
        return setter(self, **values)

    wrapper._refuses_bad_arguments = True
    return wrapper


def _starting_names(cls) -> list[str]:
    """The starting values an explorer class takes (its ``__init__``'s keyword-only names)."""
    import inspect

    return [n for n, p in inspect.signature(cls.__init__).parameters.items()
            if n != "self" and p.kind is p.KEYWORD_ONLY]


def _number_with_slider(description, value, low, high, step):
    """A typed box (accepts anything, so bad values reach the checks) and a slider that
    follows it while the value is in range.

    The slider sits under the box's label and shows none of its own; its tooltip carries
    the label, so that the slider has a name for screen readers too (the book's
    ``widgets-offline.js`` hands it to the slider's handle).
    """
    text = W.FloatText(value=value, description=description, style=_STYLE, layout=_WIDE)
    slider = W.FloatSlider(value=min(max(value, low), high), min=low, max=high, step=step,
                           readout=False, tooltip=description,
                           layout=W.Layout(width="34em", margin="0 0 0 13.5em"))
    state = {"syncing": False}

    def from_slider(change):
        if not state["syncing"]:
            state["syncing"] = True
            text.value = change["new"]
            state["syncing"] = False

    def from_text(change):
        if not state["syncing"] and low <= change["new"] <= high:
            state["syncing"] = True
            slider.value = change["new"]
            state["syncing"] = False

    slider.observe(from_slider, "value")
    text.observe(from_text, "value")
    return text, slider


def _error_html(message: str) -> str:
    return (
        '<div role="alert" style="border-left:4px solid #D55E00;padding:0.4em 0.8em;'
        'background:#fff4ec"><b>Check the input.</b> ' + html.escape(message) + "</div>"
    )




def _assign(control, value, label: str) -> None:
    """Put ``value`` into ``control`` as a participant's typing or choosing would.

    A value the control cannot hold (an option a dropdown does not offer, text in a number
    box) raises ``ValueError`` with a sentence naming the control and what it accepts,
    never a ``traitlets.TraitError``: an explorer's ``set`` catches the ``ValueError`` and
    shows the sentence where the result would be.

    >>> import ipywidgets as W
    >>> _assign(W.Dropdown(options=[("WHO 2019", "2019")], value="2019"), "2031", "WHO edition")
    Traceback (most recent call last):
    ...
    ValueError: WHO edition must be one of '2019', not '2031'.
    """
    from traitlets import TraitError

    options = getattr(control, "options", None)

    def refuse():
        if options is not None:
            values = [o[1] if isinstance(o, tuple) else o for o in options]
            listed = ", ".join(repr(v) for v in values)
            return ValueError(f"{label} must be one of {listed}, not {value!r}.")
        return ValueError(
            f"{label} must be a number, not {value!r}. Enter the number alone, without a unit.")

    # True is 1 to a number box and to a dropdown of numbers (ECOG 1): a yes/no is no number.
    if isinstance(value, bool) and not isinstance(control, W.Checkbox):
        raise refuse()
    try:
        control.value = value
    except (TraitError, TypeError):  # ipywidgets words a tuple not offered as a TypeError
        raise refuse() from None


def _make_explorer(cls, name: str, args: tuple, values: dict):
    """``cls(**values)`` for the explorer factory ``name``, never raising for the reader's slip.

    Bad starting values are the explorer's own business (it shows their sentence). A value
    given without a name, or a name that is no starting value, would be a ``TypeError`` out of
    the constructor; here the explorer is made from the good names and shows the sentence on
    screen instead, like any other bad input.
    """
    accepted = _starting_names(cls)
    listed = ", ".join(accepted)
    unknown = [k for k in values if k not in accepted]
    problem = None
    if args:
        problem = (f"{name}() takes its starting values by name ({listed}), e.g. "
                   f"{name}({accepted[0]}=...); got {len(args)} without a name.")
    elif unknown:
        problem = (f"{name}() has no starting value called {unknown[0]!r}; it takes "
                   f"{listed}.")
    explorer = cls(**{k: v for k, v in values.items() if k in accepted})
    if problem:
        explorer._show_error(problem)
    return explorer

