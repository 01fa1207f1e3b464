#!/usr/bin/python3
"""plot_raft_election.py -- CDFs of the Raft leader-election experiment in two
panels, like Figure 16 of the Raft paper (Ongaro & Ousterhout 2014, 9.3).

Reads the per-trial CSV written by

    faultline experiment raft-election [--network paper|lan] --out notebooks-data

(columns: range, trial, seed, time_to_leader_ms, capped) and writes a PNG.
Top panel: randomness added to a 150 ms minimum; bottom panel: the minimum
scaled. Trials that hit the 10 s cap are kept at 10 s, so a curve that ends
below 100 % says how many were capped.

usage: plot_raft_election.py [CSV [PNG]]
       (default: raft-election.csv -> raft-election.png beside this script)

Needs Debian's python3-matplotlib (apt-get install python3-matplotlib).
"""
import csv
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

TOP = ["150-150", "150-151", "150-155", "150-175", "150-200", "150-300"]
BOTTOM = ["12-24", "25-50", "50-100", "100-200", "150-300"]
CAP_MS = 10000.0
# One colour per range, the same in both panels.
COLOURS = {r: "C%d" % i for i, r in enumerate(TOP + BOTTOM[:-1])}


def read_trials(path):
    """{range: ([time_ms...], capped_count)} in file order."""
    data = {}
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            times, capped = data.setdefault(row["range"], ([], [0]))
            times.append(float(row["time_to_leader_ms"]))
            capped[0] += int(row["capped"])
    return {k: (sorted(v[0]), v[1][0]) for k, v in data.items()}


def cdf_points(times, n):
    """Step points of the empirical CDF of `times` out of `n` trials, in
    percent."""
    xs, ys = [], []
    for i, t in enumerate(times):
        xs += [t, t]
        ys += [100.0 * i / n, 100.0 * (i + 1) / n]
    return xs, ys


def label(rng, times, capped):
    text = "%s ms" % rng.replace("-", "\u2013")
    if capped:
        text += "\n(%d of %d capped at 10 s)" % (capped, len(times))
    return text


def panel(ax, data, ranges, log_x, xlim, title):
    for rng in ranges:
        if rng not in data:
            continue
        times, capped = data[rng]
        # A capped trial only says "more than 10 s": its step is not drawn,
        # so the curve stops below 100 % by the capped share.
        xs, ys = cdf_points([t for t in times if t < CAP_MS], len(times))
        ax.plot(xs, ys, linewidth=1.4, color=COLOURS[rng],
                label=label(rng, times, capped))
    if log_x:
        ax.set_xscale("log")
    ax.set_xlim(*xlim)
    ax.set_ylim(0, 100)
    ax.set_ylabel("cumulative percent")
    ax.set_title(title, fontsize=10)
    ax.grid(True, which="both", linewidth=0.3, alpha=0.6)
    ax.legend(loc="center left", bbox_to_anchor=(1.02, 0.5), fontsize=8,
              title="election timeout", title_fontsize=8)


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    src = argv[1] if len(argv) > 1 else os.path.join(here, "raft-election.csv")
    dst = argv[2] if len(argv) > 2 else os.path.splitext(src)[0] + ".png"
    data = read_trials(src)
    trials = max(len(v[0]) for v in data.values())
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(10, 8.5))
    panel(top, data, TOP, True, (50, CAP_MS),
          "randomness added to a 150 ms minimum election timeout")
    panel(bottom, data, BOTTOM, False, (0, 600),
          "minimum election timeout scaled")
    bottom.set_xlabel("time without a leader after the leader crashed (ms)")
    fig.suptitle("Raft leader election, 5 servers, %d trials per range (%s)"
                 % (trials, os.path.basename(src)), fontsize=11)
    fig.tight_layout()
    fig.savefig(dst, dpi=110, metadata={"Software": None})
    print("wrote", dst)


if __name__ == "__main__":
    main(sys.argv)
