"""Document classification: Word2VecVectorizer vs TF-IDF vs a gensim pipeline.

Real, offline, labelled text shipped inside gensim's test data:

* ``mini_newsgroup``: 200 posts of 20-newsgroups (alt.atheism vs sci.space),
* the same posts cut into paragraphs of >= 5 tokens (1,287 short texts,
  about 45 tokens each), CV folds grouped by post;
* ``pang_lee_polarity.cor``: 200 movie-review sentences (pos vs neg).

For each dataset, 5-fold stratified CV of ``<features> -> LogisticRegression``:

* ``TfidfVectorizer`` (the sparse baseline);
* ``Word2VecVectorizer`` with each pooling, word vectors trained inside each
  fold on the training documents only ("in-fold");
* a hand-written gensim pipeline (``gensim.models.Word2Vec`` in ``fit``,
  a Python loop of ``np.mean(wv[w] for known w)`` in ``transform``), same
  tokens and hyper-parameters;
* both again with word vectors pretrained once on unlabelled gensim text
  (``lee_background.cor`` + the English Wikipedia extract, ~0.5M tokens),
  the pooling statistics still learnt per fold ("pretrained").

Times are CPU seconds of this process (``time.process_time``; one thread
for numba, BLAS and gensim), reported as ratios. Transform speed is measured
separately on every text of the corpus split into 25-token documents, and
reported as a ratio to a fitted ``TfidfVectorizer.transform`` on the same
documents.

Run (from the repository root)::

    python benchmarks/bench_text.py            # writes benchmarks/results/text.md
    python benchmarks/bench_text.py --quick    # fewer epochs, smoke test
"""

import argparse
import datetime
import os
import pickle
import platform
import sys
import time
import zlib
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402
from sklearn.base import BaseEstimator, TransformerMixin  # noqa: E402
from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.model_selection import (  # noqa: E402
    StratifiedGroupKFold,
    StratifiedKFold,
)
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import gensim  # noqa: E402
from gensim.models import Word2Vec  # noqa: E402

from skembed import Word2VecVectorizer  # noqa: E402
from skembed._text._analyzer import build_analyzer  # noqa: E402

DATA = Path(gensim.__file__).parent / "test" / "test_data"
RESULTS = Path(__file__).resolve().parent / "results" / "text.md"
POOLINGS = ["mean", "tfidf", "sif", "max"]
ANALYZE = build_analyzer()  # the same tokens for every pipeline
DATASETS = {}


# ------------------------------------------------------------------- data
class _Unpickler(pickle.Unpickler):
    """Reads the Python-2 pickle of an old sklearn ``Bunch`` as a dict."""

    def find_class(self, module, name):
        if name == "Bunch":
            return dict
        return super().find_class(module, name)


def load_newsgroups():
    raw = zlib.decompress((DATA / "mini_newsgroup").read_bytes())
    bunch = _Unpickler(__import__("io").BytesIO(raw), encoding="latin1").load()
    docs = []
    for post in bunch["data"]:
        # drop the header block (everything before the first blank line)
        _, _, body = post.partition("\n\n")
        docs.append(body)
    return docs, np.asarray(bunch["target"]), list(bunch["target_names"])


def load_newsgroup_paragraphs():
    """Short texts: the paragraphs (>= 5 tokens) of the newsgroup posts.

    Labelled by their post's group; the CV keeps the paragraphs of one post
    in the same fold (groups), so no post is seen in training and testing.
    """
    docs, labels, _ = load_newsgroups()
    texts, targets, groups = [], [], []
    for post_id, (post, label) in enumerate(zip(docs, labels, strict=True)):
        for para in post.split("\n\n"):
            if len(ANALYZE(para)) >= 5:
                texts.append(" ".join(para.split()))
                targets.append(label)
                groups.append(post_id)
    return texts, np.asarray(targets), np.asarray(groups)


def load_polarity():
    docs, labels = [], []
    for line in (DATA / "pang_lee_polarity.cor").read_text("cp1252").splitlines():
        label, _, text = line.partition(" ")
        docs.append(text)
        labels.append(int(label == "__label__pos"))
    return docs, np.asarray(labels), ["neg", "pos"]


def load_unlabelled():
    """Token lists of lee_background.cor and the Wikipedia extract."""
    docs = [
        ANALYZE(line)
        for line in (DATA / "lee_background.cor")
        .read_text("utf-8", "replace")
        .splitlines()
    ]
    from gensim.corpora.wikicorpus import WikiCorpus

    path = DATA / "enwiki-latest-pages-articles1.xml-p000000010p000030302-shortened.bz2"
    wiki = WikiCorpus(str(path), dictionary={}, processes=1)
    for tokens in wiki.get_texts():
        for i in range(0, len(tokens), 1000):  # gensim truncates at 10,000
            docs.append(list(tokens[i : i + 1000]))
    return docs


# ------------------------------------------------------- the gensim pipeline
class GensimMeanVectorizer(TransformerMixin, BaseEstimator):
    """What users write today: gensim Word2Vec in fit, a Python mean loop."""

    def __init__(
        self, *, vector_size=100, window=5, min_count=5, epochs=5, seed=0, wv=None
    ):
        self.vector_size = vector_size
        self.window = window
        self.min_count = min_count
        self.epochs = epochs
        self.seed = seed
        self.wv = wv

    def fit(self, X, y=None):
        if self.wv is not None:
            self.wv_ = self.wv
            return self
        tokens = [ANALYZE(d) for d in X]
        model = Word2Vec(
            tokens,
            vector_size=self.vector_size,
            window=self.window,
            min_count=self.min_count,
            epochs=self.epochs,
            sg=1,
            negative=5,
            sample=1e-3,
            workers=1,
            seed=self.seed,
        )
        self.wv_ = model.wv
        return self

    def transform(self, X):
        wv = self.wv_
        out = np.zeros((len(X), wv.vector_size), dtype=np.float32)
        for i, doc in enumerate(X):
            known = [w for w in ANALYZE(doc) if w in wv.key_to_index]
            if known:
                out[i] = np.mean([wv[w] for w in known], axis=0)
        return out


# ------------------------------------------------------------------ running
def cpu():
    return time.process_time()


def cv_scores(make_pipe, X, y, groups=None, n_splits=5):
    X = np.asarray(X, dtype=object)
    if groups is None:
        splits = StratifiedKFold(n_splits, shuffle=True, random_state=0).split(X, y)
    else:
        splits = StratifiedGroupKFold(n_splits, shuffle=True, random_state=0).split(
            X, y, groups
        )
    acc, fit_s, tr_s = [], [], []
    for train, test in splits:
        pipe = make_pipe()
        feats, clf = pipe.steps[0][1], pipe[1:]
        t0 = cpu()
        Z = feats.fit_transform(list(X[train]), y[train])
        t1 = cpu()
        clf.fit(Z, y[train])
        t2 = cpu()
        Zt = feats.transform(list(X[test]))
        t3 = cpu()
        acc.append(float((clf.predict(Zt) == y[test]).mean()))
        fit_s.append(t1 - t0)
        tr_s.append(t3 - t2)
    return np.mean(acc), np.std(acc), np.mean(fit_s), np.mean(tr_s)


def run(quick):
    rows = []
    epochs = 2 if quick else 10
    pre_epochs = 1 if quick else 5
    hyper = dict(n_components=100, window=5, min_count=2, n_epochs=epochs)
    datasets = {
        "mini_newsgroup (200 posts)": load_newsgroups(),
        "mini_newsgroup paragraphs (short texts, grouped by post)": (
            load_newsgroup_paragraphs()
        ),
        "pang_lee_polarity (200 sentences)": load_polarity(),
    }

    print("pretraining on unlabelled text ...", flush=True)
    unlabelled = load_unlabelled()
    n_tok = sum(map(len, unlabelled))
    t0 = cpu()
    ours = Word2VecVectorizer(
        n_components=100, min_count=5, n_epochs=pre_epochs, random_state=0
    ).fit(unlabelled)
    ours_pre = cpu() - t0
    t0 = cpu()
    gmodel = Word2Vec(
        unlabelled,
        vector_size=100,
        window=5,
        min_count=5,
        epochs=pre_epochs,
        sg=1,
        negative=5,
        sample=1e-3,
        workers=1,
        seed=0,
    )
    gensim_pre = cpu() - t0
    pretrain = dict(
        tokens=n_tok,
        docs=len(unlabelled),
        ours=ours_pre,
        gensim=gensim_pre,
        vocab=len(ours.vocabulary_),
        gvocab=len(gmodel.wv),
    )
    # word-similarity quality of both, with gensim's own evaluation code
    ours_kv = gensim.models.KeyedVectors(100)
    ours_kv.add_vectors(ours.wv_.index_to_key, ours.embedding_)
    for key, kv in (("ours", ours_kv), ("gensim", gmodel.wv)):
        for bench in ("wordsim353.tsv", "simlex999.txt"):
            _pearson, spearman, _oov = kv.evaluate_word_pairs(str(DATA / bench))
            pretrain[f"{key}_{bench.split('.')[0]}"] = float(spearman[0])
    print(pretrain, flush=True)

    for name, (X, y, extra) in datasets.items():
        groups = extra if isinstance(extra, np.ndarray) else None
        print(f"== {name}: {len(X)} docs", flush=True)

        def add(method, setting, make, X=X, y=y, groups=groups, name=name):
            a, s, f, t = cv_scores(make, X, y, groups)
            rows.append(
                dict(
                    data=name,
                    method=method,
                    setting=setting,
                    acc=a,
                    std=s,
                    fit=f,
                    transform=t,
                )
            )
            print(
                f"  {method:32s} {setting:10s} acc={a:.3f}±{s:.3f} "
                f"fit={f:.2f}s transform={t:.3f}s",
                flush=True,
            )

        add(
            "TfidfVectorizer",
            "-",
            lambda: make_pipeline(TfidfVectorizer(), LogisticRegression(max_iter=1000)),
        )
        for pooling in POOLINGS:
            add(
                f"Word2VecVectorizer({pooling})",
                "in-fold",
                lambda p=pooling: make_pipeline(
                    Word2VecVectorizer(pooling=p, random_state=0, **hyper),
                    StandardScaler(),
                    LogisticRegression(max_iter=1000),
                ),
            )
        add(
            "gensim Word2Vec + mean (by hand)",
            "in-fold",
            lambda: make_pipeline(
                GensimMeanVectorizer(
                    vector_size=100, window=5, min_count=2, epochs=epochs
                ),
                StandardScaler(),
                LogisticRegression(max_iter=1000),
            ),
        )
        for pooling in POOLINGS:
            add(
                f"Word2VecVectorizer({pooling})",
                "pretrained",
                lambda p=pooling: make_pipeline(
                    Word2VecVectorizer(pooling=p, vectors=ours.wv_),
                    StandardScaler(),
                    LogisticRegression(max_iter=1000),
                ),
            )
        add(
            "gensim Word2Vec + mean (by hand)",
            "pretrained",
            lambda: make_pipeline(
                GensimMeanVectorizer(wv=gmodel.wv),
                StandardScaler(),
                LogisticRegression(max_iter=1000),
            ),
        )

    # transform speed on many short documents
    texts = [" ".join(t) for t in unlabelled]
    texts += [d for X, _, _ in datasets.values() for d in X]
    short = []
    for text in texts:
        words = text.split()
        short.extend(" ".join(words[i : i + 25]) for i in range(0, len(words), 25))
    tfidf = TfidfVectorizer().fit(short)
    speed = {}
    reps = 1 if quick else 3

    def best(fn):
        times = []
        for _ in range(reps):
            t0 = cpu()
            fn()
            times.append(cpu() - t0)
        return min(times)

    base = best(lambda: tfidf.transform(short))
    speed["TfidfVectorizer"] = base
    for pooling in POOLINGS:
        vec = Word2VecVectorizer(vectors=ours.wv_, pooling=pooling).fit(short[:2000])
        vec.transform(short[:10])  # compile the max kernel outside the timing
        speed[f"Word2VecVectorizer({pooling})"] = best(lambda v=vec: v.transform(short))
    gvec = GensimMeanVectorizer(wv=gmodel.wv).fit(short)
    speed["gensim Word2Vec + mean (by hand)"] = best(lambda: gvec.transform(short))
    n_short_tokens = sum(len(s.split()) for s in short)
    DATASETS.update(datasets)
    return rows, pretrain, speed, len(short), n_short_tokens, epochs, pre_epochs


def write(rows, pretrain, speed, n_short, n_short_tokens, epochs, pre_epochs, quick):
    lines = []
    lines.append(f"# Text benchmark ({datetime.date.today().isoformat()})\n")
    lines.append(
        "Command: `python benchmarks/bench_text.py"
        + (" --quick" if quick else "")
        + "` (from the repository root; data: gensim's bundled test data).\n"
    )
    lines.append(
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, shared with other "
        "jobs; times are CPU seconds of the benchmark process (one thread for "
        "numba, BLAS and gensim), so compare the ratios, not the absolute values.\n"
    )
    lines.append(
        f"Hyper-parameters: skip-gram, 100 dimensions, window 5, negative 5, "
        f"sample 1e-3; in-fold training: min_count 2, {epochs} epochs on the "
        f"training fold; pretrained: min_count 5, {pre_epochs} epochs on "
        f"{pretrain['tokens']:,} tokens ({pretrain['docs']:,} documents) of "
        "lee_background.cor + the Wikipedia extract. Classifier: "
        "StandardScaler + LogisticRegression for dense features, "
        "LogisticRegression for TF-IDF. 5-fold stratified CV (seed 0).\n"
    )
    lines.append("## Pretraining on unlabelled text\n")
    lines.append(
        "| trainer | vocabulary | CPU s | CPU ratio to gensim "
        "| WordSim353 Spearman | SimLex-999 Spearman |"
    )
    lines.append("|---|---:|---:|---:|---:|---:|")
    lines.append(
        f"| skembed Word2VecVectorizer.fit | {pretrain['vocab']:,} | "
        f"{pretrain['ours']:.1f} | {pretrain['ours'] / pretrain['gensim']:.2f} | "
        f"{pretrain['ours_wordsim353']:.3f} | {pretrain['ours_simlex999']:.3f} |"
    )
    lines.append(
        f"| gensim Word2Vec (workers=1) | {pretrain['gvocab']:,} | "
        f"{pretrain['gensim']:.1f} | 1.00 | "
        f"{pretrain['gensim_wordsim353']:.3f} | {pretrain['gensim_simlex999']:.3f} |\n"
    )
    lines.append("## Classification (5-fold CV)\n")
    for data in dict.fromkeys(r["data"] for r in rows):
        sub = [r for r in rows if r["data"] == data]
        gensim_fit = {
            r["setting"]: r["fit"] for r in sub if r["method"].startswith("gensim")
        }
        n_docs = next(len(X) for key, (X, _, _) in DATASETS.items() if key == data)
        lines.append(f"### {data}: {n_docs:,} documents\n")
        lines.append(
            "| features | vectors | accuracy | fit CPU s / fold "
            "| fit ratio to gensim | transform CPU s / fold |"
        )
        lines.append("|---|---|---:|---:|---:|---:|")
        for r in sub:
            ratio = (
                f"{r['fit'] / gensim_fit[r['setting']]:.2f}"
                if r["setting"] in gensim_fit
                and gensim_fit[r["setting"]] > 0
                and r["setting"] == "in-fold"
                else "-"
            )
            lines.append(
                f"| {r['method']} | {r['setting']} | {r['acc']:.3f} ± {r['std']:.3f} | "
                f"{r['fit']:.3f} | {ratio} | {r['transform']:.4f} |"
            )
        lines.append("")
    lines.append(
        "With 40 test documents per fold (200-document sets), one document is "
        "2.5 points of accuracy: differences below ~0.05 there are noise.\n"
    )
    lines.append(
        f"## Transform speed ({n_short:,} documents of <= 25 tokens, "
        f"{n_short_tokens:,} tokens; tokenising included; best of runs)\n"
    )
    lines.append("| transformer | CPU s | ratio to TfidfVectorizer.transform |")
    lines.append("|---|---:|---:|")
    base = speed["TfidfVectorizer"]
    for name, t in speed.items():
        lines.append(f"| {name} | {t:.3f} | {t / base:.2f} |")
    lines.append("")
    text = "\n".join(lines)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(text)
    print(text)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    with threadpool_limits(1):
        result = run(args.quick)
    write(*result, quick=args.quick)


if __name__ == "__main__":
    main()
