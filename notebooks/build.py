"""Build the notebooks: write each .ipynb from its cells below, execute it, save it with outputs.

    python notebooks/build.py          # all of them, and notebooks/figures/cost-vs-duration.png
    python notebooks/build.py 02 03    # only the notebooks whose names start with these

(in a checkout: ``.venv/bin/python notebooks/build.py`` after ``pip install -e '.[dev]'``).

The notebooks are authored here, as code, so a change to one is reviewed as a Python diff;
``tests/test_notebooks.py`` checks that the committed notebooks hold exactly these cells,
executes them with nbclient and compares what they print with the committed outputs. Edit
this file and rebuild; never edit the .ipynb files by hand.

The kernel imports ratecard from this checkout's ``src/`` (``PYTHONPATH`` is set for it),
and the notebooks price on a fixed day, so a rebuild changes the outputs only when the
cards or ratecard change. The README's figure is the image output of the cell tagged
``readme-figure`` in notebook 01, copied to ``figures/cost-vs-duration.png``.
"""

from __future__ import annotations

import argparse
import base64
import os
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import nbformat
from nbclient import NotebookClient

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
FIGURE = HERE / "figures" / "cost-vs-duration.png"
FIGURE_NOTEBOOK = "01-quote-and-compare"
FIGURE_TAG = "readme-figure"
TIMEOUT = 120
"""Seconds a cell may run before the execution fails."""

Cell = tuple[str, str, tuple[str, ...]]
"""(cell type, source, tags)."""


def _join(parts: tuple[str, ...]) -> str:
    """Parts of a cell's source, each dedented on its own, a blank line apart."""
    return "\n\n".join(textwrap.dedent(part).strip("\n") for part in parts)


def md(*parts: str) -> Cell:
    return ("markdown", _join(parts), ())


def code(*parts: str, tags: tuple[str, ...] = ()) -> Cell:
    return ("code", _join(parts), tags)


FOOTER = """
*Generated and executed by [`build.py`](build.py) (`python notebooks/build.py`): edit that
file, not this notebook. CI executes this notebook (`tests/test_notebooks.py`) and checks
that it still prints what is committed here.*
"""

PRICED_ON = '''
# Price on a fixed day, so that a re-run prints what is committed here.
# Leave today= out to price on the day you run it.
PRICED_ON = date(2026, 11, 21)
card = ratecard.load(today=PRICED_ON)
'''
"""The catalog every notebook loads, part of its first code cell."""

# ------------------------------------------------------------------ 01 quote and compare

QUOTE_AND_COMPARE: list[Cell] = [
    md(r"""
    # Quote and compare

    What a Kling job costs at each seller, priced by ratecard from its built-in rate cards
    (`pricing_tables/*.yaml`), with the steps behind every amount:

    1. the worked examples of the source documents, quoted with their steps;
    2. every seller compared for one job, and the offerings left out, with the reason;
    3. cost against duration for Kling 3.0 at 1080p, per seller, with and without sound.

    Money stays exact: ratecard's amounts are `Decimal`s, and they become floats only where
    they are handed to matplotlib to draw.
    """, FOOTER),
    code(r"""
    %matplotlib inline
    import textwrap
    from datetime import date
    from decimal import Decimal

    import matplotlib.pyplot as plt

    import ratecard
    from ratecard import Need
    """, PRICED_ON, r"""
    plt.rcParams.update({"figure.dpi": 90, "font.size": 9})
    print("providers:", ", ".join(card.providers))
    """),
    md(r"""
    ## The seeds' worked examples

    The source documents (`shared/seeds/`) work these examples out; ratecard reproduces each
    one exactly, step by step. The `assert`s make CI fail if a card ever stops doing so.
    """),
    code(r'''
    def show(title, q):
        """Print a quote: what is billed, the amount in the card's currency and in USD,
        and every step that produced it."""
        usd = "USD unknown" if q.usd is None else f"{q.usd} USD"
        print(title)
        print(f"  {q.provider} / {q.model}, {q.quality}, sound {'on' if q.sound else 'off'}: "
              f"billed {q.billed_seconds} s -> {q.credits} {q.currency} = {usd}")
        for step in q.steps:
            value = "" if step.value is None else str(step.value)
            print(f"    {step.name:<13} {value:>9}  {step.detail}")
        for warning in q.warnings:
            print(f"    warning: {warning}")
        print()


    q = card.quote("evolink", "kling-v3-image-to-video", duration=5, quality="720p")
    show("Seed 001: EvoLink Kling 3.0 image-to-video, 5 s at 720p -> 27 credits = $0.375", q)
    assert (q.credits, q.usd) == (27, Decimal("0.375"))

    q = card.quote("evolink", "kling-v3-image-to-video", duration=10, quality="1080p",
                   sound=True)
    show("Seed 001: the same at 10 s, 1080p, sound on -> 108 credits = $1.50", q)
    assert (q.credits, q.usd) == (108, Decimal("1.5"))
    '''),
    md(r"""
    kling3api prices in credits and publishes no USD value of a credit: the quote says
    *USD unknown* (`q.usd is None`), never \$0.
    """),
    code(r"""
    q = card.quote("kling3api", "pro-text-to-video", duration=5)
    show("Seed 003: kling3api pro-text-to-video, 5 s, default sound (on) -> 400 credits", q)
    assert q.credits == 400
    assert q.usd is None
    """),
    md(r"""
    Edits are billed by the input video's length: EvoLink's O3 edit rounds it to whole
    seconds, and its O1 edit bills at least 3 s and at most 10 s (a clamp is a billing
    rule, so it is a step of the quote, not an error).
    """),
    code(r"""
    q = card.quote("evolink", "kling-o3-video-edit", input_seconds="7.4", quality="1080p")
    show("Seed 000: EvoLink O3 edit of a 7.4 s video at 1080p, billed by whole seconds", q)
    assert q.billed_seconds == 7

    for seconds, billed in ((2, 3), (25, 10)):
        q = card.quote("evolink", "kling-o1-video-edit", input_seconds=seconds)
        show(f"Seed 002: EvoLink O1 edit of a {seconds} s video -> billed {billed} s", q)
        assert q.billed_seconds == billed
    """),
    md(r"""
    ## Every seller, one job

    One need, matched against every offering of every card: the candidates cheapest first
    (ties broken by the documented rule), then every offering that cannot serve it and why.
    """),
    code(r"""
    need = Need(family="kling-3.0", mode="image-to-video", quality="1080p", sound=True,
                duration=10)
    comparison = card.compare(need)

    print(f"compare: {need.describe()}\n")
    print(f"{'#':>2}  {'provider':<10} {'model':<24} {'amount':>17} {'USD':>9}")
    for rank, c in enumerate(comparison.candidates, 1):
        amount = f"{c.credits} {c.currency}"
        print(f"{rank:>2}  {c.provider:<10} {c.model:<24} {amount:>17} {c.usd:>9}")

    print(f"\nnot served ({len(comparison.exclusions)}):")
    for e in comparison.exclusions:
        offering = e.provider if e.model is None else f"{e.provider} / {e.model}"
        priced = "" if e.quote is None else f" (priced at {e.quote.credits} {e.quote.currency})"
        print(f"  {offering}: {e.code}{priced}")
        print(textwrap.fill(e.message, 92, initial_indent=" " * 6, subsequent_indent=" " * 6))
    """),
    md(r"""
    Each candidate carries the engine's quote, so the cheapest one explains itself:
    """),
    code(r"""
    show("The cheapest, step by step", comparison.candidates[0].quote)
    """),
    md(r"""
    ratecard never guesses a credit's value. Supply one, and kling3api is ranked like the
    others; here a *hypothetical* 500 credits per USD:
    """),
    code(r"""
    valued = card.with_credit_value("kling3api", "500").compare(need)
    for rank, c in enumerate(valued.candidates, 1):
        amount = f"{c.credits} {c.currency}"
        print(f"{rank:>2}  {c.provider:<10} {c.model:<24} {amount:>17} = {c.usd} USD")
    """),
    md(r"""
    ## Cost against duration: Kling 3.0 image-to-video at 1080p

    The same comparison for every length from 3 to 15 s, without and with sound. Every
    point is a candidate of `card.compare`; an offering whose USD value is unknown is listed
    under the plot, never drawn as zero.
    """),
    code(r"""
    FAMILY, MODE, QUALITY = "kling-3.0", "image-to-video", "1080p"
    SOUNDS = (False, True)
    DURATIONS = range(3, 16)

    usd = {}       # (sound, offering) -> {seconds: exact USD amount}
    unknown = {}   # offering -> {(sound, seconds): amount in credits}: USD unknown
    left_out = {}  # offering -> the reasons it serves none of these clips
    for sound in SOUNDS:
        for seconds in DURATIONS:
            clip = Need(family=FAMILY, mode=MODE, quality=QUALITY, sound=sound,
                        duration=seconds)
            comparison = card.compare(clip)
            for c in comparison.candidates:
                usd.setdefault((sound, f"{c.provider} / {c.model}"), {})[seconds] = c.usd
            for e in comparison.exclusions:
                offering = e.provider if e.model is None else f"{e.provider} / {e.model}"
                if e.code == "USD_UNKNOWN":
                    unknown.setdefault(offering, {})[sound, seconds] = e.quote.credits
                else:
                    left_out.setdefault(offering, set()).add(e.code)
    print(f"{len(usd)} lines to draw; USD unknown: {', '.join(sorted(unknown))}")
    """),
    code(r"""
    STYLE = {  # provider -> colour, marker, line style (offerings that tie stay visible)
        "evolink": ("tab:blue", "o", "-"),
        "comfy": ("tab:orange", "s", "-"),
        "fal": ("tab:green", "x", "--"),
        "krea": ("tab:red", "^", "-"),
        "modellix": ("tab:purple", "D", "-"),
        "kling3api": ("tab:brown", "v", "-"),
        "kling-official": ("tab:gray", ".", ":"),
    }

    fig, axes = plt.subplots(1, 2, figsize=(10, 4.4), sharey=True, layout="constrained")
    for ax, sound in zip(axes, SOUNDS, strict=True):
        for (drawn_sound, offering), points in sorted(usd.items()):
            if drawn_sound != sound:
                continue
            color, marker, line = STYLE[offering.split(" / ")[0]]
            seconds = sorted(points)
            # float() only to hand the exact Decimal amounts to matplotlib for drawing
            ax.plot(seconds, [float(points[t]) for t in seconds], color=color, marker=marker,
                    linestyle=line, markersize=4, label=offering)
        ax.set_title(f"{QUALITY}, sound {'on' if sound else 'off'}")
        ax.set_xlabel("duration (s)")
        ax.set_xticks(list(DURATIONS))
        ax.grid(alpha=0.3)
    axes[0].set_ylim(bottom=0)  # shared by both panels, once every line is drawn
    axes[0].set_ylabel("cost (USD)")
    axes[1].legend(loc="upper left", fontsize=8)
    fig.suptitle(f"Kling 3.0 {MODE} at {QUALITY}: what each seller charges, by duration")
    note = "; ".join(f"{offering} ({min(amounts.values())} to {max(amounts.values())} credits)"
                     for offering, amounts in sorted(unknown.items()))
    fig.text(0.01, -0.01, textwrap.fill(
        f"Not plotted, USD unknown (no published USD value of a credit): {note}", 130),
        fontsize=8, va="top")
    plt.show()

    for sound in SOUNDS:
        same = {}  # identical prices at every duration draw one line over another
        for (drawn_sound, offering), points in sorted(usd.items()):
            if drawn_sound == sound:
                same.setdefault(tuple(sorted(points.items())), []).append(offering)
        for offerings in same.values():
            if len(offerings) > 1:
                print(f"sound {'on' if sound else 'off'}: {' and '.join(offerings)} charge the "
                      "same at every duration (their lines overlap)")

    print(f"\nUSD at 5, 10 and 15 s (exact):\n{'offering':<36} {'sound':<5}"
          f" {'5 s':>9} {'10 s':>9} {'15 s':>9}")
    for (sound, offering), points in sorted(usd.items(), key=lambda item: item[0][::-1]):
        prices = " ".join(f"{points[t]:>9}" for t in (5, 10, 15))
        print(f"{offering:<36} {'on' if sound else 'off':<5} {prices}")

    print("\nnot plotted:")
    for offering, amounts in sorted(unknown.items()):
        print(f"  {offering}: USD_UNKNOWN, {amounts[True, 10]} credits for 10 s with sound")
    for offering, codes in sorted(left_out.items()):
        print(f"  {offering}: {', '.join(sorted(codes))}")
    """, tags=(FIGURE_TAG,)),
    md(r"""
    ## The price matrix: every seller's USD per second, and how sure we are of it

    Every per-second price of every card (`card.offerings()`), by seller and model (rows)
    and quality x sound (columns), in US cents per second. A hatched cell is an
    **inferred** price (derived from what a document says, not stated by it: its note
    says how); a red frame marks a price touched by a **recorded conflict** between
    sources; grey cells are priced in credits whose USD value is unknown (kling3api). An
    empty cell is a quality or sound the card has no price for: UNPRICED, not a claim that
    the seller lacks it. Fixed-price edits (one price per job) are listed under the figure.

    Labels are rounded half-up to a tenth of a cent, as the cards round money; the
    amounts themselves stay exact.
    """),
    code(r"""
    from decimal import ROUND_HALF_UP

    from matplotlib.patches import Patch, Rectangle

    COLUMNS = [(quality, sound) for quality in ("720p", "1080p", "4k") for sound in ("off", "on")]
    rows = card.offerings()
    per_second = [r for r in rows if r.kind == "per_second"]
    fixed = [r for r in rows if r.kind == "fixed"]
    families = sorted({r.family for r in per_second})
    lines = {f: sorted({(r.provider, r.model) for r in per_second if r.family == f})
             for f in families}
    cells = {(r.provider, r.model, r.quality, r.sound): r for r in per_second}


    def tenth_cent(usd):
        # cents per second, half-up to 0.1 (the cards' money rule); exact Decimal in, text out
        return str((usd * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


    fig, axes = plt.subplots(
        len(families), 1, figsize=(10, 0.34 * sum(len(v) for v in lines.values()) + 2.2),
        height_ratios=[len(lines[f]) for f in families], layout="constrained")
    usd_values = [float(r.usd) for r in per_second if r.usd is not None]
    norm = plt.Normalize(min(usd_values), max(usd_values))
    for ax, family in zip(axes, families, strict=True):
        names = lines[family]
        ax.set_xlim(-0.5, len(COLUMNS) - 0.5)
        ax.set_ylim(len(names) - 0.5, -0.5)
        for y, (provider, model) in enumerate(names):
            for x, (quality, sound) in enumerate(COLUMNS):
                r = cells.get((provider, model, quality, sound))
                if r is None:
                    continue
                if r.usd is None:  # credits of unknown USD value: never drawn as a price
                    face, text = "#d9d9d9", f"{r.price} cr"
                else:
                    face, text = plt.cm.YlOrRd(norm(float(r.usd))), tenth_cent(r.usd)
                ax.add_patch(Rectangle((x - 0.5, y - 0.5), 1, 1, facecolor=face,
                                       hatch="///" if r.basis == "inferred" else None,
                                       edgecolor="#555555" if r.basis == "inferred" else "white",
                                       linewidth=0))
                if r.conflicts:
                    ax.add_patch(Rectangle((x - 0.46, y - 0.44), 0.92, 0.88, fill=False,
                                           edgecolor="red", linewidth=1.6))
                ax.text(x, y, text, ha="center", va="center", fontsize=8.5,
                        bbox={"boxstyle": "round,pad=0.1", "facecolor": "white",
                              "alpha": 0.75, "linewidth": 0})
        ax.set_yticks(range(len(names)),
                      [f"{provider} · {model}" for provider, model in names], fontsize=8.5)
        ax.set_xticks(range(len(COLUMNS)),
                      [f"{quality}\nsound {sound}" for quality, sound in COLUMNS], fontsize=8.5)
        ax.xaxis.tick_top()
        ax.tick_params(length=0)
        ax.set_title(family, loc="left", fontsize=10, fontweight="bold")
        for edge in ax.spines.values():
            edge.set_visible(False)
    fig.legend(handles=[
        Patch(facecolor="white", edgecolor="#555555", hatch="///", label="inferred price"),
        Patch(facecolor="white", edgecolor="red", linewidth=1.6,
              label="a recorded conflict touches it"),
        Patch(facecolor="#d9d9d9", label="credits, USD unknown"),
    ], loc="outside lower center", ncols=3, fontsize=9)
    fig.suptitle("USD cents per second, by seller x model x quality x sound "
                 f"(priced on {PRICED_ON})", fontsize=11)
    plt.show()

    inferred = [r for r in per_second if r.basis == "inferred"]
    disputed = [r for r in per_second if r.conflicts]
    print(f"{len(per_second)} per-second prices: {len(inferred)} inferred, "
          f"{len(disputed)} touched by a recorded conflict, "
          f"{sum(r.usd is None for r in per_second)} in credits of unknown USD value")
    for subject in sorted({c.subject for r in disputed for c in r.conflicts}):
        print(f"  conflict: {subject}")
    print("\nfixed-price edits (per job):")
    for r in fixed:
        usd = "USD unknown" if r.usd is None else f"{r.usd} USD"
        print(f"  {r.provider} · {r.model} {r.quality} sound {r.sound}: {r.price} {r.currency}"
              f" = {usd}; {r.accepts}")
    """),
]

# ------------------------------------------------------------------ 02 cheapest route

CHEAPEST_ROUTE: list[Cell] = [
    md(r"""
    # The cheapest route

    `card.route(need)` gives the fallback chain for a job: every seller that can serve it,
    cheapest first; the head is where to send it. This notebook maps who wins across
    duration x quality x sound for the three Kling families, then marks the winner down
    and shows what failing over costs, and what a kling3api credit would have to cost for
    kling3api to win.

    Amounts are exact `Decimal`s; they become floats only to be drawn. The cell labels
    round them to cents half-up, as the cards round money, and a cell where two sellers
    charge exactly the same is marked as a tie (the order between them is the tie-break
    rule, not a price).
    """, FOOTER),
    code(r"""
    %matplotlib inline
    from collections import Counter
    from datetime import date
    from decimal import ROUND_HALF_UP, Decimal
    from fractions import Fraction

    import matplotlib.pyplot as plt
    from matplotlib.colors import to_rgba
    from matplotlib.patches import Patch, Rectangle

    import ratecard
    from ratecard import Need
    """, PRICED_ON, r"""
    plt.rcParams.update({"figure.dpi": 100, "font.size": 10})


    def cents(usd):
        # a label only: rounded half-up to the cent, as the cards round money
        return usd.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    """),
    md(r"""
    ## Who wins, everywhere

    One route per family x quality x sound x duration (image-to-video), computed by
    ratecard; each cell is the route's head: its provider, and its price in USD. A cell
    with a dashed frame is a tie: the next seller charges exactly the same.
    """),
    code(r"""
    FAMILIES = ("kling-3.0", "kling-o3", "kling-o1")
    MODE = "image-to-video"
    ROWS = [(quality, sound) for quality in ("720p", "1080p", "4k") for sound in (False, True)]
    DURATIONS = tuple(range(3, 16))
    COLORS = {"evolink": "#a6cee3", "comfy": "#fdbf6f", "fal": "#b2df8a", "krea": "#fb9a99",
              "modellix": "#cab2d6", "kling3api": "#ffff99", "kling-official": "#d9d9d9"}
    NO_FALLBACK = "#eeeeee"


    def clip(family, quality, sound, seconds):
        return Need(family=family, mode=MODE, quality=quality, sound=sound, duration=seconds)


    routes = {(family, quality, sound, seconds): card.route(clip(family, quality, sound, seconds))
              for family in FAMILIES for quality, sound in ROWS for seconds in DURATIONS}
    print(f"{len(routes)} routes")


    def tied(chain):
        # the sellers that charge exactly what the head charges
        return [c for c in chain if c.usd == chain[0].usd] if chain else []


    def heatmap(title, cells):
        # One panel per family: rows quality x sound, columns duration. cells maps
        # (family, quality, sound, seconds) to None where nothing serves the job (hatched),
        # else to (provider, label, tie); provider None: served, but no fallback (grey).
        fig, axes = plt.subplots(len(FAMILIES), 1, figsize=(13, 11.5), layout="constrained")
        shown, ties = set(), False
        for ax, family in zip(axes, FAMILIES, strict=True):
            image = []
            for y, (quality, sound) in enumerate(ROWS):
                row = []
                for x, seconds in enumerate(DURATIONS):
                    cell = cells[family, quality, sound, seconds]
                    if cell is None:
                        row.append(to_rgba("white"))
                        ax.add_patch(Rectangle((x - 0.5, y - 0.5), 1, 1, fill=False,
                                               hatch="///", edgecolor="#bbbbbb", linewidth=0))
                        continue
                    provider, label, tie = cell
                    shown.add(provider)
                    row.append(to_rgba(COLORS[provider] if provider else NO_FALLBACK))
                    ax.text(x, y, label, ha="center", va="center", fontsize=7.5,
                            linespacing=1.1)
                    if tie:
                        ties = True
                        ax.add_patch(Rectangle((x - 0.46, y - 0.44), 0.92, 0.88, fill=False,
                                               edgecolor="black", linestyle="--",
                                               linewidth=1.2))
                image.append(row)
            ax.imshow(image, aspect="auto")
            ax.set_xticks(range(len(DURATIONS)), [f"{seconds} s" for seconds in DURATIONS])
            ax.set_yticks(range(len(ROWS)),
                          [f"{quality}, sound {'on' if sound else 'off'}"
                           for quality, sound in ROWS])
            ax.set_xticks([x + 0.5 for x in range(len(DURATIONS) - 1)], minor=True)
            ax.set_yticks([y + 0.5 for y in range(len(ROWS) - 1)], minor=True)
            ax.grid(which="minor", color="white", linewidth=1.5)
            ax.tick_params(which="both", length=0)
            ax.set_title(f"{family} {MODE}", loc="left", fontsize=11)
        handles = [Patch(facecolor=COLORS[p], label=p) for p in sorted(shown - {None})]
        if None in shown:
            handles.append(Patch(facecolor=NO_FALLBACK, label="no fallback"))
        handles.append(Patch(facecolor="white", hatch="///", edgecolor="#bbbbbb",
                             label="nothing serves"))
        if ties:
            handles.append(Patch(facecolor="white", edgecolor="black", linestyle="--",
                                 label="tie (same USD)"))
        fig.legend(handles=handles, loc="outside right upper")
        fig.suptitle(title, fontsize=12)
        plt.show()


    heads = {}
    for key, route in routes.items():
        same = tied(route.chain)
        if not same:
            heads[key] = None
            continue
        names = " = ".join(c.provider for c in same)
        heads[key] = (same[0].provider, f"{names}\n{cents(same[0].usd)}", len(same) > 1)
    heatmap("The cheapest available seller (route head) and its price in USD, rounded "
            "half-up to the cent", heads)
    """),
    code(r"""
    for family in FAMILIES:
        mine = [route for (f, *_), route in routes.items() if f == family]
        wins = Counter(route.head.provider for route in mine if route.head is not None)
        print(f"{family}: " + ", ".join(f"{p} wins {n}" for p, n in sorted(wins.items())))
        shared = Counter(" = ".join(c.provider for c in tied(route.chain))
                         for route in mine if len(tied(route.chain)) > 1)
        for names, n in sorted(shared.items()):
            print(f"  tie: {names} charge the same in {n} jobs (listed in tie-break order)")
        inferred = Counter(route.head.provider for route in mine
                           if route.head is not None and route.head.quote.basis == "inferred")
        for provider, n in sorted(inferred.items()):
            print(f"  {provider} wins {n} jobs on an inferred price")
        empty = [route for route in mine if route.head is None]
        if empty:
            codes = sorted({e.code for route in empty for e in route.exclusions})
            print(f"  nothing serves {len(empty)} of {len(mine)} jobs; the offerings are "
                  f"excluded as {', '.join(codes)}")
        unpriced = sorted({e.provider for route in mine for e in route.exclusions
                           if e.code == "USD_UNKNOWN"})
        if unpriced:
            print(f"  never ranked, USD unknown: {', '.join(unpriced)}"
                  " (card.with_credit_value gives a credit value)")
    """),
    md(r"""
    ## When the cheapest is down

    A 10 s clip at 1080p with sound: route it, then mark the winner down
    (`card.route(need, down=[...])`) and route it again.
    """),
    code(r"""
    job = Need(family="kling-3.0", mode="image-to-video", quality="1080p", sound=True,
               duration=10)
    before = card.route(job)
    cheapest = before.head
    after = card.route(job, down=[cheapest.provider])


    def show_chain(title, route):
        print(title)
        for rank, c in enumerate(route.chain, 1):
            amount = f"{c.credits} {c.currency}"
            print(f"  {rank}. {c.provider:<10} {c.model:<24} {amount:>17} = {c.usd} USD"
                  f"  [{'; '.join(c.quote.markers) or 'documented'}]")
        for caveat in route.caveats:
            print(f"  note: {caveat}")
        for e in route.exclusions:
            if e.code == "DOWN":
                print(f"  -- {e.provider} / {e.model}: {e.message}")


    show_chain(f"route: {job.describe()}", before)
    show_chain(f"\nroute, down={[cheapest.provider]}:", after)
    extra = after.head.usd - cheapest.usd
    print(f"\nfailing over from {cheapest.provider} to {after.head.provider} costs {extra} USD "
          f"more per clip ({extra / cheapest.usd:.1%}), {extra * 1000:,.2f} USD per 1,000 clips")
    """),
    code(r"""
    fig, axes = plt.subplots(1, 2, figsize=(12, 3.4), sharex=True, layout="constrained")
    for ax, (title, route) in zip(
            axes, [("all up", before), (f"{cheapest.provider} down", after)], strict=True):
        names = [f"{c.provider} / {c.model}" for c in route.chain]
        # float() only to hand the exact Decimal amounts to matplotlib for drawing
        ax.barh(names, [float(c.usd) for c in route.chain], edgecolor="0.4",
                color=[COLORS[c.provider] for c in route.chain])
        for y, c in enumerate(route.chain):
            tie = sum(other.usd == c.usd for other in route.chain) > 1
            ax.text(float(c.usd), y, f" {c.usd}" + (" (tie)" if tie else ""), va="center",
                    fontsize=9.5)
        ax.invert_yaxis()
        ax.set_title(f"{title}: send to {route.head.provider}", loc="left")
        ax.set_xlabel("USD")
    axes[0].set_xlim(right=float(max(c.usd for c in before.chain)) * 1.45)
    fig.suptitle(f"The fallback chain for {job.describe()}")
    plt.show()
    """),
    md(r"""
    ## The price of failing over, everywhere

    For every job of the first map: the winner marked down, who takes over, and how much
    more it costs in USD (in cents, rounded half-up; +0.00 with a dashed frame: a tie,
    the next seller charges exactly the same).
    """),
    code(r"""
    fallbacks = {}
    for (family, quality, sound, seconds), route in routes.items():
        head = route.head
        if head is None:
            fallbacks[family, quality, sound, seconds] = None
            continue
        rerouted = card.route(clip(family, quality, sound, seconds), down=[head.provider])
        second = rerouted.head
        # cents for the label only: the difference itself is exact
        fallbacks[family, quality, sound, seconds] = (
            (None, "none", False) if second is None
            else (second.provider, f"{second.provider}\n+{cents(second.usd - head.usd)}",
                  second.usd == head.usd))
    heatmap("When the winner is down: who takes over, and the extra USD", fallbacks)

    stranded = sorted({(f, q, "on" if s else "off") for (f, q, s, _), cell in fallbacks.items()
                       if cell is not None and cell[0] is None})
    for family, quality, sound in stranded:
        print(f"no fallback: {family} {MODE} {quality} sound {sound} has a single seller")
    """),
    md(r"""
    ## What a kling3api credit would have to cost

    kling3api prices in credits and publishes no USD value of a credit, so ratecard never
    ranks it. For each of its types, compared with the cheapest other seller of the same
    family, mode, quality and sound (reference prices left out, as a route does), this is
    the **break-even credit value**: kling3api wins when one of its credits costs less than
    this in USD (at least this many credits per USD). Generation types are compared on a
    10 s clip, edits on a 10 s input video (kling3api's edits have a fixed price). The
    comparison is exact (`Fraction`); the labels are rounded half-up.
    """),
    code(r"""
    SECONDS = 10
    rows = []
    for plan in card.plans("kling3api"):
        for quality in plan.qualities:
            for sound in plan.sounds:
                length = ({"input_seconds": SECONDS} if plan.mode == "video-edit"
                          else {"duration": SECONDS})
                need = Need(family=plan.family, mode=plan.mode, quality=quality, sound=sound,
                            **length)
                rival = card.route(need, deny=["kling3api"]).head
                credits = card.quote("kling3api", plan.model, quality=quality, sound=sound,
                                     **length).credits
                rows.append((plan.model, quality, sound, credits, rival))

    print(f"{'kling3api type':<26} {'quality':<7} {'sound':<5} {'credits':>7}  "
          f"{'cheapest other seller':<42} {'its USD':>8}  break-even")
    breakeven = {}
    for model, quality, sound, credits, rival in rows:
        if rival is None:
            print(f"{model:<26} {quality:<7} {sound:<5} {credits:>7}  "
                  f"{'(no other seller prices it)':<42} {'':>8}  wins at any credit value")
            continue
        usd_per_credit = Fraction(rival.usd) / Fraction(credits)  # exact
        per_usd = Fraction(credits) / Fraction(rival.usd)
        breakeven[model, quality, sound] = (usd_per_credit, rival)
        label = (Decimal(usd_per_credit.numerator) / Decimal(usd_per_credit.denominator)
                 ).quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)
        each = (Decimal(per_usd.numerator) / Decimal(per_usd.denominator)
                ).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        who = f"{rival.provider}/{rival.model}" + (" (inferred)" if rival.quote.basis ==
                                                   "inferred" else "")
        print(f"{model:<26} {quality:<7} {sound:<5} {credits:>7}  {who:<42} {rival.usd:>8}"
              f"  < {label} USD a credit (> {each} credits per USD)")
    """),
    code(r"""
    fig, ax = plt.subplots(figsize=(11, 5.2), layout="constrained")
    keys = sorted(breakeven, key=lambda k: breakeven[k][0])
    values = [breakeven[k][0] for k in keys]
    # float() only to draw the exact fractions
    bars = ax.barh([f"{model} ({quality}, sound {sound})" for model, quality, sound in keys],
                   [float(v * 1000) for v in values],
                   color=["#ffff99" if breakeven[k][1].quote.basis == "documented"
                          else "#fff3b0" for k in keys],
                   hatch=["" if breakeven[k][1].quote.basis == "documented" else "///"
                          for k in keys], edgecolor="0.4")
    for bar, value, key in zip(bars, values, keys, strict=True):
        mills = (Decimal(value.numerator * 1000) / Decimal(value.denominator)).quantize(
            Decimal("0.001"), rounding=ROUND_HALF_UP)
        ax.text(bar.get_width(), bar.get_y() + bar.get_height() / 2,
                f" {mills} (vs {breakeven[key][1].provider})", va="center", fontsize=9)
    ax.invert_yaxis()
    ax.set_xlabel("break-even value of one kling3api credit, in thousandths of a USD "
                  "(kling3api wins below it)")
    ax.set_xlim(right=float(max(values) * 1000) * 1.35)
    ax.legend(handles=[Patch(facecolor="#ffff99", edgecolor="0.4",
                             label="rival's price documented"),
                       Patch(facecolor="#fff3b0", edgecolor="0.4", hatch="///",
                             label="rival's price inferred")], loc="upper right")
    ax.set_title(f"kling3api: what a credit must cost for it to win ({SECONDS} s), per type",
                 loc="left")
    plt.show()
    modes = {}
    for (model, _, _), (value, _) in breakeven.items():
        mode = card.plan("kling3api", model).mode
        modes[mode] = min(modes.get(mode, value), value)
    for mode, value in sorted(modes.items()):
        low = (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
            Decimal("0.000001"), rounding=ROUND_HALF_UP)
        print(f"{mode}: kling3api wins every offered setting below {low} USD a credit")
    """),
]

# ------------------------------------------------------------------ 03 reconcile

RECONCILE: list[Cell] = [
    md(r"""
    # Reconcile a month of invoice lines

    A generated month of billing lines at the six sellers, priced by ratecard and then
    damaged on purpose (overcharges, undercharges, failed tasks charged, duplicates, a
    malformed line, an unknown model, a USD charge at kling3api), reconciled with
    `ratecard.reconcile`: what it finds, where, and the lines to dispute.

    Amounts are exact `Decimal`s from start to end; the chart draws only line counts.
    """, FOOTER),
    code(r"""
    %matplotlib inline
    import csv
    import io
    import random
    from collections import Counter, defaultdict
    from datetime import UTC, date, datetime
    from decimal import Decimal

    import matplotlib.pyplot as plt

    import ratecard
    from ratecard.reconcile import OK_STATUSES, STATUSES, reconcile
    from ratecard.reconcile.readers import read_csv
    """, PRICED_ON, r"""
    plt.rcParams.update({"figure.dpi": 90, "font.size": 9})
    """),
    md(r"""
    ## A month of jobs

    3,000 jobs in November 2026, each an offering of a seller drawn at random (fixed seed),
    a length the offering accepts, and the price `card.quote` gives on the job's day: the
    line a correct invoice would carry, in the columns `ratecard reconcile` reads.
    """),
    code(r'''
    SELLERS = ("comfy", "evolink", "fal", "kling3api", "krea", "modellix")
    # kling-official is the official price list, a reference card: no one bills from it
    HEADER = ["task_id", "provider", "model", "timestamp", "duration", "input_seconds",
              "quality", "sound", "charged", "currency", "status", "reserved"]
    rng = random.Random(202611)
    offerings = [row for row in card.offerings() if row.provider in SELLERS]


    def job():
        """One job, priced by ratecard on its day: the line a correct invoice carries."""
        while True:
            row = rng.choice(offerings)
            ran = datetime(2026, 11, rng.randint(1, 30), rng.randrange(24), rng.randrange(60),
                           rng.randrange(60), tzinfo=UTC)
            if row.mode == "video-edit":  # billed by the input video's length
                length = {"input_seconds": Decimal(rng.randint(30, 200)) / 10}
            else:
                length = {"duration": Decimal(rng.randint(3, 15))}
            try:
                q = card.quote(row.provider, row.model, quality=row.quality,
                               sound=row.sound == "on", at=ran.date(), **length)
            except ratecard.QuoteError:
                continue  # a length this offering does not accept (fal's O1: 3-10 s)
            failed = rng.random() < 0.03  # failed tasks happen, and are not charged
            return {
                "task_id": "", "provider": row.provider, "model": row.model,
                "timestamp": ran.isoformat().replace("+00:00", "Z"),
                "duration": str(length.get("duration", "")),
                "input_seconds": str(length.get("input_seconds", "")),
                "quality": row.quality, "sound": row.sound,
                "charged": "0" if failed else str(q.credits), "currency": q.currency,
                "status": "failed" if failed else "succeeded",
                # EvoLink holds the credits when a task starts: the hold equals the charge
                "reserved": str(q.credits) if row.provider == "evolink" and not failed else "",
            }


    jobs = sorted((job() for _ in range(3000)), key=lambda line: line["timestamp"])
    for number, line in enumerate(jobs, 1):
        line["task_id"] = f"task-{number:05d}"
    print(f"{len(jobs):,} jobs: " + ", ".join(
        f"{seller} {n}" for seller, n in sorted(Counter(j["provider"] for j in jobs).items())))
    print(f"failed (not charged): {sum(j['status'] == 'failed' for j in jobs)}")
    '''),
    md(r"""
    ## Damage, on purpose

    Each error is injected at known lines, and `want` records what reconciliation must say
    about every line, so the result can be checked line by line below.
    """),
    code(r'''
    want = ["MATCH"] * len(jobs)  # the status each job's line must get


    def pick(how_many, status, where=lambda line: True):
        """Damage how_many clean, succeeded jobs (those matching where): they must get status."""
        pool = [i for i, line in enumerate(jobs)
                if want[i] == "MATCH" and line["status"] == "succeeded" and where(line)]
        chosen = rng.sample(pool, how_many)
        for i in chosen:
            want[i] = status
        return [jobs[i] for i in chosen]


    def times(amount, factor):
        """An amount times a factor, to the amount's own decimals (exact)."""
        value = Decimal(amount)
        return str((value * Decimal(factor)).quantize(value))


    for line in pick(24, "OVERCHARGE"):
        line["charged"] = times(line["charged"], rng.choice(["1.1", "1.25", "1.5", "2"]))
    for line in pick(12, "UNDERCHARGE"):
        line["charged"] = times(line["charged"], rng.choice(["0.5", "0.8", "0.9"]))
    for line in pick(15, "CHARGED_FOR_FAILED"):
        line["status"] = "failed"  # failed, yet charged in full
    for line in pick(10, "ROUNDING_DIFF", lambda line: line["provider"] == "evolink"):
        # one unit of the card's 4th decimal: within the default tolerance
        line["charged"] = line["reserved"] = str(Decimal(line["charged"]) + Decimal("0.0001"))
    for line in pick(6, "RESERVED_NE_SETTLED", lambda line: line["provider"] == "evolink"):
        line["reserved"] = str(Decimal(line["charged"]) + Decimal("5.4"))
    for line in pick(3, "UNKNOWN_OFFERING", lambda line: "kling-v3-" in line["model"]):
        line["model"] = line["model"].replace("kling-v3-", "kling-v4-")  # no such model
    for line in pick(4, "UNPRICED_CURRENCY", lambda line: line["provider"] == "kling3api"):
        # billed in USD by a seller whose credit has no published USD value
        usd = (Decimal(line["charged"]) / 500).quantize(Decimal("0.01"))
        line["charged"], line["currency"] = str(usd), "USD"

    # duplicates: 12 lines billed a second time, later in the month; one line cut short
    later = defaultdict(list)  # job index -> extra lines written after it: (text, status)
    for line in pick(12, "MATCH"):
        index = jobs.index(line)
        later[rng.randrange(index, len(jobs))].append((dict(line), "DUPLICATE_TASK"))
    later[rng.randrange(len(jobs))].append((",".join(jobs[0][c] for c in HEADER[:5]),
                                            "INVALID_LINE"))

    out, expected = io.StringIO(), []
    writer = csv.DictWriter(out, HEADER, lineterminator="\n")
    writer.writeheader()
    for index, line in enumerate(jobs):
        writer.writerow(line)
        expected.append(want[index])
        for extra, status in later[index]:
            if isinstance(extra, dict):
                writer.writerow(extra)
            else:
                out.write(extra + "\n")  # a malformed line: 5 fields where there are 12
            expected.append(status)
    invoice = out.getvalue()

    print(f"{len(expected):,} invoice lines ({len(invoice):,} characters of CSV); injected:")
    for status, n in sorted(Counter(expected).items()):
        if status != "MATCH":
            print(f"  {status:<20} {n:>3}")
    print("\n" + "".join(invoice.splitlines(keepends=True)[:3]))
    '''),
    md(r"""
    ## Reconcile

    The CSV text goes through ratecard's reader (`ratecard.reconcile.readers.read_csv`, what
    `ratecard reconcile FILE` uses) into `ratecard.reconcile.reconcile`: one result per
    line, and a summary.
    """),
    code(r"""
    results, summary = reconcile(card, read_csv(io.StringIO(invoice), "november.csv"))

    print(f"{summary.total.lines:,} lines, {summary.discrepancies} discrepancies")
    for status in STATUSES:
        if status in summary.by_status:
            print(f"  {status:<20} {summary.by_status[status]:>5}")

    found = Counter(zip(expected, (r.status for r in results), strict=True))
    print(f"\n{'injected':<20} {'found':<20} {'lines':>5}")
    for (injected, status), n in sorted(found.items()):
        print(f"{injected:<20} {status:<20} {n:>5}" + ("" if injected == status else "  <-"))
    assert all(injected == status for injected, status in found), "reconcile missed something"
    print("every injected error found, and nothing else")
    """),
    md(r"""
    Totals are conserved: every input line is in the summary once, and so is every amount
    charged, in its own unit: USD, or one seller's credits (`credits@evolink`: a credit of
    one seller is not a credit of another, so credits are never added across sellers).
    The input's totals are counted here with the `csv` module, not with ratecard.
    """),
    code(r"""
    lines_in, charged_in = 0, defaultdict(Decimal)
    for row in csv.DictReader(io.StringIO(invoice)):
        lines_in += 1
        if row["charged"]:  # None on the line cut short: it has no charged field
            unit = "USD" if row["currency"] == "USD" else f"credits@{row['provider']}"
            charged_in[unit] += Decimal(row["charged"])

    total = summary.total
    print(f"lines:   input {lines_in:,}, summary {total.lines:,}")
    for unit in sorted(charged_in):
        print(f"charged: input {charged_in[unit]} {unit}, summary {total.charged[unit]} {unit}")
    assert total.lines == lines_in == len(results)
    assert total.charged == charged_in
    print("totals conserved")
    """),
    md(r"""
    ## Discrepancies by seller and status
    """),
    code(r"""
    STATUS_COLORS = {
        "OVERCHARGE": "#e31a1c", "CHARGED_FOR_FAILED": "#fb9a99", "DUPLICATE_TASK": "#ff7f00",
        "UNDERCHARGE": "#1f78b4", "RESERVED_NE_SETTLED": "#a6cee3",
        "UNKNOWN_OFFERING": "#6a3d9a", "UNPRICED_CURRENCY": "#cab2d6",
        "UNPRICED_DATE": "#b15928", "INVALID_LINE": "#666666",
    }
    problems = Counter((r.provider or "(unreadable)", r.status)
                       for r in results if r.status not in OK_STATUSES)
    sellers = sorted({seller for seller, _ in problems}, key=lambda s: (s.startswith("("), s))
    fig, ax = plt.subplots(figsize=(9, 4), layout="constrained")
    bottom = [0] * len(sellers)
    for status, color in STATUS_COLORS.items():  # the claims first, at the foot of each bar
        heights = [problems[seller, status] for seller in sellers]
        if any(heights):
            ax.bar(sellers, heights, bottom=bottom, label=status, color=color)
            bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
    for x, n in enumerate(bottom):
        ax.text(x, n, str(n), ha="center", va="bottom")
    ax.set_ylim(0, max(bottom) * 1.1)  # room for the totals
    ax.set_ylabel("lines")
    ax.set_title(f"Discrepancies by seller and status: {sum(bottom)} of "
                 f"{summary.total.lines:,} lines, November 2026", loc="left")
    handles, labels = ax.get_legend_handles_labels()
    ax.legend(handles[::-1], labels[::-1], fontsize=8, loc="upper left", bbox_to_anchor=(1, 1))
    plt.show()

    for seller in sellers:
        print(f"{seller:<13} " + ", ".join(f"{status} {problems[seller, status]}"
                                           for status in STATUS_COLORS
                                           if problems[seller, status]))
    """),
    md(r"""
    ## The lines to dispute

    Overcharges, failed tasks that were charged, and tasks billed twice: the seller billed
    more than its own price list says. The claim is the difference, or the whole second
    charge of a duplicate.
    """),
    code(r"""
    DISPUTE = ("OVERCHARGE", "CHARGED_FOR_FAILED", "DUPLICATE_TASK")


    def text(value):
        return "" if value is None else str(value)


    def table(rows):
        print(f"{'task':<10} {'seller':<9} {'status':<19} {'expected':>10} {'charged':>10} "
              f"{'difference':>10} {'currency':<8} reason")
        for r in rows:
            print(f"{text(r.task_id):<10} {text(r.provider):<9} {r.status:<19} "
                  f"{text(r.expected):>10} {text(r.charged):>10} {text(r.difference):>10} "
                  f"{text(r.currency):<8} {r.reason}")


    disputes = sorted((r for r in results if r.status in DISPUTE),
                      key=lambda r: (r.provider, r.status, r.task_id))
    table(disputes)

    claims = defaultdict(Decimal)
    for r in disputes:
        # a duplicate's claim is its whole second charge; otherwise the difference
        claims[r.provider, r.currency] += (r.charged if r.status == "DUPLICATE_TASK"
                                           else r.difference)
    print(f"\n{len(disputes)} lines to dispute; claim per seller:")
    for (seller, currency), amount in sorted(claims.items()):
        print(f"  {seller:<10} {amount} {currency}")
    """),
    md(r"""
    The other discrepancies are not claims but need a look: undercharges (expect a
    correction), holds that differ from the charge, and lines ratecard cannot price (an
    unknown model, a USD charge where a credit has no known USD value, an unreadable line).
    """),
    code(r"""
    table(sorted((r for r in results if r.status not in OK_STATUSES and r.status not in DISPUTE),
                 key=lambda r: (r.status, r.line)))
    """),
]

# ------------------------------------------------------------------ 04 gateway routing

GATEWAY_ROUTING: list[Cell] = [
    md(r"""
    # Gateway routing: translate the body, fail over on what you observe

    A video gateway holds one provider's native body. To send the job elsewhere it must
    rewrite that body in the other provider's dialect, and it must know, from what it has
    seen in the last minutes, which sellers are failing. This notebook shows ratecard doing
    both:

    1. a body translated from EvoLink's dialect to kling3api's, priced there, with what
       changed; and a request the target cannot express, refused with every reason;
    2. what each dialect's body can carry, and from which source document;
    3. `card.route_payload(body, ...)` with a `Health` fed with failures: the fallback
       chain, each step with the body to send;
    4. a seeded gateway simulation (`bench/gateway_sim.py`): routing with health against
       routing that ignores it, and against an oracle that knew the outages in advance.
       The notebook runs about 28,000 requests (under five hours of traffic); the benchmark
       runs a million (`python bench/gateway_sim.py`).

    EvoLink and kling3api have request formats ratecard can cite (the seeds), and fal for
    the endpoints whose published input schema ratecard has read: the other sellers are
    priced, and said `NO_DIALECT` when a body is needed. The simulation models EvoLink and
    kling3api only.
    """, FOOTER),
    code(r"""
    %matplotlib inline
    import sys
    from datetime import date
    from decimal import Decimal

    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    import ratecard
    from ratecard import Health, TranslationError
    from ratecard.payloads.dialects import DIALECTS
    from ratecard.payloads.translate import dumps
    """, PRICED_ON, r"""
    plt.rcParams.update({"figure.dpi": 100, "font.size": 10})
    """),
    md(r"""
    ## Translate a body

    Seed 001's first-frame example, at 1080p with sound, rewritten for kling3api: the pro
    type (pro renders 1080p), sound as a boolean, the first frame as `image`. The quote is
    kling3api's (80 credits a second with audio, seed 003), computed by the same pipeline
    as `quote_payload`. What had to change is said, never done silently.
    """),
    code(r"""
    body = {"model": "kling-v3-image-to-video", "prompt": "A gentle breeze moves through the scene",
            "image_start": "https://example.com/portrait.jpg", "duration": 10, "quality": "1080p",
            "sound": "on", "callback_url": "https://hooks.example.com/done"}
    t = card.translate(body, source="evolink", target="kling3api")
    print("kling3api body:", dumps(t.body))
    print(f"priced there: {t.quote.credits} {t.quote.currency} (USD: {t.quote.usd}, kling3api "
          "publishes no credit value)")
    for warning in t.warnings:
        print("changed:", warning)

    back = card.translate(t.body, source="kling3api", target="evolink")
    print("\nand back to EvoLink:", dumps(back.body))
    print(f"priced there: {back.quote.credits} credits = {back.quote.usd} USD")
    """),
    md(r"""
    A request the target cannot express is refused with every reason: here, subject
    elements and multi-shot (a kling3api body has no field for either) and the missing
    prompt kling3api requires. Nothing is dropped to make it fit.
    """),
    code(r"""
    shots = {"model": "kling-v3-image-to-video", "image_start": "https://example.com/a.jpg",
             "duration": 10, "model_params": {
                 "multi_shot": True, "shot_type": "customize",
                 "multi_prompt": [{"index": 1, "prompt": "wide", "duration": "4"},
                                  {"index": 2, "prompt": "close", "duration": "6"}],
                 "element_list": [{"element_id": "123456"}]}}
    try:
        card.translate(shots, source="evolink", target="kling3api")
    except TranslationError as refused:
        for v in refused.violations:
            print(f"{v.code:<15} {v.path:<27} {v.message}")
    """),
    md(r"""
    ## What each dialect's body can carry

    Every field a dialect writes has a place declared in its module, citing the seed that
    documents it (by model, mode or family). A field written for a model whose API
    reference does not document it is marked inferred in the translation
    (`Translation.inferred`); an input with no place at all is either refused or, for a
    delivery setting (callback, watermark, cfg_scale, keep the input's audio), left out
    with a warning.
    """),
    code(r"""
    inputs = ["prompt", "negative_prompt", "first_frame", "end_frame", "reference_images",
              "video", "duration", "quality", "sound", "aspect_ratio", "cfg_scale",
              "keep_original_sound", "callback_url", "multi_shot", "shots", "elements",
              "watermark"]
    print(f"{'canonical input':<20} {'EvoLink (seeds 000, 001, 002, 004)':<38} "
          "kling3api (seed 003)")
    for name in inputs:
        cells = []
        for provider in ("evolink", "kling3api"):
            places = [p for p in DIALECTS[provider].places if p.input == name]
            paths = sorted({p.path for p in places})
            cells.append(", ".join(paths) if paths else "-")
        print(f"{name:<20} {cells[0]:<38} {cells[1]}")
    """),
    md(r"""
    ## Route the body, with what was observed

    A `Health` keeps a circuit per seller and model, fed with outcomes. Here five
    failures of EvoLink's Kling 3.0 image to video within the window open its circuit: the
    route excludes it as `UNHEALTHY`, with when it may be retried, and the chain starts at
    kling3api, with its translated body (kling3api's credit value is supplied: 500 per
    USD, an assumption), then fal, with its body written from fal's input schema. Sellers
    ratecard can price but not write a body for are kept,
    with their price, as `NO_DIALECT`.
    """),
    code(r"""
    now = [0.0]
    health = Health(ratecard.load_health_policy(), clock=lambda: now[0])
    for second in range(5):
        health.record("evolink", "kling-v3-image-to-video", "failed", latency=3, at=second)
    now[0] = 10.0
    priced = card.with_credit_value("kling3api", 500)
    plain_body = {k: v for k, v in body.items() if k != "callback_url"}
    route = priced.route_payload(plain_body, source="evolink", health=health)
    for rank, step in enumerate(route.chain, 1):
        print(f"{rank}. {step.provider}/{step.model}: {step.usd} USD, body {dumps(step.body)}")
    print()
    for e in route.exclusions:
        when = "" if e.retry_at is None else f" (retry at t={e.retry_at:g} s)"
        print(f"{e.provider:<15} {e.model or '(all)':<36} {e.code}{when}")
    """),
    md(r"""
    ## A simulated gateway

    `bench/gateway_sim.py` sends a Poisson stream of bodies (1.65 a second, in EvoLink's and
    kling3api's dialects) through three ways of routing, with the same requests and the same
    luck: `route_payload` with a `Health` fed with every outcome (the built-in policy),
    `route_payload` ignoring health, and an oracle that knew the outage schedule in advance.
    Sellers fail at random (1 to 2 % of attempts) and on a schedule: down (quick errors,
    nothing billed) or degraded (jobs hang; the gateway gives up after 300 s, and the seller
    bills the job when it finishes). Clients wait at most 480 s. Every figure here is the
    simulation's assumption, documented in its module.
    """),
    code(r"""
    sys.path.insert(0, "../bench")
    import gateway_sim

    result = gateway_sim.simulate(28_000, seed=7)
    tallies = result["tallies"]
    oracle = tallies["oracle"]
    print(f"{result['requests']:,} requests over {result['seconds_simulated'] / 3600:.1f} h, "
          f"{len(result['outages'])} outages")
    print(f"{'routing':<14}{'success':>9}{'late':>6}{'unserved':>9}{'spend USD':>11}"
          f"{'wasted USD':>11}{'USD/success':>12}{'vs oracle':>10}")
    for name in ("health-aware", "health-blind", "oracle"):
        t = tallies[name]
        per = (t.spend / t.succeeded).quantize(Decimal("0.0001"))
        print(f"{name:<14}{t.success_rate:>9.2%}{t.late:>6}{t.unserved:>9}{t.spend:>11.2f}"
              f"{t.wasted:>11.2f}{per:>12}{gateway_sim.gap(t, oracle):>+10.1%}")
    """),
    md(r"""
    Success over time, per 10 minutes of arrivals, with the outages shaded. Routing that
    ignores health sends every job first to the cheapest seller even while it hangs: those
    clients wait 300 s before failing over and many miss their deadline, and the seller
    bills the hung jobs anyway. With health, a few failures open the circuit and the next
    jobs go straight to the other seller; a single probe, after each cool-down, finds out
    when the seller is back.
    """),
    code(r"""
    fig, (ax, bars) = plt.subplots(2, 1, figsize=(12, 7.5), layout="constrained",
                                   height_ratios=(3, 2))
    colors = {"health-aware": "#1f78b4", "health-blind": "#e31a1c", "oracle": "#33a02c"}
    for name, color in colors.items():
        buckets = sorted(tallies[name].by_bucket.items())
        hours = [b * gateway_sim.BUCKET / 3600 for b, _ in buckets]
        rates = [ok / total for _, (total, ok) in buckets]
        ax.plot(hours, rates, label=name, color=color, linewidth=1.6)
    shade = {"down": "#bbbbbb", "degraded": "#fdd49e"}
    windows = {}  # outages over the same span, labelled once
    for outage in result["outages"]:
        what = outage["seller"] + ("" if outage["model"] is None else f"\n{outage['model']}")
        windows.setdefault((outage["start"], outage["end"], outage["kind"]), []).append(what)
    for (start, end, kind), what in windows.items():
        ax.axvspan(start / 3600, end / 3600, color=shade[kind], alpha=0.5, linewidth=0)
        ax.text(start / 3600, 0.02, "\n".join([*what, kind]), fontsize=7, va="bottom")
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("hours since start")
    ax.set_ylabel("requests served in time")
    handles, _ = ax.get_legend_handles_labels()
    handles += [Patch(color=c, alpha=0.5, label=k) for k, c in shade.items()]
    ax.legend(handles=handles, loc="lower right", fontsize=8)
    ax.set_title("Success per 10 minutes of arrivals", loc="left")

    names = list(colors)
    spent = [float(tallies[n].spend - tallies[n].wasted) for n in names]  # drawing only
    wasted = [float(tallies[n].wasted) for n in names]
    bars.barh(names, spent, color=[colors[n] for n in names], label="billed for videos delivered")
    bars.barh(names, wasted, left=spent, color="#fb9a99", label="billed, not delivered")
    for y, name in enumerate(names):
        t = tallies[name]
        bars.text(float(t.spend), y, f"  {t.spend:.0f} USD, {t.success_rate:.1%} served",
                  va="center", fontsize=9)
    bars.set_xlim(0, max(spent[i] + wasted[i] for i in range(3)) * 1.6)
    bars.set_xlabel("USD")
    bars.legend(loc="lower right", fontsize=8)
    bars.set_title("What was spent", loc="left")
    plt.show()
    """),
    md(r"""
    The full run, a million requests over about a week with a seeded outage schedule,
    is `python bench/gateway_sim.py`; its figures are in the README. What health does not
    fix: a job only one seller can take (Kling O1, subject elements, multi-shot, an O3
    body with kling3api's default sound on) has nowhere else to go while that seller is
    failing; the simulated gateway then tries it anyway rather than refuse the client.
    """),
]

# ------------------------------------------------------------------ 05 what would it have cost

WHAT_IF: list[Cell] = [
    md(r"""
    # What would it have cost?

    A generated month of usage at the six sellers, re-rated with `ratecard.whatif`: where
    the money went, what the same jobs would have cost at each single seller, what routing
    every job to the cheapest seller that can serve it would have saved (a waterfall by
    model), and what one price change does to that month.

    kling3api publishes no USD value of its credit; this notebook assumes 500 credits per
    USD (`with_credit_value`), so that its jobs can be compared. Amounts are exact
    `Decimal`s; floats appear only where values are handed to matplotlib.
    """, FOOTER),
    code(r"""
    %matplotlib inline
    import csv
    import io
    import random
    import tempfile
    from datetime import UTC, date, datetime
    from decimal import Decimal
    from pathlib import Path

    import matplotlib.pyplot as plt

    import ratecard
    from ratecard.whatif import Savings, lines_from_text, whatif
    from ratecard.whatif.diff import diff
    """, PRICED_ON, r"""
    card = card.with_credit_value("kling3api", "500")  # an assumption: kling3api gives none
    plt.rcParams.update({"figure.dpi": 90, "font.size": 9})
    """),
    md(r"""
    ## A month of jobs

    3,000 jobs in November 2026, each an offering of a seller drawn at random (fixed seed;
    EvoLink and kling3api, the two gateways the seeds document, get most of them), a
    length the offering accepts, charged what `card.quote` gives on the job's day.
    """),
    code(r'''
    SELLERS = {"evolink": 4, "kling3api": 3, "fal": 1, "krea": 1, "comfy": 1, "modellix": 1}
    HEADER = ["task_id", "provider", "model", "timestamp", "duration", "input_seconds",
              "quality", "sound", "charged", "currency", "status"]
    rng = random.Random(202611)
    offerings = [row for row in card.offerings() if row.provider in SELLERS]
    weights = [SELLERS[row.provider] / sum(r.provider == row.provider for r in offerings)
               for row in offerings]


    def job(number):
        """One job, priced by ratecard on its day: the line a correct invoice carries."""
        while True:
            row = rng.choices(offerings, weights)[0]
            ran = datetime(2026, 11, rng.randint(1, 30), rng.randrange(24), tzinfo=UTC)
            if row.mode == "video-edit":  # billed by the input video's length
                length = {"input_seconds": Decimal(rng.randint(30, 100)) / 10}
            else:
                length = {"duration": Decimal(rng.choice([5, 5, 5, 10, 10, 15]))}
            try:
                q = card.quote(row.provider, row.model, quality=row.quality,
                               sound=row.sound == "on", at=ran.date(), **length)
            except ratecard.QuoteError:
                continue  # a length this offering does not accept
            return [f"job-{number:05d}", row.provider, row.model,
                    ran.isoformat().replace("+00:00", "Z"), str(length.get("duration", "")),
                    str(length.get("input_seconds", "")), row.quality, row.sound,
                    str(q.credits), q.currency, "succeeded"]


    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    writer.writerows(job(n) for n in range(1, 3001))
    usage = out.getvalue()
    results, summary = whatif(card, lines_from_text(usage, "november.csv"))
    print(f"{summary.lines:,} lines: " + ", ".join(
        f"{status} {n}" for status, n in summary.by_status.items()))
    '''),
    md(r"""
    ## Where the money went

    What the lines say was charged, per currency (two sellers' credits are different
    currencies and are never added), and the same jobs at the cards' prices in USD, by the
    seller each went to.
    """),
    code(r'''
    for currency, amount in sorted(summary.charged.items()):
        print(f"charged  {amount:>14} {currency}")
    went = sorted(summary.by_seller.items(), key=lambda item: -item[1].actual_usd)
    for seller, group in went:
        print(f"{seller:<10} {group.lines:>5} jobs  {group.actual_usd:>12} USD")
    print(f"{'total':<10} {summary.policy.lines:>5} jobs  {summary.policy.actual_usd:>12} USD")

    fig, ax = plt.subplots(figsize=(6, 2.6))
    ax.barh([s for s, _ in went][::-1], [float(g.actual_usd) for _, g in went][::-1],
            color="#4c72b0")
    ax.set_xlabel("USD at the cards' prices, November 2026")
    ax.set_title("Where the money went")
    plt.tight_layout()
    plt.show()
    '''),
    md(r"""
    ## Everything to one seller

    Had every job gone to one seller: what the jobs that seller can serve would have cost
    there, against what those same jobs cost where they went, and how many it cannot serve
    (and why).
    """),
    code(r'''
    for seller, t in summary.sellers.items():
        s = t.served
        why = ", ".join(f"{code} {n}" for code, n in sorted(t.not_served.items()))
        print(f"{seller + (' (reference)' if t.reference else ''):<27} serves {s.lines:>5}: "
              f"{s.cheapest_usd:>11} USD there vs {s.actual_usd:>11} where they went"
              + (f"; cannot serve {sum(t.not_served.values())} ({why})" if why else ""))
    '''),
    md(r"""
    ## The cheapest-route policy

    Each job sent to the head of its route: the cheapest seller that can serve exactly
    that job (same family, mode, quality, sound and length; reference cards never). The
    waterfall starts from what the month cost and takes away what each model family would
    have saved.
    """),
    code(r'''
    p = summary.policy
    print(f"actual {p.actual_usd} USD -> cheapest route {p.cheapest_usd} USD: saving "
          f"{p.saving_usd} USD ({p.saving_usd * 100 / p.actual_usd:.1f} %)")
    for family, g in sorted(summary.by_model.items()):
        print(f"  {family:<16} {g.lines:>5} jobs  saving {g.saving_usd:>10} USD")
    for seller, g in sorted(summary.to_seller.items()):
        print(f"  routed to {seller:<9} {g.lines:>5} jobs")

    steps = sorted(summary.by_model.items(), key=lambda item: -item[1].saving_usd)
    labels = ["actual"] + [family for family, _ in steps] + ["cheapest route"]
    level, bottoms, heights, colors = p.actual_usd, [0.0], [float(p.actual_usd)], ["#4c72b0"]
    for _, g in steps:
        level -= g.saving_usd
        bottoms.append(float(level))
        heights.append(float(g.saving_usd))
        colors.append("#55a868")
    assert level == p.cheapest_usd  # the savings add up exactly
    bottoms.append(0.0)
    heights.append(float(p.cheapest_usd))
    colors.append("#4c72b0")
    fig, ax = plt.subplots(figsize=(6.5, 3))
    ax.bar(labels, heights, bottom=bottoms, color=colors)
    ax.set_ylabel("USD")
    ax.set_title("November 2026: the saving of the cheapest route, by model")
    plt.tight_layout()
    plt.show()
    '''),
    md(r"""
    ## One price change

    Suppose EvoLink's credit became dearer: 60 credits to the dollar instead of 72 (every
    EvoLink price up by a fifth in USD). `diff` says which offerings change and by how
    much, and what the month would have cost at the seller each job went to; re-rating the
    month under the new cards says what the cheapest route would save then.
    """),
    code(r'''
    evolink = Path(card.files["evolink"])
    folder = Path(tempfile.mkdtemp())
    (folder / "evolink.yaml").write_text(
        evolink.read_text().replace("credits_per_usd: 72", "credits_per_usd: 60"))
    dearer = ratecard.load(folder / "evolink.yaml", today=PRICED_ON) \
        .with_credit_value("kling3api", "500")

    change = diff(card, dearer, usage=lines_from_text(usage, "november.csv"))
    print(f"{len(change.changed)} offering x quality x sound repriced, "
          f"{change.unchanged} unchanged")
    c = next(c for c in change.changed if (c.model, c.quality, c.sound)
             == ("kling-v3-image-to-video", "1080p", "on"))
    print(f"e.g. {c.provider}/{c.model} 1080p with sound: {c.usd_before} -> {c.usd_after} "
          f"USD/s; a {change.seconds} s clip {c.clip_before} -> {c.clip_after} USD")
    u = change.usage
    print(f"the month where each job went: {u.usd_before} -> {u.usd_after} USD "
          f"({u.usd_delta:+} USD)")

    _, after = whatif(dearer, lines_from_text(usage, "november.csv"))
    print(f"cheapest route: {summary.policy.cheapest_usd} -> {after.policy.cheapest_usd} USD")
    print(f"routed to evolink: {summary.to_seller['evolink'].lines} -> "
          f"{after.to_seller.get('evolink', Savings()).lines} jobs")
    '''),
]


NOTEBOOKS: dict[str, list[Cell]] = {
    "01-quote-and-compare": QUOTE_AND_COMPARE,
    "02-cheapest-route": CHEAPEST_ROUTE,
    "03-reconcile": RECONCILE,
    "04-gateway-routing": GATEWAY_ROUTING,
    "05-what-if": WHAT_IF,
}
"""Every notebook, by file name (without .ipynb), in order."""


def build(name: str) -> Any:
    """The notebook ``name`` with its cells and no outputs (an nbformat NotebookNode)."""
    cells = []
    for number, (kind, source, tags) in enumerate(NOTEBOOKS[name], 1):
        metadata = {"tags": list(tags)} if tags else {}
        make = nbformat.v4.new_code_cell if kind == "code" else nbformat.v4.new_markdown_cell
        # nbformat is not annotated; stable cell ids keep rebuilds' diffs small
        cells.append(make(source, id=f"cell-{number:02d}",  # type: ignore[no-untyped-call]
                          metadata=metadata))
    nb = nbformat.v4.new_notebook(cells=cells)  # type: ignore[no-untyped-call]
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python",
                                 "name": "python3"}
    return nb


def kernel_env() -> dict[str, str]:
    """The kernel's environment: this checkout's ``src`` first on the path, no display."""
    env = dict(os.environ)
    src = str(ROOT / "src")
    env["PYTHONPATH"] = os.pathsep.join(p for p in (src, env.get("PYTHONPATH")) if p)
    env.setdefault("MPLBACKEND", "Agg")  # the notebooks draw inline (%matplotlib inline)
    return env


def execute(nb: Any, timeout: int = TIMEOUT) -> Any:
    """Run every cell of ``nb`` in a fresh python3 kernel, in place; raise on any error."""
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", record_timing=False,
                            resources={"metadata": {"path": str(HERE)}})
    client.execute(env=kernel_env())
    merge_streams(nb)
    return nb


def merge_streams(nb: Any) -> None:
    """Join consecutive outputs of one stream, in place: the kernel flushes at arbitrary
    points, and the saved notebook must not depend on where."""
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        merged: list[Any] = []
        for output in cell.outputs:
            last = merged[-1] if merged else None
            if (output.output_type == "stream" and last is not None
                    and last.output_type == "stream" and last.name == output.name):
                last.text += output.text
            else:
                merged.append(output)
        cell.outputs = merged


def printed(nb: Any) -> list[str]:
    """What each code cell printed on stdout or returned as text (no images, no stderr)."""
    texts = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        parts = []
        for output in cell.get("outputs", []):
            if output.output_type == "stream" and output.name == "stdout":
                parts.append(output.text)
            elif output.output_type == "execute_result":
                parts.append(output.data.get("text/plain", ""))
        texts.append("".join(parts))
    return texts


def figure(nb: Any, tag: str = FIGURE_TAG) -> bytes:
    """The PNG drawn by the first cell tagged ``tag``."""
    for cell in nb.cells:
        if tag in cell.metadata.get("tags", []):
            for output in cell.get("outputs", []):
                png = output.get("data", {}).get("image/png")
                if png:
                    return base64.b64decode(png)
    raise LookupError(f"no cell tagged {tag!r} drew an image")


def path_of(name: str) -> Path:
    return HERE / f"{name}.ipynb"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("names", nargs="*", metavar="PREFIX",
                        help="build only the notebooks whose names start with these")
    args = parser.parse_args(argv)
    chosen = [name for name in NOTEBOOKS
              if not args.names or any(name.startswith(p) for p in args.names)]
    if not chosen:
        parser.error(f"no notebook starts with {', '.join(args.names)}; "
                     f"notebooks: {', '.join(NOTEBOOKS)}")
    for name in chosen:
        start = time.perf_counter()
        nb = execute(build(name))
        nbformat.validate(nb)
        nbformat.write(nb, path_of(name))  # type: ignore[no-untyped-call]
        print(f"{path_of(name).relative_to(ROOT)}: {len(nb.cells)} cells, executed in "
              f"{time.perf_counter() - start:.1f} s")
        if name == FIGURE_NOTEBOOK:
            FIGURE.parent.mkdir(exist_ok=True)
            FIGURE.write_bytes(figure(nb))
            print(f"{FIGURE.relative_to(ROOT)}: {FIGURE.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
