"""Plot one comparison of ``benchmarks/results/entity.md`` for the user guide.

    python benchmarks/plot_entity.py

reads the Markdown tables written by ``bench_entity.py`` and saves
``docs/_static/entity_benchmark.png``: per table, the score of a linear model
and of HistGradientBoosting on one-hot, target-encoded and entity-embedded
features, each relative to target encoding (mean ± sd over the folds).
"""

import os
import re
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROW = re.compile(r"^\| (.+?) -> (\S+) \| ([-\d.]+) ± ([\d.]+) \|")


def read(path):
    """{table: {(encoder, model): (mean, sd)}} and each table's metric."""
    tables, metric, name = {}, {}, None
    with open(path) as fh:
        for line in fh:
            if line.startswith("## ") and ":" in line and "scaling" not in line:
                name = line[3:].split(":")[0].strip()
                tables[name] = {}
            elif line.startswith("| encoder -> model |") and name:
                metric[name] = line.split("|")[2].split("(")[0].strip()
            elif name and (m := ROW.match(line)):
                tables[name][(m[1].strip(), m[2])] = (float(m[3]), float(m[4]))
    return tables, metric


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    src = argv[0] if argv else os.path.join(HERE, "results", "entity.md")
    out = os.path.join(HERE, "..", "docs", "_static", "entity_benchmark.png")
    tables, metric = read(src)
    names = [n for n in tables if tables[n]]
    bars = [
        ("OneHot (sparse)", "linear", "one-hot -> linear", "#999999"),
        ("TargetEncoder (cv=5)", "linear", "TE -> linear", "#f2a65a"),
        ("EE (cv=5)", "linear", "EE -> linear", "#3b75af"),
        ("TargetEncoder (cv=5)", "HGB", "TE -> HGB", "#c8553d"),
        ("EE (cv=5)", "HGB", "EE -> HGB", "#1b3a5c"),
    ]
    fig, ax = plt.subplots(figsize=(8, 3.6))
    width = 0.16
    x = np.arange(len(names))
    for i, (enc, model, label, color) in enumerate(bars):
        vals, errs = [], []
        for n in names:
            lin = [k for k in tables[n] if k[0] == enc and k[1] in ("Ridge", "LogReg")]
            key = lin[0] if model == "linear" and lin else (enc, model)
            ref_key = ("TargetEncoder (cv=5)", "HGB")
            mean, sd = tables[n].get(key, (np.nan, 0.0))
            ref = tables[n][ref_key][0]
            vals.append(mean - ref)
            errs.append(sd)
        ax.bar(x + (i - 2) * width, vals, width, yerr=errs, label=label,
               color=color, capsize=2)  # fmt: skip
    ax.axhline(0, color="black", lw=0.8)
    ax.set_xticks(x, [f"{n}\n({metric[n]})" for n in names], fontsize=8)
    ax.set_ylabel("score - (TE -> HGB)")
    ax.set_title("5-fold CV, same folds: difference to TargetEncoder -> HGB")
    ax.legend(fontsize=7, ncol=5, loc="lower center", bbox_to_anchor=(0.5, -0.42))
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    print(f"wrote {os.path.normpath(out)}")


if __name__ == "__main__":
    main()
