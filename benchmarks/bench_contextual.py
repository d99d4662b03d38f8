"""ContextualVectorizer: overhead against transformers by hand, cache speed-up.

No model can be downloaded here, so the encoder is a randomly initialised
BERT of a realistic shape for a small sentence model (4 layers, hidden 256,
4 heads, intermediate 1024: the cost profile of a MiniLM-class model, with a
word-level vocabulary written from the corpus). The speed of a forward pass
does not depend on the weights, so the ratios hold for trained weights of
the same shape; the accuracy column only shows the pipeline runs.

Documents: the paragraphs of gensim's ``lee_background.cor`` (300 news
texts) cut into pieces of 10-120 words, real text with real length spread.

Measured (CPU seconds of this process, ``time.process_time``, torch and BLAS
limited to one thread):

1. ``transform`` of every document, ``long_documents="truncate"``,
   ``max_length=128``, ``batch_size=32``, against the same model run by hand
   (``tokenizer(batch, padding=True, truncation=True)``, forward, masked mean)
   in input order, and by hand with the batches sorted by length;
2. ``GridSearchCV`` (3 folds, ``pooling`` in {mean, cls} x ``C`` in {0.1, 1},
   refit) of ``ContextualVectorizer -> LogisticRegression`` with and without
   ``memory=``, and a second search on a warm cache.

Run (from the repository root)::

    python benchmarks/bench_contextual.py          # writes results/contextual.md
    python benchmarks/bench_contextual.py --quick  # fewer documents
"""

import argparse
import datetime
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import torch  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.model_selection import GridSearchCV  # noqa: E402
from sklearn.pipeline import Pipeline  # noqa: E402
from transformers import AutoModel, AutoTokenizer, BertConfig, BertModel  # noqa: E402

from skembed import (
    ContextualVectorizer,  # noqa: E402
    _contextual,  # noqa: E402
)

RESULTS = Path(__file__).resolve().parent / "results" / "contextual.md"


def load_documents(n_docs):
    """Pieces of 10-120 words, alternately from the first and second half of
    the corpus (the label; it only shows that the pipeline runs)."""
    import gensim

    path = Path(gensim.__file__).parent / "test" / "test_data" / "lee_background.cor"
    lines = path.read_text(encoding="utf8", errors="replace").splitlines()
    halves = [
        " ".join(lines[: len(lines) // 2]).split(),
        " ".join(lines[len(lines) // 2 :]).split(),
    ]
    rng = np.random.RandomState(0)
    docs, labels, pos = [], [], [0, 0]
    while len(docs) < n_docs:
        label = len(docs) % 2
        n = int(rng.randint(10, 121))
        piece = halves[label][pos[label] : pos[label] + n]
        if len(piece) < 10:
            break
        pos[label] += n
        docs.append(" ".join(piece))
        labels.append(label)
    return docs, np.array(labels)


def build_model(path, docs):
    vocab = sorted({w.lower() for d in docs for w in d.split()})
    os.makedirs(path, exist_ok=True)
    special = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    with open(os.path.join(path, "vocab.txt"), "w", encoding="utf8") as fh:
        fh.write("\n".join(special + vocab))
    with open(os.path.join(path, "tokenizer_config.json"), "w") as fh:
        json.dump({"tokenizer_class": "BertTokenizer", "model_max_length": 512}, fh)
    torch.manual_seed(0)
    config = BertConfig(
        vocab_size=len(special) + len(vocab),
        hidden_size=256,
        num_hidden_layers=4,
        num_attention_heads=4,
        intermediate_size=1024,
        max_position_embeddings=512,
    )
    BertModel(config).save_pretrained(path)
    AutoTokenizer.from_pretrained(path).save_pretrained(path)
    return path


def by_hand(tok, model, docs, max_length, batch_size, sort):
    order = np.arange(len(docs))
    if sort:
        lengths = [
            len(ids)
            for ids in tok(docs, truncation=True, max_length=max_length)["input_ids"]
        ]
        order = np.argsort(lengths)[::-1]
    out = np.zeros((len(docs), model.config.hidden_size), dtype=np.float32)
    with torch.inference_mode():
        for b in range(0, len(docs), batch_size):
            idx = order[b : b + batch_size]
            enc = tok(
                [docs[i] for i in idx],
                padding=True,
                truncation=True,
                max_length=max_length,
                return_tensors="pt",
            )
            states = model(**enc).last_hidden_state
            mask = enc["attention_mask"].unsqueeze(-1).float()
            out[idx] = ((states * mask).sum(1) / mask.sum(1)).numpy()
    return out


def cpu(fn):
    start = time.process_time()
    result = fn()
    return time.process_time() - start, result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    torch.set_num_threads(1)
    n_docs = 120 if args.quick else 480
    docs, y = load_documents(n_docs)
    tmp = tempfile.mkdtemp(prefix="bench_contextual_")
    path = build_model(os.path.join(tmp, "model"), docs)
    max_length, batch_size = 128, 32
    n_tokens = sum(
        min(len(ids), max_length)
        for ids in AutoTokenizer.from_pretrained(path)(docs)["input_ids"]
    )
    lines = []

    # 1. transform overhead ---------------------------------------------------
    vec = ContextualVectorizer(
        model=path, max_length=max_length, batch_size=batch_size, n_jobs=1
    ).fit(docs[:1])
    import warnings

    warnings.simplefilter("ignore", UserWarning)  # the truncation count
    tok = AutoTokenizer.from_pretrained(path)  # loaded once, outside the timing
    model = AutoModel.from_pretrained(path).eval()
    times = {"skembed": [], "hand": [], "hand_sorted": []}
    for _ in range(args.repeats):
        t, ours = cpu(lambda: vec.transform(docs))
        times["skembed"].append(t)
        t, hand = cpu(lambda: by_hand(tok, model, docs, max_length, batch_size, 0))
        times["hand"].append(t)
        t, hand_sorted = cpu(
            lambda: by_hand(tok, model, docs, max_length, batch_size, True)
        )
        times["hand_sorted"].append(t)
    diff = float(np.abs(ours - hand).max())
    best = {k: min(v) for k, v in times.items()}
    lines += [
        "## Transform against transformers by hand",
        "",
        f"{len(docs)} documents, {n_tokens:,} tokens after truncation to "
        f"{max_length}; batch size {batch_size}; best of {args.repeats} runs. "
        f"Largest difference between skembed's and the hand-computed vectors: "
        f"{diff:.1e}.",
        "",
        "| encoder | CPU s | docs / CPU s | CPU ratio to skembed |",
        "|---|---:|---:|---:|",
    ]
    for name, label in [
        ("skembed", "ContextualVectorizer.transform"),
        ("hand", "by hand, input order"),
        ("hand_sorted", "by hand, batches sorted by length"),
    ]:
        lines.append(
            f"| {label} | {best[name]:.2f} | {len(docs) / best[name]:.0f} | "
            f"{best[name] / best['skembed']:.2f} |"
        )

    # 2. cache speed-up in a grid search --------------------------------------
    grid = {"vec__pooling": ["mean", "cls"], "clf__C": [0.1, 1.0]}

    def search(memory):
        pipe = Pipeline(
            [
                (
                    "vec",
                    ContextualVectorizer(
                        model=path,
                        max_length=max_length,
                        batch_size=batch_size,
                        n_jobs=1,
                        memory=memory,
                    ),
                ),
                ("clf", LogisticRegression(max_iter=500)),
            ]
        )
        return GridSearchCV(pipe, grid, cv=3).fit(docs, y)

    cache = os.path.join(tmp, "cache")
    t_plain, g_plain = cpu(lambda: search(None))
    t_cold, g_cold = cpu(lambda: search(cache))
    t_warm, _ = cpu(lambda: search(cache))
    score_diff = float(
        np.abs(
            g_plain.cv_results_["mean_test_score"]
            - g_cold.cv_results_["mean_test_score"]
        ).max()
    )
    lines += [
        "",
        "## GridSearchCV with and without `memory=`",
        "",
        "3-fold `GridSearchCV` over pooling {mean, cls} x C {0.1, 1} with refit "
        "(12 fits + the refit, each encoding its training fold and its test "
        "fold). Largest difference of a mean CV accuracy with and without the "
        f"cache: {score_diff:.4f} (vectors differ by float rounding, ~1e-7, "
        "between batch compositions, which can flip a borderline prediction).",
        "",
        "| search | CPU s | CPU ratio to no cache |",
        "|---|---:|---:|",
        f"| no memory | {t_plain:.2f} | 1.00 |",
        f"| memory=, cold cache | {t_cold:.2f} | {t_cold / t_plain:.2f} |",
        f"| memory=, warm cache (second search) | {t_warm:.2f} | "
        f"{t_warm / t_plain:.3f} |",
    ]
    _contextual.clear_model_cache()

    header = [
        f"# ContextualVectorizer benchmark ({datetime.date.today()})",
        "",
        "Command: `python benchmarks/bench_contextual.py"
        + (" --quick" if args.quick else "")
        + "` (from the repository root).",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, shared with "
        "other jobs; torch "
        f"{torch.__version__} limited to one thread, so the figures are CPU "
        "seconds of the benchmark process: compare the ratios.",
        "",
        "Model: randomly initialised BERT, 4 layers, hidden 256, 4 heads, "
        "intermediate 1024 (a MiniLM-class cost), word-level vocabulary of the "
        "corpus. Documents: gensim's `lee_background.cor` cut into pieces of "
        "10-120 words.",
        "",
    ]
    text = "\n".join(header + lines) + "\n"
    print(text)
    if not args.quick:
        RESULTS.write_text(text, encoding="utf8")


if __name__ == "__main__":
    main()
