#!/usr/bin/python3
"""plot_sort_scaling.py -- the distributed sample sort's scaling experiment.

Reads the CSV written by

    faultline experiment sort-scaling [--trials N] --out notebooks-data

(columns: workers, keys, seed, completion_ms, messages, bytes, max_bucket,
imbalance) and writes a PNG with four panels against the number of workers:
simulated completion time, messages sent, bytes sent per key, and load
imbalance (largest bucket / mean bucket). One line per input size through
the mean of the trials; each trial is a dot. Every log axis labels its
ticks (2, 4, ... 64 workers; 1, 2, 5 x 10^k on the y axes). The number of
messages does not depend on the number of keys, so those curves would lie
on top of each other: each input size gets its own marker and line style
and a small sideways offset, so all of them stay visible.

usage: plot_sort_scaling.py [CSV [PNG]]
       (default: sort-scaling.csv -> sort-scaling.png beside this script)

Needs Debian's python3-matplotlib (apt-get install python3-matplotlib).
"""
import csv
import os
import sys
from collections import defaultdict

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib import ticker  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402


PANELS = [
    ("completion_ms", "simulated completion time (ms)", True, "time to sort"),
    ("messages", "messages sent (count)", True, "messages (independent of the input size)"),
    ("bytes_per_key", "bytes sent per key (B)", False, "network bytes per key"),
    ("imbalance", "largest bucket / mean bucket (ratio)", False, "load imbalance"),
]
STYLES = [("o", "-"), ("s", "--"), ("^", ":"), ("D", "-.")]


def read(src):
    rows = defaultdict(list)
    with open(src, newline="") as f:
        for r in csv.DictReader(f):
            r = dict(r)
            r["bytes_per_key"] = float(r["bytes"]) / float(r["keys"])
            rows[int(r["keys"])].append(r)
    return rows


def log_ticks(ax, axis):
    loc = ticker.LogLocator(base=10, subs=(1.0, 2.0, 5.0))
    fmt = ticker.FuncFormatter(lambda v, _: f"{v:g}")
    getattr(ax, axis + "axis").set_major_locator(loc)
    getattr(ax, axis + "axis").set_major_formatter(fmt)
    getattr(ax, axis + "axis").set_minor_formatter(ticker.NullFormatter())


def draw(ax, rows, col, logy, trials):
    sizes = sorted(rows)
    for i, keys in enumerate(sizes):
        by_w = defaultdict(list)
        for r in rows[keys]:
            by_w[int(r["workers"])].append(float(r[col]))
        ws = sorted(by_w)
        # a sideways nudge (x 2^(+-0.06)) so coinciding curves stay visible
        nudge = 2 ** (0.06 * (i - (len(sizes) - 1) / 2))
        means = [sum(by_w[w]) / len(by_w[w]) for w in ws]
        marker, style = STYLES[i % len(STYLES)]
        line, = ax.plot([w * nudge for w in ws], means, marker=marker, linestyle=style,
                        markersize=5, label=f"{keys:,} keys")
        for w in ws:
            ax.scatter([w * nudge] * len(by_w[w]), by_w[w], s=9, color=line.get_color(),
                       alpha=0.45, linewidths=0)
    ax.set_xscale("log", base=2)
    ax.xaxis.set_major_locator(ticker.FixedLocator([2, 4, 8, 16, 32, 64]))
    ax.xaxis.set_major_formatter(ticker.FixedFormatter(["2", "4", "8", "16", "32", "64"]))
    ax.xaxis.set_minor_locator(ticker.NullLocator())
    if logy:
        ax.set_yscale("log")
        log_ticks(ax, "y")
    ax.set_xlabel("workers (count, log scale)")
    ax.grid(True, which="both", alpha=0.3)
    handles, labels = ax.get_legend_handles_labels()
    handles += [Line2D([], [], color="k", marker="o", linestyle="-"),
                Line2D([], [], color="k", marker="o", linestyle="none", markersize=3, alpha=0.5)]
    labels += [f"line: mean of {trials} trials", "dot: one trial"]
    ax.legend(handles, labels, fontsize=7)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    src = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "sort-scaling.csv")
    dst = sys.argv[2] if len(sys.argv) > 2 else os.path.join(here, "sort-scaling.png")
    rows = read(src)
    trials = max(len({r["seed"] for r in v}) for v in rows.values())
    fig, axes = plt.subplots(2, 2, figsize=(13, 9))
    for ax, (col, label, logy, title) in zip(axes.flat, PANELS):
        draw(ax, rows, col, logy, trials)
        ax.set_ylabel(label)
        ax.set_title(title, fontsize=10)
    imb = axes.flat[3]
    imb.axhline(1.0, color="grey", lw=0.8)
    imb.axhline(2.0, color="red", lw=0.8, ls="--")
    imb.text(2, 2.02, "sort.balance bound (2x the mean)", color="red", fontsize=8, va="bottom")
    fig.suptitle("Distributed sample sort: 2-64 workers, 10^4-10^6 keys, no faults, LAN "
                 "(~0.5 ms one way), local sort m log2 m x 5 ns (faultline)", fontsize=11)
    fig.tight_layout()
    fig.savefig(dst, dpi=100, metadata={"Software": None})
    print(f"wrote {dst}")


if __name__ == "__main__":
    main()
