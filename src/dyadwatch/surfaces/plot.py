"""Dyad charts: events per period stacked by QuadClass, with the mean Goldstein score (matplotlib).

The chart draws :func:`dyadwatch.analytics.dyad_timeline`, the same numbers as
``GET /api/dyads/{a}/{b}/timeline``. Figures are drawn off-screen (no pyplot, no display) to PNG
or SVG by the file's suffix.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from dyadwatch import analytics
from dyadwatch.errors import DyadwatchError

FORMATS = (".png", ".svg")
DIRECTIONS = ("both", "ab", "ba")
_COLOURS = {  # cooperation in blues/greens, conflict in oranges/reds
    "verbal_coop": "#8fc1e3",
    "material_coop": "#2f7ab9",
    "verbal_conflict": "#f4a261",
    "material_conflict": "#c0392b",
}
_LABELS = {
    "verbal_coop": "verbal cooperation (1)",
    "material_coop": "material cooperation (2)",
    "verbal_conflict": "verbal conflict (3)",
    "material_conflict": "material conflict (4)",
}
_WIDTH_DAYS = {"day": 0.8, "week": 6.0, "month": 26.0, "year": 320.0}


def plot_dyad(
    engine: Engine,
    a: str,
    b: str,
    out: Path,
    interval: str = "month",
    since: str | None = None,
    until: str | None = None,
    include_negated: bool = False,
    direction: str = "both",
) -> dict[str, Any]:
    """Draw the timeline of events between ``a`` and ``b`` to ``out`` (.png or .svg); return it."""
    check_output(out)
    if direction not in DIRECTIONS:
        raise DyadwatchError("E301", field="direction", reason=f"{direction!r}: choose both, ab or ba")
    timeline = analytics.dyad_timeline(engine, a, b, interval, since, until, include_negated)
    if not timeline["periods"]:
        found = timeline["totals"][direction]["events"]
        if found:  # events, but none dated finely enough for this interval
            raise DyadwatchError("E312", n=found, a=timeline["a"], b=timeline["b"], interval=interval)
        raise DyadwatchError("E305", a=timeline["a"], b=timeline["b"])
    render_timeline(timeline, out, direction)
    return timeline


def check_output(out: Path) -> None:
    if out.suffix.lower() not in FORMATS:
        raise DyadwatchError("E309", path=str(out), reason=f"unknown format {out.suffix or '(none)'!r}")
    if not out.parent.is_dir():
        raise DyadwatchError("E309", path=str(out), reason=f"folder {out.parent} does not exist")


def render_timeline(timeline: dict[str, Any], out: Path, direction: str = "both") -> None:
    """Stacked bars per QuadClass and a mean-Goldstein line (second axis) for one direction."""
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    periods = timeline["periods"]
    interval = timeline["interval"]
    starts: list[Any] = [dt.date.fromisoformat(p["period"]) for p in periods]  # matplotlib converts dates
    cells = [p[direction] for p in periods]
    fig = Figure(figsize=(max(7.0, min(16.0, 0.35 * len(periods) + 4)), 5.0), layout="constrained")
    ax = fig.subplots()
    bottom = [0] * len(periods)
    for quad in analytics.QUADS:
        heights = [c[quad] for c in cells]
        ax.bar(
            starts,
            heights,
            _WIDTH_DAYS[interval],
            bottom=bottom,
            align="edge",
            label=_LABELS[quad],
            color=_COLOURS[quad],
        )
        bottom = [x + h for x, h in zip(bottom, heights, strict=True)]
    ax.set_ylabel(f"events per {interval}")
    ax.set_ylim(0, max(max(bottom), 1) * 1.15)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    line = ax.twinx()
    mid = dt.timedelta(days=_WIDTH_DAYS[interval] / 2)
    means = [c["goldstein_mean"] for c in cells]  # None (no events) breaks the line
    line.plot(
        [s + mid for s in starts],
        [float("nan") if m is None else m for m in means],
        color="black",
        marker="o",
        linewidth=1.5,
        label="mean Goldstein",
    )
    line.axhline(0, color="grey", linewidth=0.8, linestyle="--")
    line.set_ylim(-10.5, 10.5)
    line.set_ylabel("mean Goldstein (−10 … +10)")
    ax.set_title(_title(timeline, direction), loc="left")
    handles = ax.get_legend_handles_labels()[0] + line.get_legend_handles_labels()[0]
    fig.legend(handles=handles, loc="outside lower center", ncol=3, fontsize="small", frameon=False)
    for tick in ax.get_xticklabels():
        tick.set_rotation(30)
        tick.set_horizontalalignment("right")
    try:
        fig.savefig(out, format=out.suffix.lower()[1:])
    except OSError as exc:
        raise DyadwatchError("E309", path=str(out), reason=exc.strerror or str(exc)) from None


def _title(timeline: dict[str, Any], direction: str) -> str:
    a, b = timeline["a"], timeline["b"]
    arrow = {"both": f"{a} ↔ {b}", "ab": f"{a} → {b}", "ba": f"{b} → {a}"}[direction]
    total = timeline["totals"][direction]
    cci = "n/a" if total["cci"] is None else f"{total['cci']:+.2f}"
    hidden = timeline["undated"] + timeline["imprecise"]
    undated = f" ({hidden} without a {timeline['interval']}, not drawn)" if hidden else ""
    return f"{arrow}: {total['events']} events{undated}, CCI {cci}"
