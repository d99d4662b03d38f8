"""Subword (fastText) vectors: skembed against gensim ``FastText``, one run.

Run (from the repository root, after ``pip install -e ".[bench]"``)::

    python benchmarks/bench_subword.py                 # all parts, 3 seeds
    python benchmarks/bench_subword.py --only speed --seeds 1
    python benchmarks/bench_subword.py --only rare bucket

Parts, each configuration in a fresh subprocess (CPU time and peak RSS are
its own), same corpus, same hyper-parameters (gensim's ``FastText``
defaults but skip-gram: dim 100, window 5, negative 5, min_count 5, sample
1e-3, alpha 0.025, 5 epochs, n-grams of 3-6 characters, 2,000,000
buckets, one thread):

* ``speed``: effective words per CPU-second of the training call, and
  WordSim353 / SimLex-999 Spearman on the pairs whose words are in the
  vocabulary (gensim's protocol) and on all pairs (out-of-vocabulary words
  get their n-gram vectors; a word without any gets a zero vector and the
  pair scores 0). Skip-gram and CBOW, quality mean ± sd over seeds.
* ``rare``: 200 frequent words get a misspelt variant (one edit: swap,
  drop or double a letter), planted 3 times in the corpus in place of the
  word. Cosine of the variant's vector to the word's, and recall@10 of the
  word among the variant's nearest vocabulary words, for plain word2vec
  (min_count 5: the variant is unknown; min_count 1: it is learnt from 3
  occurrences) and fastText (min_count 5: n-grams only; min_count 1: its
  own vector and n-grams).
* ``bucket``: skip-gram fastText with 10k ... 2M buckets: quality, the
  n-gram rows in use and the memory of the n-gram table (skembed keeps
  only the rows in use; gensim and fastText keep ``bucket x dim`` floats).

The corpus is ``bench_engine.py``'s (gensim's bundled test data, 879,394
tokens). Results are appended to ``benchmarks/results/subword.md``.
"""

import argparse
import json
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
HERE = Path(__file__).resolve().parent
CACHE = HERE / ".cache"
RESULTS = HERE / "results" / "subword.md"
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

PARAMS = dict(dim=100, window=5, negative=5, min_count=5, sample=1e-3, alpha=0.025,
              epochs=5, min_n=3, max_n=6, bucket=2_000_000)


def _data(name):
    import gensim.test.utils as gtu

    return gtu.datapath(name)


def pair_scores(lookup, name, in_vocab):
    """Spearman on in-vocabulary pairs, on all pairs, and the OOV share."""
    from scipy.stats import spearmanr

    gold, sims, gold_iv, sims_iv = [], [], [], []
    for line in open(_data(name), encoding="utf8"):
        parts = line.rstrip("\n").split("\t")
        if line.startswith("#") or len(parts) < 3:
            continue
        try:
            score = float(parts[2])
        except ValueError:
            continue
        a, b = parts[0].lower(), parts[1].lower()
        va, vb = lookup(a), lookup(b)
        na, nb = float(va @ va) ** 0.5, float(vb @ vb) ** 0.5
        sim = float(va @ vb) / (na * nb) if na > 0 and nb > 0 else 0.0
        gold.append(score)
        sims.append(sim)
        if a in in_vocab and b in in_vocab:
            gold_iv.append(score)
            sims_iv.append(sim)
    return (float(spearmanr(gold_iv, sims_iv)[0]), float(spearmanr(gold, sims)[0]),
            1 - len(gold_iv) / len(gold))


def rare_scores(lookup, words, vectors, pairs):
    import numpy as np

    normed = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    index = {w: i for i, w in enumerate(words)}
    cos, hit, zero = [], [], 0
    for variant, original in pairs:
        v = lookup(variant)
        n = float(np.linalg.norm(v))
        if n == 0:
            zero += 1
            cos.append(0.0)
            hit.append(0)
            continue
        u = v / n
        cos.append(float(normed[index[original]] @ u))
        sims = normed @ u
        if variant in index:
            sims[index[variant]] = -np.inf
        hit.append(int(index[original] in np.argpartition(-sims, 10)[:10]))
    return dict(rare_cos=float(np.mean(cos)), rare_r10=float(np.mean(hit)),
                rare_zero=zero)


def worker(cfg):
    import numpy as np

    p = {**PARAMS, **cfg.get("params", {})}
    sentences = [line.split() for line in open(cfg["corpus"], encoding="utf8")]
    sg = int(cfg["sg"])
    subwords = cfg.get("model", "fasttext") == "fasttext"
    if cfg["impl"] == "gensim":
        from gensim.models import FastText, Word2Vec

        common = dict(vector_size=p["dim"], window=p["window"], negative=p["negative"],
                      min_count=p["min_count"], sample=p["sample"], alpha=p["alpha"],
                      sg=sg, workers=1, seed=cfg["seed"], epochs=p["epochs"])
        model = (FastText(min_n=p["min_n"], max_n=p["max_n"], bucket=p["bucket"],
                          **common) if subwords else Word2Vec(**common))
        model.build_vocab(sentences)
        rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        c0 = time.process_time()
        eff, _ = model.train(sentences, total_examples=len(sentences),
                             epochs=p["epochs"])
        cpu = time.process_time() - c0
        wv = model.wv
        words, vectors = list(wv.index_to_key), wv.vectors
        table_mb = wv.vectors_ngrams.nbytes / 2**20 if subwords else 0.0
        n_rows = p["bucket"] if subwords else 0

        def lookup(w):
            if w in wv.key_to_index or subwords:
                return wv.get_vector(w)
            return np.zeros(p["dim"], np.float32)
    else:
        from skembed import KeyedVectors
        from skembed._engine._driver import train_sgns
        from skembed._engine._corpus import scan_corpus
        from skembed._engine._subword_kernels import compose_vectors
        from skembed._vectors._subwords import SubwordTable, subword_rows

        words, counts, indptr, ids = scan_corpus(sentences, min_count=p["min_count"])
        kwargs = dict(n_components=p["dim"], window=p["window"],
                      negative=p["negative"], sample=p["sample"],
                      learning_rate=p["alpha"], sg=bool(sg), n_epochs=p["epochs"],
                      random_state=cfg["seed"], shared_negatives=not subwords)
        sub = None
        if subwords:
            sub_indptr, sub_ids, used = subword_rows(words, p["min_n"], p["max_n"],
                                                     p["bucket"])
            sub = (sub_indptr, sub_ids, len(words) + used.shape[0])
        # compile / load the kernels outside the timed region
        train_sgns((indptr[:3] - indptr[0], ids[: indptr[2]]), counts,
                   **{**kwargs, "n_epochs": 1}, subwords=sub)
        rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        c0 = time.process_time()
        res = train_sgns((indptr, ids), counts, **kwargs, subwords=sub)
        cpu = time.process_time() - c0
        eff = res.n_words
        n = len(words)
        if subwords:
            vectors = np.empty((n, p["dim"]), dtype=np.float32)
            compose_vectors(sub_indptr, sub_ids, res.w_in[:n], res.w_in[n:], vectors)
            rows = np.full(p["bucket"], -1, dtype=np.int32)
            rows[used] = np.arange(used.shape[0], dtype=np.int32)
            table = SubwordTable(res.w_in[n:], min_n=p["min_n"], max_n=p["max_n"],
                                 bucket=p["bucket"], bucket_rows=rows)
            table_mb = table.nbytes / 2**20
            n_rows = used.shape[0]
        else:
            vectors, table, table_mb, n_rows = res.w_in, None, 0.0, 0
        kv = KeyedVectors(words, vectors, subwords=table)

        def lookup(w):
            v = kv.get_vector(w, default=None)
            return np.zeros(p["dim"], np.float32) if v is None else v
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    vocab = set(words)
    out = dict(cfg, cpu=cpu, eff=int(eff), wps=eff / cpu, n_vocab=len(words),
               rss_mb=rss, train_rss_mb=rss - rss0, table_mb=table_mb,
               ngram_rows=int(n_rows), load=os.getloadavg()[0])
    out["ws"], out["ws_all"], out["ws_oov"] = pair_scores(lookup, "wordsim353.tsv", vocab)
    out["sl"], out["sl_all"], out["sl_oov"] = pair_scores(lookup, "simlex999.txt", vocab)
    if cfg.get("pairs"):
        out.update(rare_scores(lookup, words, vectors, json.load(open(cfg["pairs"]))))
    print(json.dumps(out), flush=True)


def plant_variants(src, dst, pairs_path, n_words=200, copies=3, seed=0):
    """Misspelt variants (one edit) of frequent words, planted ``copies``
    times each in place of the word."""
    rnd = random.Random(seed)
    lines = [line.split() for line in open(src, encoding="utf8")]
    counts = Counter(t for line in lines for t in line)
    cands = sorted(w for w, c in counts.items() if c >= 100 and len(w) >= 6 and w.isalpha())
    rnd.shuffle(cands)
    pairs = []
    for w in cands:
        for _ in range(10):
            k = rnd.randrange(1, len(w) - 2)
            op = rnd.choice(["swap", "drop", "double"])
            v = {"swap": w[:k] + w[k + 1] + w[k] + w[k + 2:],
                 "drop": w[:k] + w[k + 1:], "double": w[:k] + w[k] + w[k:]}[op]
            if v != w and v not in counts:
                pairs.append((v, w))
                counts[v] = 0
                break
        if len(pairs) == n_words:
            break
    where = {}
    for i, line in enumerate(lines):
        for j, t in enumerate(line):
            where.setdefault(t, []).append((i, j))
    for v, w in pairs:
        for i, j in rnd.sample(where[w], copies):
            lines[i][j] = v
    with open(dst, "w", encoding="utf8") as f:
        for line in lines:
            f.write(" ".join(line) + "\n")
    json.dump(pairs, open(pairs_path, "w"))


def _run(cfg):
    cmd = [sys.executable, __file__, "--worker", json.dumps(cfg)]
    out = subprocess.run(cmd, capture_output=True, text=True,
                         env={**os.environ, "OMP_NUM_THREADS": "1"})
    if out.returncode:
        sys.exit(f"worker failed: {cfg}\n{out.stderr[-3000:]}")
    row = json.loads(out.stdout.strip().splitlines()[-1])
    print(json.dumps(row), flush=True)
    return row


def _ms(values, fmt="{:.3f}"):
    if len(values) == 1:
        return fmt.format(values[0])
    return f"{fmt.format(statistics.mean(values))} ± {fmt.format(statistics.stdev(values))}"


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--worker")
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--only", nargs="*", default=["speed", "rare", "bucket"])
    args = parser.parse_args(argv)
    if args.worker:
        return worker(json.loads(args.worker))
    from bench_engine import build_corpus

    CACHE.mkdir(exist_ok=True)
    corpus = CACHE / "engine_corpus.txt"
    if not corpus.exists():
        build_corpus(corpus)
    import gensim
    import numba

    import skembed

    head = (
        f"\n## {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} — "
        f"`python benchmarks/bench_subword.py --seeds {args.seeds} --only "
        f"{' '.join(args.only)}`\n\nskembed {skembed.__version__}, gensim "
        f"{gensim.__version__}, numba {numba.__version__}, Python "
        f"{platform.python_version()}, {os.cpu_count()} cores. Corpus {corpus.name} "
        "(879,394 tokens); dim 100, window 5, negative 5, min_count 5, sample "
        "1e-3, alpha 0.025, 5 epochs, n-grams 3-6, one thread. Speed: effective "
        "words per CPU-second of the training call, best seed; quality: mean ± sd "
        "over seeds 1.."
        f"{args.seeds}. Spearman 'in-vocab' uses the pairs whose words are both "
        "in the vocabulary (gensim's evaluate_word_pairs); 'all' also the others, "
        "with n-gram vectors for unseen words.\n"
    )
    lines = [head]
    seeds = range(1, args.seeds + 1)
    if "speed" in args.only:
        rows = [_run(dict(impl=impl, sg=sg, seed=s, corpus=str(corpus)))
                for sg in (1, 0) for s in seeds for impl in ("gensim", "skembed")]
        lines += ["| mode | impl | eff. words / CPU-s | ratio vs gensim | "
                  "WS353 in-vocab | WS353 all | SimLex in-vocab | SimLex all | "
                  "training RSS MB |", "|---|---|---:|---:|---:|---:|---:|---:|---:|"]
        for sg in (1, 0):
            cell = {i: [r for r in rows if r["impl"] == i and r["sg"] == sg]
                    for i in ("gensim", "skembed")}
            ref = max(r["wps"] for r in cell["gensim"])
            for impl, rs in cell.items():
                best = max(r["wps"] for r in rs)
                lines.append(
                    f"| {'SG' if sg else 'CBOW'} | {impl} | {best:,.0f} | "
                    f"{best / ref:.2f} | {_ms([r['ws'] for r in rs])} | "
                    f"{_ms([r['ws_all'] for r in rs])} | {_ms([r['sl'] for r in rs])} | "
                    f"{_ms([r['sl_all'] for r in rs])} | "
                    f"{max(r['train_rss_mb'] for r in rs):.0f} |")
        lines.append(f"\nOOV pairs: WS353 {rows[0]['ws_oov']:.1%}, SimLex "
                     f"{rows[0]['sl_oov']:.1%}. Load average at the end "
                     f"{os.getloadavg()[0]:.1f}.\n")
    if "rare" in args.only or "bucket" in args.only:
        rare_corpus = CACHE / "subword_rare_corpus.txt"
        pairs = CACHE / "subword_rare_pairs.json"
        if not rare_corpus.exists():
            plant_variants(corpus, rare_corpus, pairs)
        base = dict(impl="skembed", sg=1, corpus=str(rare_corpus), pairs=str(pairs))
    if "rare" in args.only:
        cfgs = {
            "word2vec, min_count 5 (variant unknown)": dict(model="word2vec"),
            "word2vec, min_count 1 (variant from 3 occurrences)":
                dict(model="word2vec", params=dict(min_count=1)),
            "fastText, min_count 5 (variant from n-grams)": {},
            "fastText, min_count 1 (variant's own vector + n-grams)":
                dict(params=dict(min_count=1)),
            "gensim FastText, min_count 5": dict(impl="gensim"),
        }
        lines += ["\nRare-word check: 200 misspelt variants of frequent words, "
                  "each planted 3 times (skip-gram).\n",
                  "| vectors | cosine(variant, word) | word in variant's top 10 | "
                  "variants without a vector | WS353 in-vocab | SimLex in-vocab |",
                  "|---|---:|---:|---:|---:|---:|"]
        for name, extra in cfgs.items():
            rs = [_run({**base, **extra, "seed": s}) for s in seeds]
            lines.append(f"| {name} | {_ms([r['rare_cos'] for r in rs])} | "
                         f"{_ms([r['rare_r10'] for r in rs])} | "
                         f"{rs[0]['rare_zero']} | {_ms([r['ws'] for r in rs])} | "
                         f"{_ms([r['sl'] for r in rs])} |")
    if "bucket" in args.only:
        lines += ["\nBuckets: skip-gram fastText, min_count 5, seed 1 (quality of "
                  "one seed; the seed-to-seed sd above is the noise). 'table' is "
                  "the n-gram memory skembed keeps (rows in use + a 4-byte map per "
                  "bucket); fastText and gensim allocate bucket x dim floats.\n",
                  "| bucket | n-gram rows in use | table MB (skembed) | bucket x dim MB "
                  "| WS353 in-vocab | WS353 all | SimLex all | variant cosine | "
                  "variant top 10 |", "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for bucket in (10_000, 100_000, 500_000, 2_000_000):
            r = _run({**base, "seed": 1, "params": dict(bucket=bucket)})
            lines.append(f"| {bucket:,} | {r['ngram_rows']:,} | {r['table_mb']:.1f} | "
                         f"{bucket * 100 * 4 / 2**20:,.0f} | {r['ws']:.3f} | "
                         f"{r['ws_all']:.3f} | {r['sl_all']:.3f} | "
                         f"{r['rare_cos']:.3f} | {r['rare_r10']:.2f} |")
    RESULTS.parent.mkdir(exist_ok=True)
    with open(RESULTS, "a", encoding="utf8") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
