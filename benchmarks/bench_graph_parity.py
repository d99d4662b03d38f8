"""DeepWalk parity with OpenNE's published figures (issue #15).

Run from the repository root with the project's Python::

    python benchmarks/bench_graph_parity.py                      # all configs
    python benchmarks/bench_graph_parity.py --graphs wiki --configs hs+ns-1ep
    python benchmarks/bench_graph_parity.py --report RECORDS.jsonl   # render only

What it does
------------
* Wiki and Cora from ``shared/data/graphs`` (undirected, as ``bench_graph``),
  ``DeepWalkEmbedder(n_components=128, window=10)`` (10 walks of 80 nodes)
  in several configurations (``--configs``: hierarchical softmax on / off,
  1 or 5 epochs; OpenNE's DeepWalk calls gensim's ``Word2Vec`` with
  ``hs=1``, ``negative=5`` by default, 5 epochs, window 10), each with
  ``--seeds`` seeds, single-threaded, in this process (CPU-s of ``fit``
  from ``time.process_time``).
* Two scorings on the same 5 stratified 50 % splits for every config:
  ours (``bench_graph``: one-vs-rest ``LogisticRegression`` with lbfgs) and
  OpenNE's (``classify.py``: one-vs-rest ``LogisticRegression`` with
  liblinear, the top-k labels of ``predict_proba``; k = 1 here, every node
  has one label).
* Appends one JSON record per fit to ``--records`` and a table of mean ± sd
  over seeds to ``benchmarks/results/graph.md``, next to OpenNE's published
  Wiki figures (micro 0.669, macro 0.560).
"""

import argparse
import datetime as dt
import json
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import _graph_common as gc  # noqa: E402

# skembed from PYTHONPATH first, then from this repository (not an installed
# copy), as bench_graph.py
_pythonpath = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
sys.path.insert(1 + len(_pythonpath), gc.REPO_ROOT)

CONFIGS = {
    "ns-1ep": dict(hs=False),
    "hs+ns-1ep": dict(hs=True),
    "ns-5ep": dict(hs=False, n_epochs=5),
    "hs+ns-5ep": dict(hs=True, n_epochs=5),
    "hs-5ep": dict(hs=True, negative=0, n_epochs=5),
}
#: OpenNE README, Wiki, 128 dimensions, 50 % training (DeepWalk, original code)
PUBLISHED = {"wiki": (0.669, 0.560)}
RESULTS = os.path.join(gc.HERE, "results")


def openne_scores(X, labels, splits):
    """OpenNE's scoring: OvR liblinear logistic regression, top-1 label of
    ``predict_proba`` -> (micro, macro) F1, means over the splits."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import f1_score
    from sklearn.multiclass import OneVsRestClassifier
    from threadpoolctl import threadpool_limits

    micro, macro = [], []
    with threadpool_limits(1):
        for train, test in splits:
            clf = OneVsRestClassifier(LogisticRegression(solver="liblinear"))
            clf.fit(X[train], labels[train])
            pred = clf.classes_[clf.predict_proba(X[test]).argmax(1)]
            micro.append(f1_score(labels[test], pred, average="micro"))
            macro.append(f1_score(labels[test], pred, average="macro"))
    return float(np.mean(micro)), float(np.mean(macro))


def run(args):
    from skembed import DeepWalkEmbedder

    # compile the kernels outside the timed fits
    DeepWalkEmbedder(n_components=8, walk_length=10, sample=0, hs=True,
                     random_state=0).fit([(0, 1), (1, 2)])
    for name in args.graphs:
        g = gc.load_real_graph(name, log=lambda *a: None)
        n = g.meta["n"]
        splits = gc.make_splits(g.labels, n_splits=5)
        for config in args.configs:
            for seed in range(args.seeds):
                est = DeepWalkEmbedder(n_components=128, window=10,
                                       random_state=seed, **CONFIGS[config])
                c0 = time.process_time()
                V = est.fit_transform(g.edges)
                cpu = time.process_time() - c0
                X, _ = gc.align_vectors(V, est.nodes_, n)
                ours = gc.evaluate(X, g.labels, splits)
                micro, macro = openne_scores(X, g.labels, splits)
                rec = dict(graph=name, config=config, seed=seed, cpu=cpu,
                           micro=ours["micro_f1"], macro=ours["macro_f1"],
                           openne_micro=micro, openne_macro=macro)
                print(json.dumps(rec), flush=True)
                with open(args.records, "a") as fh:
                    fh.write(json.dumps(rec) + "\n")


def table(records):
    """Markdown: mean ± sd over seeds per (graph, config)."""
    latest = {(r["graph"], r["config"], r["seed"]): r for r in records}
    groups = {}
    for r in latest.values():  # the last record of each seed
        groups.setdefault((r["graph"], r["config"]), []).append(r)
    rows = [
        "| graph | config | seeds | CPU-s of fit | micro-F1 (ours) | macro-F1 (ours) "
        "| micro-F1 (OpenNE scoring) | macro-F1 (OpenNE scoring) |",
        "|---|---|---|---|---|---|---|---|",
    ]

    def ms(rs, key, nd=3):
        v = np.array([r[key] for r in rs])
        return f"{v.mean():.{nd}f} ± {v.std():.{nd}f}"

    for (graph, config), rs in groups.items():
        rows.append(
            f"| {graph} | {config} | {len(rs)} | {ms(rs, 'cpu', 1)} "
            f"| {ms(rs, 'micro')} | {ms(rs, 'macro')} "
            f"| {ms(rs, 'openne_micro')} | {ms(rs, 'openne_macro')} |"
        )
    for graph, (mi, ma) in PUBLISHED.items():
        if any(g == graph for g, _ in groups):
            rows.append(f"| {graph} | OpenNE published DeepWalk | | | {mi} | {ma} | | |")
    return "\n".join(rows) + "\n"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--graphs", nargs="+", default=["wiki", "cora"])
    ap.add_argument("--configs", nargs="+", default=list(CONFIGS),
                    choices=list(CONFIGS))
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--records",
                    default=os.path.join(RESULTS, "graph_parity_runs.jsonl"))
    ap.add_argument("--report", default=None, metavar="RECORDS.jsonl",
                    help="run nothing: render these records")
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args(argv)
    if args.report is None:
        run(args)
        path = args.records
    else:
        path = args.report
    with open(path) as fh:
        records = [json.loads(line) for line in fh if line.strip()]
    now = dt.datetime.now(dt.timezone.utc)
    text = (
        f"\n## {now:%Y-%m-%d %H:%M} UTC — DeepWalk parity with OpenNE "
        f"(`benchmarks/bench_graph_parity.py`)\n\n"
        "DeepWalkEmbedder(n_components=128, window=10), 10 walks of 80 nodes, "
        "one thread, undirected graphs; the same 5 stratified 50 % splits for "
        "every config; mean ± sd over seeds. CPU-s measured on 2 cores shared "
        "with other sessions: compare within the table only.\n\n" + table(records)
    )
    print(text)
    if not args.no_write:
        with open(os.path.join(RESULTS, "graph.md"), "a") as fh:
            fh.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
