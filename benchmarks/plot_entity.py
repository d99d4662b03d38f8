"""Plot one comparison of ``benchmarks/results/entity.md`` for the user guide.

    python benchmarks/plot_entity.py

reads the Markdown tables written by ``bench_entity.py`` and saves
``docs/_static/entity_benchmark.png``: per table, the mean score of
EntityEmbeddingEncoder features minus that of the baseline a user would put
beside them, with the same downstream model (TargetEncoder for
gradient boosting, one-hot for the linear model and KNN).
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
    # (EE model, baseline encoder, label, colour): EE minus the baseline a
    # user would put beside it, with the same downstream model
    bars = [
        ("HGB", "TargetEncoder (cv=5)", "EE -> HGB  minus  TE -> HGB", "#1b3a5c", "EE (cv=5)"),
        ("linear", "OneHot (sparse)", "EE -> linear  minus  one-hot -> linear", "#3b75af", "EE (cv=5)"),
        ("KNN", "OneHot (sparse)", "EE -> KNN  minus  one-hot -> KNN", "#9bbbd9", "EE (cv=5)"),
        ("KNN", "OneHot (sparse)", "EE(encode='effects') -> KNN  minus  one-hot -> KNN",
         "#d9a441", "EE (cv=5, encode='effects')"),
    ]
    fig, ax = plt.subplots(figsize=(8, 3.8))
    width = 0.2
    x = np.arange(len(names))
    for i, (model, base, label, color, enc) in enumerate(bars):
        vals, errs = [], []
        for n in names:
            t = tables[n]
            lin = "Ridge" if ("EE (cv=5)", "Ridge") in t else "LogReg"
            m = lin if model == "linear" else model
            ee, ee_sd = t[(enc, m)]
            ref, ref_sd = t[(base, m)]
            vals.append(ee - ref)
            errs.append(max(ee_sd, ref_sd))
        ax.bar(x + (i - 1.5) * width, vals, width, yerr=errs, label=label,
               color=color, capsize=2)  # fmt: skip
    ax.axhline(0, color="black", lw=0.8)
    labels = [f"{n.split()[-1]}\n({metric[n]})" for n in names]
    ax.set_xticks(x, labels, fontsize=8)
    ax.set_ylabel("difference of mean score")
    ax.set_title(
        "EntityEmbeddingEncoder vs the usual baseline, 5-fold CV (bars: larger fold sd)",
        fontsize=9,
    )
    ax.legend(fontsize=7, loc="lower left")
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    print(f"wrote {os.path.normpath(out)}")


if __name__ == "__main__":
    main()
