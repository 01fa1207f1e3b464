#!/usr/bin/python3
"""plot_sort_scaling.py -- the distributed sample sort's scaling experiment.

Reads the CSV written by

    faultline experiment sort-scaling [--trials N] --out notebooks-data

(columns: workers, keys, seed, completion_ms, messages, bytes, max_bucket,
imbalance) and writes a PNG with three panels against the number of
workers: simulated completion time, messages sent, and load imbalance
(largest bucket / mean bucket). One line per input size, through the mean
of the trials; the trials themselves are the dots.

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


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    src = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "sort-scaling.csv")
    dst = sys.argv[2] if len(sys.argv) > 2 else os.path.join(here, "sort-scaling.png")
    rows = defaultdict(list)
    with open(src, newline="") as f:
        for r in csv.DictReader(f):
            rows[int(r["keys"])].append(r)
    panels = [
        ("completion_ms", "simulated completion time (ms)", True),
        ("messages", "messages sent", True),
        ("imbalance", "largest bucket / mean bucket", False),
    ]
    fig, axes = plt.subplots(1, 3, figsize=(15, 4.5))
    for ax, (col, label, logy) in zip(axes, panels):
        for keys in sorted(rows):
            by_w = defaultdict(list)
            for r in rows[keys]:
                by_w[int(r["workers"])].append(float(r[col]))
            ws = sorted(by_w)
            means = [sum(by_w[w]) / len(by_w[w]) for w in ws]
            line, = ax.plot(ws, means, marker="o", label=f"{keys:,} keys")
            for w in ws:
                ax.scatter([w] * len(by_w[w]), by_w[w], s=8, color=line.get_color(),
                           alpha=0.5)
        ax.set_xscale("log", base=2)
        if logy:
            ax.set_yscale("log")
        ax.set_xlabel("workers")
        ax.set_ylabel(label)
        ax.grid(True, which="both", alpha=0.3)
        ax.legend()
    axes[2].axhline(1.0, color="grey", lw=0.8)
    axes[2].axhline(2.0, color="red", lw=0.8, ls="--")
    axes[2].text(2, 2.02, "sort.balance bound", color="red", fontsize=8, va="bottom")
    fig.suptitle("faultline: distributed sample sort, no faults, LAN latency "
                 "(~0.5 ms), local sort m log2 m x 5 ns")
    fig.tight_layout()
    fig.savefig(dst, dpi=100)
    print(f"wrote {dst}")


if __name__ == "__main__":
    main()
