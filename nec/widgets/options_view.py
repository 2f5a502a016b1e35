"""The second-line options explorer: a thin view over :func:`nec.second_line.options`."""

from __future__ import annotations

import html

import ipywidgets as W

from nec.widgets._base import _STYLE, _WIDE, _error_html, _Explorer, _number_with_slider


class OptionsExplorer(_Explorer):
    """Patient features in; every second-line option whose evidence matches, with its rows.

    A thin view over :func:`nec.second_line.options`. It lists options alphabetically,
    never ranks them, and shows the options left out with the reason.
    """

    def __init__(self, *, months_since_first_line=2.0, ki67=80.0, morphology="nec",
                 sstr_imaging="negative", performance_status=1, msi="unknown", tmb="unknown"):
        from nec.evidence import load_evidence
        from nec.second_line import option_table

        self._evidence, self._table = load_evidence(), option_table()
        self.months_since_first_line, self.months_slider = _number_with_slider(
            "Months since 1st line", months_since_first_line, 0, 36, 0.5)
        self.ki67, self.ki67_slider = _number_with_slider("Ki-67 (%)", ki67, 0, 100, 1)
        self.morphology = W.Dropdown(options=[("poorly differentiated NEC", "nec"),
                                              ("well-differentiated NET G3", "net_g3")],
                                     value=morphology, description="Morphology", style=_STYLE,
                                     layout=_WIDE)
        self.sstr_imaging = W.Dropdown(options=["positive", "negative", "unknown"],
                                       value=sstr_imaging, description="SSTR imaging",
                                       style=_STYLE, layout=_WIDE)
        self.performance_status = W.Dropdown(options=[0, 1, 2, 3, 4], value=performance_status,
                                             description="ECOG PS",
                                             style=_STYLE, layout=_WIDE)
        self.msi = W.Dropdown(options=[("MSI-high / dMMR", "msi_h"), ("MSS / pMMR", "mss"),
                                       ("unknown", "unknown")], value=msi,
                              description="MSI status", style=_STYLE, layout=_WIDE)
        self.tmb = W.Dropdown(options=["high", "low", "unknown"], value=tmb,
                              description="TMB", style=_STYLE,
                              layout=_WIDE)
        self.output = W.HTML()
        self.answer = None
        self.error: str | None = None
        self.widget = W.VBox([
            W.HTML("<b>Second-line options explorer — lists evidence, never ranks or "
                   "recommends</b>"),
            self.months_since_first_line, self.months_slider, self.ki67, self.ki67_slider,
            self.morphology, self.sstr_imaging, self.performance_status, self.msi, self.tmb,
            self.output,
        ])
        for control in (self.months_since_first_line, self.ki67, self.morphology,
                        self.sstr_imaging, self.performance_status, self.msi, self.tmb):
            control.observe(lambda _change: self.update(), "value")
        self.update()

    _NAMES = ("months_since_first_line", "ki67", "morphology", "sstr_imaging",
              "performance_status", "msi", "tmb")

    def set(self, **values) -> None:
        """Set controls by name (those of ``__init__``), then recompute."""
        for name, value in values.items():
            if name not in self._NAMES:
                raise ValueError(f"The options explorer has no control called {name!r}.")
            getattr(self, name).value = value
        self.update()

    def update(self) -> None:
        from nec.second_line import options

        try:
            self.answer = options(
                evidence=self._evidence, table=self._table,
                **{name: getattr(self, name).value for name in self._NAMES})
        except ValueError as err:
            self.answer, self.error = None, str(err)
            self.output.value = _error_html(self.error)
            return
        self.error = None
        self.output.value = _options_html(self.answer)


def _fmt(value, unit=""):
    import pandas as pd

    return "–" if value is None or pd.isna(value) else f"{float(value):g}{unit}"


def _design_line(row) -> str:
    design = row["design"] or "design not stated"
    line = row["line"]
    return f"{design}; " + ("line not stated" if line == "not_stated"
                            else f"{line.replace('_', ' ')} line")


def _study_label(study_id, row) -> str:
    import pandas as pd

    author, year = row["first_author"], row["year"]
    if author is None or pd.isna(author):
        return str(study_id)
    return f"{author} {int(year)}" if not pd.isna(year) else str(author)


def _options_html(answer) -> str:
    from nec.second_line import DISCLAIMER

    cell = 'style="padding:0.15em 0.5em;text-align:left"'
    parts = [f'<div style="padding:0.3em 0"><i>{html.escape(DISCLAIMER)}</i></div>']
    for o in answer.shown:
        rows = "".join(
            f"<tr><td {cell}>{html.escape(_study_label(sid, r))}<br>"
            f"<small>{html.escape(str(r['regimen_family']))}</small></td>"
            f"<td {cell}>{html.escape(_design_line(r))}</td>"
            f"<td {cell}>{_fmt(r['n_total'])}</td>"
            f"<td {cell}>{_fmt(r['response_rate_pct'], ' %')}</td>"
            f"<td {cell}>{_fmt(r['median_pfs_months'], ' mo')}</td>"
            f"<td {cell}>{_fmt(r['median_os_months'], ' mo')}</td></tr>"
            for sid, r in o.evidence.iterrows()
        ) or f'<tr><td {cell} colspan="6">no study arm with numbers in the data</td></tr>'
        head = "".join(f"<th {cell}>{h}</th>" for h in
                       ("Study", "Design, line", "n", "Response", "Median PFS", "Median OS"))
        caveats = "".join(f"<li>{html.escape(c)}</li>" for c in o.caveats)
        parts.append(
            '<div class="nec-option" style="border-left:4px solid #0072B2;margin:0.4em 0;'
            'padding:0.3em 0.8em;background:#f3f8fc">'
            f"<b>{html.escape(o.name)}</b> — {html.escape(o.reasons[0])}"
            f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
            + (f"<ul>{caveats}</ul>" if caveats else "") + "</div>")
    if answer.not_shown:
        items = "".join(f"<li><b>{html.escape(o.name)}</b>: {html.escape('; '.join(o.reasons))}"
                        "</li>" for o in answer.not_shown)
        parts.append(f"<details><summary>Not shown ({len(answer.not_shown)})</summary>"
                     f"<ul>{items}</ul></details>")
    parts += [f"<div><i>{html.escape(n)}</i></div>" for n in answer.notes]
    return "".join(parts)


def options_explorer(**defaults) -> OptionsExplorer:
    """Create an :class:`OptionsExplorer`; keywords set its starting values."""
    return OptionsExplorer(**defaults)


