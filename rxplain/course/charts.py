"""Charts, rendered on the server to SVG with matplotlib's object API (Figure, no pyplot: thread-safe, no GUI).

Every chart comes with a text alternative (``*_text``); the pages also show the same figures as a table.
"""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import TYPE_CHECKING

from rxplain.course import calc
from rxplain.course.schedule import day_text

if TYPE_CHECKING:  # charts take a records.State but need no Django: the benchmark draws without a database
    from rxplain.course.records import State

INK, BAND, PROJECTION, TODAY, WARN = "#1b3a5c", "#cfe8d5", "#5a6470", "#8a5a00", "#a4262c"
STYLE = {"svg.fonttype": "none", "svg.hashsalt": "rxplain-course", "font.size": 10,
         "axes.spines.top": False, "axes.spines.right": False}


def _figure(height: float, rows: int = 1):
    from matplotlib.figure import Figure

    fig = Figure(figsize=(7.5, height), layout="constrained")
    axes = fig.subplots(rows, 1, squeeze=False)[:, 0]
    return fig, list(axes)


def to_svg(fig) -> str:
    import matplotlib

    buffer = io.StringIO()
    with matplotlib.rc_context(STYLE):  # svg.fonttype none: labels stay text (searchable, small)
        fig.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


def to_png(fig, dpi: int = 150) -> bytes:
    """Raster copy (Agg) for the PDF summary."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def _dates(axis) -> None:
    import matplotlib.dates as mdates

    locator = mdates.AutoDateLocator(minticks=3, maxticks=8)
    axis.xaxis.set_major_locator(locator)
    axis.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))


def dose_figure(state: State):
    """Cumulative mg/kg against the target band, with the projection at the current dose."""
    import matplotlib

    fig_ = state.figures
    with matplotlib.rc_context(STYLE):
        fig, (ax,) = _figure(3.6)
        series = calc.cumulative_series(state.input, state.today)
        until = max(d for d in (fig_.date_high, state.today + timedelta(days=14)) if d) + timedelta(days=7)
        projection = calc.projection_series(state.input, state.today, until)
        ax.axhspan(fig_.target_low, fig_.target_high, color=BAND,
                   label=f"Target band {fig_.target_low:g}–{fig_.target_high:g} mg/kg")
        if series:
            ax.plot([d for d, _ in series], [v for _, v in series], color=INK, linewidth=2.2,
                    label="Cumulative dose so far")
        if projection:
            ax.plot([d for d, _ in projection], [v for _, v in projection], color=PROJECTION, linewidth=1.6,
                    linestyle=(0, (5, 3)), label="If the current dose goes on")
        ax.axvline(state.today, color=TODAY, linewidth=1, linestyle=":", label="Today")
        ax.set_ylabel("Cumulative dose (mg/kg)")
        ax.set_ylim(0, max(fig_.target_high * 1.1, fig_.cumulative_mg_per_kg * 1.1))
        ax.set_xlim(state.course.start_date, until)
        _dates(ax)
        ax.grid(axis="y", color="#e3e6ea")
        ax.legend(loc="lower right", frameon=True, framealpha=0.9, edgecolor="none", fontsize=9)
    return fig


def dose_chart_text(state: State) -> str:
    f = state.figures
    parts = [f"Cumulative dose {f.cumulative_mg_per_kg:.1f} mg/kg on {day_text(f.as_of)}, "
             f"{f.band} the target band of "
             f"{f.target_low:g} to {f.target_high:g} mg/kg."]
    for label, day, reached in ((f"{f.target_low:g}", f.date_low, f.low_reached),
                                (f"{f.target_high:g}", f.date_high, f.high_reached)):
        if day and reached:
            parts.append(f"{label} mg/kg was reached on {day_text(day)}.")
        elif day:
            parts.append(f"At the current dose, {label} mg/kg would be reached on {day_text(day)}.")
    return " ".join(parts)


def lab_figure(state: State):
    """One small chart per test with results, in the canonical unit, with the pack's flag thresholds."""
    import matplotlib

    by_test: dict[str, list[tuple[date, float]]] = {}
    for fact in sorted(state.lab_facts, key=lambda f: f.day):
        by_test.setdefault(fact.test, []).append((fact.day, fact.canonical))
    rules = [r for r in state.rules.labs if r.id in by_test]
    if not rules:
        with matplotlib.rc_context(STYLE):
            fig, (ax,) = _figure(1.0)
            ax.set_axis_off()
            ax.text(0.5, 0.5, "No blood test results yet", ha="center", va="center", transform=ax.transAxes)
        return fig
    with matplotlib.rc_context(STYLE):
        fig, axes = _figure(1.9 * len(rules) + 0.4, rows=len(rules))
        first = min(d for values in by_test.values() for d, _ in values)
        last = max(state.today, *(d for values in by_test.values() for d, _ in values))
        for ax, rule in zip(axes, rules, strict=True):
            points = by_test[rule.id]
            ax.plot([d for d, _ in points], [v for _, v in points], color=INK, marker="o", linewidth=1.8)
            for threshold in rule.thresholds:
                ax.axhline(threshold.above, color=WARN if threshold.level == "urgent" else TODAY, linewidth=1,
                           linestyle=(0, (4, 3)))
                ax.annotate(f"{threshold.above:g}", (1.0, threshold.above), xycoords=("axes fraction", "data"),
                            xytext=(3, 0), textcoords="offset points", va="center", fontsize=8)
            ax.set_title(f"{rule.name} ({rule.canonical_unit})", loc="left", fontsize=10)
            top = max([v for _, v in points] + [t.above for t in rule.thresholds])
            ax.set_ylim(0, top * 1.15)
            ax.set_xlim(first - timedelta(days=5), last + timedelta(days=5))
            _dates(ax)
            ax.grid(axis="y", color="#e3e6ea")
    return fig


def lab_chart_text(state: State) -> str:
    if not state.lab_facts:
        return "No blood test results yet."
    names = {r.id: r.name for r in state.rules.labs}
    tests = sorted({names.get(f.test, f.test) for f in state.lab_facts})
    return (f"Blood test results over time for {', '.join(tests)}, with dashed lines at the levels that are "
            "flagged for your prescriber. The same values are in the table below.")
