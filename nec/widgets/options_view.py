"""The second-line options explorer: a thin view over :func:`nec.second_line.options`."""

from __future__ import annotations

import html

import ipywidgets as W

from nec.widgets._base import (
    _STYLE,
    _WIDE,
    _error_html,
    _Explorer,
    _number_with_slider,
)

#: What each control is called on screen (and in the sentence a bad value gets).
LABELS = {
    "platinum_free_months": "Months from the end of the last platinum course to progression",
    "ki67": "Ki-67 (%)",
    "morphology": "Morphology",
    "sstr_imaging": "SSTR imaging",
    "performance_status": "ECOG PS",
    "msi": "MSI status",
    "tmb": "TMB",
    "liver_function": "Liver function",
}


class OptionsExplorer(_Explorer):
    """Patient features in; every second-line option whose evidence matches, with its rows.

    A thin view over :func:`nec.second_line.options`. It lists options alphabetically,
    never ranks them, shows each study row's population and evidence tag, and lists apart
    the options whose studies do not state whether they took such a patient, and those
    left out, with the reason. A bad value shows the module's sentence; nothing is raised.

    >>> ex = OptionsExplorer()
    >>> ex.set(ki67="high")
    >>> ex.error
    "Ki-67 (%) must be a number, not 'high'. Enter the number alone, without a unit."
    """

    def __init__(self, *, platinum_free_months=2.0, ki67=80.0, morphology="nec",
                 sstr_imaging="negative", performance_status=1, msi="unknown", tmb="unknown",
                 liver_function="unknown"):
        from nec.grading import KI67_MAX_PCT
        from nec.second_line import PLATINUM_FREE_MONTHS_MAX, option_table, read_records

        self._evidence, self._table = read_records("evidence"), option_table()
        self._clocks = {r["study_id"]: r["os_counted_from"]
                        for r in read_records("second_line_os_clock")}
        # The slider spans the box's whole accepted range, so the two never disagree.
        self.platinum_free_months, self.months_slider = _number_with_slider(
            "Platinum-free months", 0.0, 0, PLATINUM_FREE_MONTHS_MAX, 0.5)
        self.platinum_free_months.tooltip = LABELS["platinum_free_months"]
        self.ki67, self.ki67_slider = _number_with_slider("Ki-67 (%)", 80.0, 0, KI67_MAX_PCT, 1)
        self.morphology = W.Dropdown(options=[("poorly differentiated NEC", "nec"),
                                              ("well-differentiated NET G3", "net_g3")],
                                     value="nec", description="Morphology", style=_STYLE,
                                     layout=_WIDE)
        self.sstr_imaging = W.Dropdown(options=["positive", "negative", "unknown"],
                                       value="negative", description="SSTR imaging",
                                       style=_STYLE, layout=_WIDE)
        self.performance_status = W.Dropdown(options=[0, 1, 2, 3, 4], value=1,
                                             description="ECOG PS", style=_STYLE, layout=_WIDE)
        self.msi = W.Dropdown(options=[("MSI-high / dMMR", "msi_h"), ("MSS / pMMR", "mss"),
                                       ("unknown", "unknown")], value="unknown",
                              description="MSI status", style=_STYLE, layout=_WIDE)
        self.tmb = W.Dropdown(options=["high", "low", "unknown"], value="unknown",
                              description="TMB", style=_STYLE, layout=_WIDE)
        self.liver_function = W.Dropdown(options=["normal", "impaired", "unknown"],
                                         value="unknown", description="Liver function",
                                         style=_STYLE, layout=_WIDE)
        self.output = W.HTML()
        # The study rows never change while the explorer lives, and rendering a row's texts
        # re-checks it against the data dictionary (most of an update's time): each option's
        # table and the evidence counts are kept by what they are made of (_remembered).
        self._memo: dict = {}
        self.answer = None
        self.error: str | None = None
        self.widget = W.VBox([
            W.HTML("<b>Second-line options explorer — lists evidence, never ranks or "
                   "recommends</b>"),
            W.HTML("<small>Platinum-free months: from the end of the last platinum course "
                   "to progression (not from diagnosis or surgery).</small>"),
            self.platinum_free_months, self.months_slider, self.ki67, self.ki67_slider,
            self.morphology, self.sstr_imaging, self.performance_status, self.msi, self.tmb,
            self.liver_function, self.output,
        ])
        self._quiet = True
        self.set(platinum_free_months=platinum_free_months, ki67=ki67, morphology=morphology,
                 sstr_imaging=sstr_imaging, performance_status=performance_status, msi=msi,
                 tmb=tmb, liver_function=liver_function)
        self._quiet = False
        for name in LABELS:
            getattr(self, name).observe(self._on_change, "value")

    def _on_change(self, _change) -> None:
        if not self._quiet:
            self.update()

    def set(self, **values) -> None:
        """Set controls by name (those of ``__init__``) as a participant would, then
        recompute. A value a control cannot hold is shown as a sentence, not raised."""
        self._set_controls(values, LABELS, "options explorer")

    def update(self) -> None:
        from nec.second_line import options

        try:
            self.answer = options(
                evidence=self._evidence, table=self._table,
                **{name: getattr(self, name).value for name in LABELS})
        except ValueError as err:
            self._show_error(str(err))
            return
        self.error = None
        self.output.value = _options_html(self.answer, self._clocks, self._memo)

    def _show_error(self, message: str) -> None:
        self.answer, self.error = None, message
        self.output.value = _error_html(message)


def _fmt(value, unit=""):
    return "–" if value is None else f"{float(value):g}{unit}"


def _count(row) -> str:
    n_nec, n_total = row.get("n_nec"), row.get("n_total")
    total = "–" if n_total is None else f"{int(n_total)}"
    if n_nec is None:
        return f"{total} (NEC count not given)"
    return total if n_total is not None and n_nec == n_total else f"{total} ({int(n_nec)} NEC)"


def _evidence_table(o, clocks=None, memo=None) -> str:
    from nec.second_line import (
        TAG_LABELS,
        line_text,
        os_clock,
        os_text,
        population_text,
        progression_text,
        regimen_text,
        response_text,
        study_label,
        toxicity_text,
    )
    from nec.tables import table

    def outcomes(r):
        # One cell for the outcomes, so that the table fits the book's column (seven
        # columns, each wide enough for its longest word) and nothing is cut at 1366 px.
        parts = [f"response {response_text(r)}"]
        if progression_text(r) != "–":
            parts.append(f"progression as best response {progression_text(r)}")
        pfs = r.get("median_pfs_months")
        parts.append("median PFS " + ("not in the source read" if pfs is None
                                      else _fmt(pfs, " months")))
        os_ = os_text(r)
        parts.append("median OS " + ("not in the source read" if os_ == "–" else
                                     f"{os_} (from {os_clock(r, clocks or {})})"))
        return "; ".join(parts)

    if not o.evidence:
        return "<div><small>No study arm with numbers in the data.</small></div>"
    # The data's compact notation ("G3-4", "G>=3", "G3") read as words (toxicity_text).
    def cells(r):
        return {"study": f"{study_label(r)}: {regimen_text(r)}", "who": population_text(r),
                "design": line_text(r), "n": _count(r), "outcomes": outcomes(r),
                "toxicity": toxicity_text(r),
                "tag": TAG_LABELS.get(r.get("evidence_tag"))}

    # A study row reads the same under every option that cites it.
    rows = [_remembered(memo, ("row", tuple(r.items())), lambda r=r: cells(r))
            for r in o.evidence]
    # nec.tables: wrapped cells at the desktop, one card per study arm on a phone.
    return table(rows, caption=f"Study arms behind {o.name}",
                 columns={"study": "Study: regimen", "who": "Who was treated",
                          "design": "Design, line", "n": "Patients",
                          "outcomes": "Outcomes", "toxicity": "Grade ≥ 3 toxicity",
                          "tag": "Evidence tag"},
                 missing_note=None)._repr_html_()


#: How many rendered pieces an explorer keeps (a few hundred feature combinations' worth).
_MEMO_SIZE = 512


def _remembered(memo, key, make):
    """``make()``, kept in ``memo`` under ``key`` (a tuple of what the result is made of).

    The same inputs give the same string, so a kept one is exactly what ``make()`` would
    return; a key that cannot be hashed (a hand-made row holding a list) is simply not kept.
    """
    if memo is None:
        return make()
    try:
        return memo[key]
    except KeyError:
        pass
    except TypeError:
        return make()
    if len(memo) >= _MEMO_SIZE:
        memo.clear()
    memo[key] = value = make()
    return value


def _rows_key(rows) -> tuple:
    return tuple(tuple(r.items()) for r in rows)


def _options_html(answer, clocks=None, memo=None) -> str:
    from nec.second_line import DISCLAIMER

    # counts() reads the shown options' rows and report groups, and how many options are
    # in the other two lists: nothing else.
    c = _remembered(memo, ("counts", _rows_key(r for o in answer.shown for r in o.evidence),
                           tuple(o.overlapping for o in answer.shown), len(answer.not_stated),
                           len(answer.not_shown)), answer.counts)
    parts = [f'<div style="padding:0.3em 0"><i>{html.escape(DISCLAIMER)}</i></div>',
             f"<div>{c['options_shown']} options whose evidence covers these features: "
             f"{c['arms']} study arms, {c['nec_patients']} NEC patients (a report and its "
             f"update counted once; {c['arms_without_nec_count']} arms give no NEC count; "
             f"{c['nec_patients_secondary_only']} more NEC patients in rows read only in a "
             "secondary source, not added)."
             "</div>"]
    for o in answer.shown:
        warnings = "".join(f'<div role="note" style="color:#8a3b00"><b>Check:</b> '
                           f"{html.escape(w)}</div>" for w in o.warnings)
        caveats = "".join(f"<li>{html.escape(x)}</li>" for x in o.caveats)
        parts.append(
            '<div class="nec-option" style="border-left:4px solid #0072B2;margin:0.4em 0;'
            'max-width:100%;box-sizing:border-box;overflow-wrap:anywhere;'
            'padding:0.3em 0.8em;background:#f3f8fc">'
            f"<b>{html.escape(o.name)}</b> — {html.escape(o.reasons[0])}; "
            f"{html.escape(o.ps_text)}{warnings}"
            + _remembered(memo, ("table", o.name, _rows_key(o.evidence)),
                          lambda o=o: _evidence_table(o, clocks, memo))
            + (f"<ul>{caveats}</ul>" if caveats else "") + "</div>")
    for title, group in (("Not stated", answer.not_stated), ("Not shown", answer.not_shown)):
        if group:
            items = "".join(f"<li><b>{html.escape(o.name)}</b>: "
                            f"{html.escape('; '.join(o.reasons))}</li>" for o in group)
            # "Not stated" is open: at ECOG 2-4 it is most of the answer, not a footnote.
            opened = " open" if title == "Not stated" else ""
            parts.append(f"<details{opened}><summary>{title} ({len(group)})</summary>"
                         f"<ul>{items}</ul></details>")
    parts += [f"<div><i>{html.escape(n)}</i></div>" for n in answer.notes]
    return "".join(parts)


def options_explorer(*args, **defaults) -> OptionsExplorer:
    """Create an :class:`OptionsExplorer`; keywords set its starting values.

    A bad value, a value without a name or an unknown name is shown as a sentence on
    screen; nothing is raised.
    """
    from nec.widgets._base import _make_explorer

    return _make_explorer(OptionsExplorer, "options_explorer", args, defaults)


