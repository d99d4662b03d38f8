"""skembed's SGNS engine against gensim 4.x, same corpus, same hyper-parameters.

Run (after ``pip install -e ".[bench]"``)::

    python benchmarks/bench_engine.py            # SG + CBOW, 1 and 2 threads
    python benchmarks/bench_engine.py --quick    # SG + CBOW, 1 thread, 2 epochs

Every configuration trains in a fresh subprocess, so peak RSS and CPU time
belong to that run alone. The corpus is the largest English text that can be
assembled offline from gensim's own ``gensim/test/test_data`` (the shortened
English Wikipedia dump, the Lee corpora, Pang & Lee polarity, para2para, the
stemmed ``head500`` file), chunked to 1,000 tokens per line. Quality uses
gensim's own evaluators on both models: ``questions-words.txt`` analogies
(restrict_vocab=30000) and ``wordsim353.tsv`` Spearman.

The robust speed figure on a shared machine is effective words per CPU-second
of the training call (effective = kept after frequent-word subsampling).
A Markdown table is appended to ``benchmarks/results/engine.md``.
"""

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # this checkout's skembed, not an installed one
CACHE = HERE / ".cache"
RESULTS = HERE / "results" / "engine.md"

PARAMS = dict(dim=100, window=5, negative=5, min_count=5, sample=1e-3, alpha=0.025)


def _test_data():
    import gensim.test.utils as gtu

    return Path(gtu.datapath("questions-words.txt")).parent


def build_corpus(path):
    """Write the benchmark corpus, one <=1000-token line per chunk."""
    from gensim.corpora.wikicorpus import WikiCorpus
    from gensim.utils import simple_preprocess

    data = _test_data()
    docs = []
    for dump in [
        "enwiki-latest-pages-articles1.xml-p000000010p000030302-shortened.bz2",
        "enwiki-table-markup.xml.bz2",
    ]:
        wiki = WikiCorpus(str(data / dump), dictionary={})
        docs.extend(wiki.get_texts())
    for name in [
        "lee_background.cor", "lee.cor", "pang_lee_polarity.cor",
        "para2para_text1.txt", "para2para_text2.txt", "head500.noblanks.cor",
    ]:
        with open(data / name, encoding="utf8", errors="ignore") as f:
            for line in f:
                tokens = simple_preprocess(line, min_len=2, max_len=15)
                if tokens:
                    docs.append(tokens)
    n_tokens = 0
    with open(path, "w", encoding="utf8") as out:
        for doc in docs:
            for start in range(0, len(doc), 1000):
                chunk = doc[start : start + 1000]
                out.write(" ".join(chunk) + "\n")
                n_tokens += len(chunk)
    return n_tokens


def read_corpus(path):
    with open(path, encoding="utf8") as f:
        return [line.split() for line in f]


def evaluate(keys, vectors):
    from gensim.models import KeyedVectors
    from threadpoolctl import threadpool_limits

    kv = KeyedVectors(vectors.shape[1])
    kv.add_vectors(keys, vectors)
    data = _test_data()
    with threadpool_limits(1):
        analogy, _ = kv.evaluate_word_analogies(
            str(data / "questions-words.txt"), restrict_vocab=30000
        )
        pearson, spearman, oov = kv.evaluate_word_pairs(str(data / "wordsim353.tsv"))
    return float(analogy), float(spearman[0]), float(oov)


def worker(impl, sg, threads, epochs, corpus_path, seed=1):
    """Train once and print a JSON line with timings, RSS and quality."""
    sentences = read_corpus(corpus_path)
    raw = sum(map(len, sentences))
    if impl == "gensim":
        from gensim.models import Word2Vec

        model = Word2Vec(
            vector_size=PARAMS["dim"], window=PARAMS["window"],
            negative=PARAMS["negative"], min_count=PARAMS["min_count"],
            sample=PARAMS["sample"], alpha=PARAMS["alpha"], min_alpha=1e-4,
            sg=int(sg), hs=0, workers=threads, seed=seed, epochs=epochs,
        )
        model.build_vocab(sentences)
        rss_imports = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        c0, t0 = time.process_time(), time.perf_counter()
        effective, _ = model.train(
            sentences, total_examples=len(sentences), epochs=epochs
        )
        cpu, wall = time.process_time() - c0, time.perf_counter() - t0
        keys, vectors = model.wv.index_to_key, model.wv.vectors
    else:
        import numpy as np

        from skembed._engine._driver import train_sgns
        from skembed._engine._vocab import build_vocabulary, count_tokens, encode

        counts, _ = count_tokens(sentences)
        vocab = build_vocabulary(counts, min_count=PARAMS["min_count"])
        indptr, ids = encode(sentences, vocab.key_to_index)
        # warm the JIT cache outside the timed region (a cached load)
        train_sgns((np.array([0, 2]), np.array([0, 1], np.int32)), np.array([1, 1]),
                   sample=0, n_components=PARAMS["dim"], n_epochs=1, n_jobs=threads,
                   sg=sg)
        rss_imports = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        c0, t0 = time.process_time(), time.perf_counter()
        res = train_sgns(
            (indptr, ids), vocab.counts, n_components=PARAMS["dim"],
            window=PARAMS["window"], negative=PARAMS["negative"],
            sample=PARAMS["sample"], learning_rate=PARAMS["alpha"], sg=sg,
            n_epochs=epochs, random_state=seed, n_jobs=threads,
        )
        cpu, wall = time.process_time() - c0, time.perf_counter() - t0
        effective = res.n_words
        keys, vectors = vocab.index_to_key, res.w_in
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    analogy, ws353, oov = evaluate(keys, vectors)
    print(json.dumps(dict(
        impl=impl, mode="SG" if sg else "CBOW", threads=threads, epochs=epochs,
        raw_words=raw, effective_words=int(effective), train_cpu_s=cpu,
        train_wall_s=wall, eff_words_per_cpu_s=effective / cpu, seed=seed,
        rss_after_imports_mb=rss_imports,
        eff_words_per_wall_s=effective / wall, peak_rss_mb=rss, analogy=analogy,
        ws353=ws353, ws353_oov=oov,
    )))


def run(args):
    CACHE.mkdir(exist_ok=True)
    corpus = CACHE / "engine_corpus.txt"
    if not corpus.exists():
        print("building corpus ...", flush=True)
        n = build_corpus(corpus)
        print(f"corpus: {n:,} tokens -> {corpus}", flush=True)
    threads_list = [1] if args.quick or args.one_thread else [1, 2]
    epochs = 2 if args.quick else 5
    rows = []
    for sg in (True, False):
        for threads in threads_list:
            for impl in ("gensim", "skembed"):
                for rep in range(args.repeat):
                    cmd = [sys.executable, __file__, "--worker", impl, str(int(sg)),
                           str(threads), str(epochs), str(corpus), str(1 + rep)]
                    out = subprocess.run(cmd, capture_output=True, text=True,
                                         env={**os.environ, "OMP_NUM_THREADS": "1"})
                    if out.returncode:
                        sys.exit(f"worker failed: {' '.join(cmd)}\n{out.stderr}")
                    row = json.loads(out.stdout.strip().splitlines()[-1])
                    row["rep"] = rep
                    rows.append(row)
                    print(json.dumps(row), flush=True)
    write_table(rows, args, corpus)


def _cell(rows, impl, mode, threads):
    key = (impl, mode, threads)
    return [r for r in rows if (r["impl"], r["mode"], r["threads"]) == key]


def _best(rows, impl, mode, threads):
    sel = _cell(rows, impl, mode, threads)
    return max(sel, key=lambda r: r["eff_words_per_cpu_s"]) if sel else None


def _mean_sd(values):
    import statistics

    if len(values) == 1:
        return f"{values[0]:.4f}"
    return f"{statistics.mean(values):.4f} ± {statistics.stdev(values):.4f}"


def write_table(rows, args, corpus):
    import gensim
    import numba

    import skembed

    load = os.getloadavg()
    reps = args.repeat
    lines = [
        f"\n## {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} — "
        f"`python benchmarks/bench_engine.py{' --quick' if args.quick else ''}"
        f"{f' --repeat {reps}' if reps != 1 else ''}`\n",
        f"skembed {skembed.__version__}, gensim {gensim.__version__}, numba "
        f"{numba.__version__}, Python {platform.python_version()}, "
        f"{os.cpu_count()} cores, load average at end {load[0]:.1f}. Corpus "
        f"{rows[0]['raw_words']:,} tokens ({corpus.name}); dim 100, window 5, "
        "negative 5, min_count 5, sample 1e-3, "
        f"{rows[0]['epochs']} epochs. {reps} run(s) per cell with seeds "
        f"1..{reps}: speed is the best run, quality the mean ± sd over seeds. "
        "Speed is effective words per CPU-second of the training call "
        "(robust on a shared machine); wall figures depend on the load. "
        "RSS: peak of the process; 'training' is what training added after "
        "the imports, corpus and vocabulary.\n",
        "| mode | threads | impl | eff. words / CPU-s | ratio vs gensim | "
        "eff. words / wall-s | peak RSS MB | training RSS MB | analogy acc. | "
        "WS353 ρ |",
        "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for mode in ("SG", "CBOW"):
        for threads in sorted({r["threads"] for r in rows}):
            g = _best(rows, "gensim", mode, threads)
            for impl in ("gensim", "skembed"):
                r = _best(rows, impl, mode, threads)
                if r is None:
                    continue
                cell = _cell(rows, impl, mode, threads)
                ratio = r["eff_words_per_cpu_s"] / g["eff_words_per_cpu_s"]
                lines.append(
                    f"| {mode} | {threads} | {impl} | "
                    f"{r['eff_words_per_cpu_s']:,.0f} | {ratio:.2f} | "
                    f"{r['eff_words_per_wall_s']:,.0f} | {r['peak_rss_mb']:.0f} | "
                    f"{r['peak_rss_mb'] - r['rss_after_imports_mb']:.0f} | "
                    f"{_mean_sd([c['analogy'] for c in cell])} | "
                    f"{_mean_sd([c['ws353'] for c in cell])} |"
                )
    for mode in ("SG", "CBOW"):
        one, two = _best(rows, "skembed", mode, 1), _best(rows, "skembed", mode, 2)
        if one and two:
            lines.append(
                f"\nskembed {mode}: 2 threads / 1 thread wall throughput = "
                f"{two['eff_words_per_wall_s'] / one['eff_words_per_wall_s']:.2f}x "
                f"(load average {load[0]:.1f}; meaningful only on an idle machine)."
            )
    RESULTS.parent.mkdir(exist_ok=True)
    with open(RESULTS, "a", encoding="utf8") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))


def scaling(repeat=3):
    """Wall throughput of 1 vs 2 threads, in one process, best of ``repeat``."""

    from skembed._engine._driver import train_sgns
    from skembed._engine._vocab import build_vocabulary, count_tokens, encode

    corpus = CACHE / "engine_corpus.txt"
    if not corpus.exists():
        CACHE.mkdir(exist_ok=True)
        build_corpus(corpus)
    sentences = read_corpus(corpus)
    counts, _ = count_tokens(sentences)
    vocab = build_vocabulary(counts, min_count=PARAMS["min_count"])
    indptr, ids = encode(sentences, vocab.key_to_index)
    for threads in (1, 2):  # load the compiled kernels outside the timing
        train_sgns((indptr[:50], ids), vocab.counts, n_components=100, n_epochs=1,
                   n_jobs=threads)
    best = {}
    for _ in range(repeat):
        for threads in (1, 2):
            for sg in (True, False):
                t0 = time.perf_counter()
                res = train_sgns((indptr, ids), vocab.counts, n_components=100,
                                 n_epochs=1, random_state=1, sg=sg, n_jobs=threads)
                rate = res.n_words / (time.perf_counter() - t0)
                best[sg, threads] = max(best.get((sg, threads), 0.0), rate)
    load = os.getloadavg()[0]
    lines = [
        f"\n### Thread scaling, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}"
        f" — `python benchmarks/bench_engine.py --scaling`\n",
        f"One epoch, one process, best of {repeat}, wall-clock effective words "
        f"per second; load average {load:.1f} at the end (meaningful only when "
        "the machine is otherwise idle).\n",
        "| mode | 1 thread | 2 threads | 2 / 1 |",
        "|---|---:|---:|---:|",
    ]
    for sg in (True, False):
        one, two = best[sg, 1], best[sg, 2]
        lines.append(f"| {'SG' if sg else 'CBOW'} | {one:,.0f} | {two:,.0f} | "
                     f"{two / one:.2f}x |")
    with open(RESULTS, "a", encoding="utf8") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--repeat", type=int, default=1,
                        help="runs per cell, with seeds 1..N (quality mean ± sd)")
    parser.add_argument("--one-thread", action="store_true",
                        help="skip the 2-thread runs")
    parser.add_argument("--scaling", action="store_true",
                        help="only measure 1 vs 2 threads (wall clock)")
    parser.add_argument("--worker", nargs=6, metavar=("IMPL", "SG", "THREADS",
                                                      "EPOCHS", "CORPUS", "SEED"))
    args = parser.parse_args()
    if args.scaling:
        scaling()
    elif args.worker:
        impl, sg, threads, epochs, corpus, seed = args.worker
        worker(impl, bool(int(sg)), int(threads), int(epochs), corpus, int(seed))
    else:
        run(args)


if __name__ == "__main__":
    main()
