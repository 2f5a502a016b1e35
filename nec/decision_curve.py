"""Decision curves for a survival model at one time: net benefit against threshold.

A C-index says whether a model ranks patients; a calibration plot says whether its
probabilities are right. Neither says whether *acting* on the model does more good than
harm. Vickers and Elkin's decision curve does: a clinician who would act (refer, treat,
enrol) when a patient's predicted risk of death by time t reaches a threshold p_t is
implicitly saying that a missed death is worth (1 − p_t)/p_t unnecessary actions. The net
benefit of acting on the model at that threshold is

    NB(p_t) = TP/n − FP/n × p_t / (1 − p_t),

the true positives per patient minus the false positives weighted by that exchange rate.
With censored follow-up, a death by t among the patients the model flags is estimated
with Kaplan–Meier (Vickers et al. 2008): if m of n patients have predicted risk ≥ p_t and
S_m(t) is the Kaplan–Meier survival at t among them,

    TP/n = (1 − S_m(t)) × m/n,    FP/n = S_m(t) × m/n.

"Treat all" uses every patient (m = n); "treat none" has net benefit 0. A model is useful
at a threshold only where its curve lies above both.

References: Vickers AJ, Elkin EB, Med Decis Making 2006;26(6):565–574; Vickers AJ, Cronin
AM, Elkin EB, Gonen M, BMC Med Inform Decis Mak 2008;8:53 (the survival extension).

>>> curve = net_benefit([0.9, 0.6, 0.3, 0.1], [5, 8, 30, 30], [1, 1, 0, 0], time=12,
...                     thresholds=[0.5])
>>> curve.table["model"].tolist(), curve.table["treat_all"].tolist()
([0.5], [0.0])
"""

from __future__ import annotations

from dataclasses import dataclass

from nec import _validate


@_validate.refuses_bad_arguments
def kaplan_meier(durations, events, time) -> float:
    """Kaplan–Meier survival at ``time`` (1 before the first death), in the unit of
    ``durations``.

    A ``time`` after the last follow-up time is refused while some patient was still alive
    then (nobody was observed so late); ``survival::survfit`` and lifelines carry the last
    value forward, R's ``summary(survfit, times = , extend = FALSE)`` drops such times. Once
    every patient has died, survival is 0 at any later time.

    >>> kaplan_meier([1, 2, 3, 4], [1, 1, 0, 1], 2.5)  # (1 - 1/4) × (1 - 1/3)
    0.5
    >>> kaplan_meier([1, 2, 3, 4], [1, 1, 0, 0], 6)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: The time 6 is after the last follow-up time in these data (4); the ...
    """
    t, e = _validate.survival_arrays(durations, events, unit="")
    time = _validate.number(time, name="The time", low=0)
    survival = _kaplan_meier(t, e, time)
    last = float(t.max())
    if time > last and survival > 0:
        raise ValueError(f"The time {time:g} is after the last follow-up time in these data "
                         f"({last:g}); the Kaplan–Meier estimate is not defined there.")
    return survival


def _kaplan_meier(t, e, time) -> float:
    """:func:`kaplan_meier` on checked arrays, the last value carried past follow-up (a
    group of flagged patients whose follow-up ends before the horizon: Vickers et al. 2008
    estimate each group with Kaplan–Meier as it stands)."""
    import numpy as np

    survival = 1.0
    for u in np.unique(t[(e == 1) & (t <= time)]):
        at_risk = np.sum(t >= u)
        deaths = np.sum((t == u) & (e == 1))
        survival *= 1.0 - deaths / at_risk
    return float(survival)


@dataclass(frozen=True)
class DecisionCurve:
    """What :func:`net_benefit` computed.

    ``table`` is a DataFrame with one row per threshold: threshold, flagged (patients
    with predicted risk ≥ threshold), model, treat_all and treat_none (net benefit, per
    patient).
    """

    time: float
    n: int
    events_by_time: float
    table: object

    def summary(self) -> str:
        lines = [f"Net benefit at t = {self.time:g} of acting when the predicted risk of death "
                 f"by t reaches the threshold (n = {self.n}; Kaplan–Meier risk of death by t "
                 f"in all patients {self.events_by_time:.2f})"]
        for _, r in self.table.iterrows():
            lines.append(f"  threshold {r['threshold']:.2f}: model {r['model']:+.3f} "
                         f"({int(r['flagged'])} flagged), treat all {r['treat_all']:+.3f}, "
                         "treat none 0")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()


@_validate.refuses_bad_arguments
def net_benefit(predicted_risk, durations, events, *, time, thresholds) -> DecisionCurve:
    """Net benefit of a survival model's predicted risk of death by ``time``.

    Parameters
    ----------
    predicted_risk
        Each patient's predicted probability of death by ``time`` (1 − predicted survival).
    durations, events
        Follow-up (same unit as ``time``) and 1 for a death, 0 for censoring.
    time
        The horizon t at which the decision's outcome is counted.
    thresholds
        Risk thresholds p_t, each strictly between 0 and 1.

    Returns
    -------
    DecisionCurve
        net benefit of the model, of treating everyone and of treating no one.

    Refused with a sentence: a decision time after the end of follow-up while some patients
    were still alive, and data in which no patient died by the decision time (every action
    would be a false positive: net benefit is then 0 for acting on no one and negative for
    anything else, whatever the model, which usually means a wrong time or event coding).
    """
    import numpy as np
    import pandas as pd

    risk = _array(predicted_risk, "Predicted risks")
    t, e = _validate.survival_arrays(durations, events, unit="")
    if len(risk) != len(t):
        raise ValueError("Predicted risks, follow-up times and events must have one value per "
                         f"patient (got {len(risk)}, {len(t)} and {len(e)}).")
    if np.any((risk < 0) | (risk > 1)):
        raise ValueError("Predicted risks are probabilities and must be between 0 and 1.")
    horizon = _validate.number(time, name="The decision time", low=0, low_inclusive=False)
    last = float(t.max())
    if horizon > last and _kaplan_meier(t, e, last) > 0:
        raise ValueError(f"The decision time ({horizon:g}) is after the end of follow-up in "
                         f"these data ({last:g}), while some patients were still alive: "
                         "whether they died by then was not observed.")
    cuts = _array(thresholds, "Thresholds")
    for p in cuts:
        _validate.number(p, name="A risk threshold", low=0, high=1, low_inclusive=False,
                         high_inclusive=False,
                         why="At 0 or 1 the exchange rate p/(1 − p) is 0 or infinite.")
    n = len(risk)
    s_all = _kaplan_meier(t, e, horizon)
    if s_all == 1.0:
        # Every action would be a false positive and every curve a straight line below 0,
        # whatever the model: an artefact of the horizon or the coding (never a silent answer).
        when = "at all" if e.sum() == 0 else f"by the decision time ({horizon:g})"
        raise ValueError(f"No patient in these data died {when}, so every action is a false "
                         "positive: net benefit is 0 for acting on no one and negative for "
                         "every other choice, whatever the model. Check the decision time and "
                         "the event column (1 = died).")
    rows = []
    for p in cuts:
        odds = p / (1 - p)
        flagged = risk >= p
        m = int(flagged.sum())
        if m:
            s_m = _kaplan_meier(t[flagged], e[flagged], horizon)
            model = (1 - s_m) * m / n - s_m * m / n * odds
        else:
            model = 0.0
        rows.append({"threshold": float(p), "flagged": m, "model": float(model),
                     "treat_all": float((1 - s_all) - s_all * odds), "treat_none": 0.0})
    return DecisionCurve(time=horizon, n=n, events_by_time=1 - s_all,
                         table=pd.DataFrame(rows))


def _array(values, name):
    import numpy as np

    if isinstance(values, str | bytes) or values is None:
        raise ValueError(f"{name} must be numbers (a list or a column), not {values!r}.")
    try:
        x = np.asarray(values, dtype=float).ravel()
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be numbers.") from None
    if x.size == 0:
        raise ValueError(f"{name}: none given.")
    if not np.all(np.isfinite(x)):
        raise ValueError(f"{name} have missing or infinite values.")
    return x


# A misspelt, missing or extra argument to a public function here is a sentence, not a
# TypeError (issue 14; nec._validate.refuse_bad_arguments_in).
_validate.refuse_bad_arguments_in(globals())
