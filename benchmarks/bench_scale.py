# ruff: noqa: E501  (long Markdown table strings)
"""Scale benchmark: wall time, CPU seconds and peak RSS at >= 1 M scale.

Each case runs in a child process of its own (``--child CASE``), so the peak
RSS is the child's own ``VmHWM`` (read from ``/proc/self/status`` at the end
of the child; ``ru_maxrss`` of a child inherits the parent's peak across
``exec``) and its CPU time the child's user + sys from ``os.wait4``.

Cases (``--quick``: smaller sizes for a smoke run):

1. ``Word2VecVectorizer`` fitted on a synthetic Zipf corpus (50,000-word
   vocabulary, exponent 1.1, sentences of 10-30 tokens, seeded) streamed
   from a file under ``benchmarks/.cache/`` (``fit(open(path))``: one line
   is one document, the strings are never all in memory), at two corpus
   sizes, to show whether peak RSS grows with the corpus or only with the
   vocabulary and the model. One epoch (the cost per epoch is what scales).
2. ``Node2VecEmbedder`` on a random graph of >= 1 M undirected edges (a
   ring, so no node is isolated, plus Chung-Lu edges with power-law
   expected degrees), n_walks 4, walk_length 40, dim 64, window 5, 2 threads.
3. ``EntityEmbeddingEncoder`` on >= 1 M rows x 5 categorical columns with a
   planted additive effect, ``cv=None``, 5 epochs.

    python benchmarks/bench_scale.py --quick
    python benchmarks/bench_scale.py            # full sizes

writes ``benchmarks/results/scale.md`` (``--out`` to change).
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # this checkout's skembed, not an installed one
CACHE = HERE / ".cache"
MiB = 2**20

FULL = {
    "w2v": [5_000_000, 20_000_000],
    "w2v_short": [5_000_000, 20_000_000],
    "node2vec": [250_000, 1_000_000],
    "graph_check": [1_000_000],
    "entity": [1_000_000],
    "w2v_pretrained": [5_000_000, 20_000_000],
    "w2v_finetune": [5_000_000, 20_000_000],
    "w2v_transform": [5_000_000, 20_000_000],
    "cli_node2vec": [1_000_000],
    "cli_item2vec": [1_000_000],
}
QUICK = {
    "w2v": [500_000, 2_000_000],
    "w2v_short": [500_000, 2_000_000],
    "node2vec": [100_000],
    "graph_check": [100_000],
    "entity": [100_000],
    "w2v_pretrained": [500_000, 2_000_000],
    "w2v_finetune": [500_000, 2_000_000],
    "w2v_transform": [500_000, 2_000_000],
    "cli_node2vec": [100_000],
    "cli_item2vec": [100_000],
}


# ----------------------------------------------------------------- helpers
def proc_status(field):
    """A ``/proc/self/status`` memory field (``VmHWM``, ``VmRSS``) in bytes."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    return -1


def timed(fn):
    w0, c0 = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - w0, time.process_time() - c0


# ------------------------------------------------------------------ data
#: tokens per line (inclusive range) of the corpus of each word2vec case
LINE_TOKENS = {"w2v": (10, 30), "w2v_short": (3, 7)}


def zipf_corpus(n_tokens, *, vocab=50_000, exponent=1.1, seed=0, lengths=(10, 30)):
    """Path of a cached synthetic Zipf corpus of about ``n_tokens`` tokens,
    lines of ``lengths[0]`` to ``lengths[1]`` tokens."""
    CACHE.mkdir(parents=True, exist_ok=True)
    shape = "" if lengths == (10, 30) else f"_{lengths[0]}-{lengths[1]}"
    path = CACHE / f"zipf_{n_tokens}_{vocab}_{exponent}_{seed}{shape}.txt"
    if path.exists():
        return path
    rng = np.random.default_rng(seed)
    p = np.arange(1, vocab + 1, dtype=np.float64) ** -exponent
    p /= p.sum()
    words = np.array([f"w{k}" for k in range(vocab)], dtype=object)
    tmp = path.with_suffix(".part")
    written = 0
    with open(tmp, "w", encoding="utf-8") as f:
        while written < n_tokens:
            sizes = rng.integers(lengths[0], lengths[1] + 1, size=10_000)
            ids = rng.choice(vocab, size=int(sizes.sum()), p=p)
            toks = words[ids]
            ends = np.cumsum(sizes)
            lines = [
                " ".join(toks[e - n : e]) for n, e in zip(sizes, ends, strict=True)
            ]
            f.write("\n".join(lines))
            f.write("\n")
            written += int(sizes.sum())
    tmp.rename(path)
    return path


def random_graph(n_edges, *, seed=0, exponent=2.5):
    """Symmetric CSR adjacency with about ``n_edges`` undirected edges.

    A ring over ``n = n_edges // 5`` nodes (no isolated node) plus Chung-Lu
    edges: both endpoints drawn proportional to Pareto(exponent - 1) weights,
    self-loops and duplicates removed.
    """
    import scipy.sparse as sp

    rng = np.random.default_rng(seed)
    n = max(n_edges // 5, 10)
    w = rng.pareto(exponent - 1.0, size=n) + 1.0
    p = w / w.sum()
    ring = np.arange(n, dtype=np.int64)
    u = [ring]
    v = [(ring + 1) % n]
    m = n_edges - n
    u.append(rng.choice(n, size=int(m * 1.1), p=p))
    v.append(rng.choice(n, size=int(m * 1.1), p=p))
    u = np.concatenate(u)
    v = np.concatenate(v)
    lo, hi = np.minimum(u, v), np.maximum(u, v)
    key = np.unique(lo[lo != hi] * n + hi[lo != hi])
    # keep the ring edges, then as many random edges as needed
    ring_key = np.minimum(ring, (ring + 1) % n) * n + np.maximum(ring, (ring + 1) % n)
    rest = np.setdiff1d(key, ring_key)
    rest = rng.permutation(rest)[: max(n_edges - n, 0)]
    key = np.concatenate([np.unique(ring_key), rest])
    a, b = key // n, key % n
    rows = np.concatenate([a, b])
    cols = np.concatenate([b, a])
    A = sp.csr_matrix(
        (np.ones(rows.shape[0], dtype=np.float32), (rows, cols)), shape=(n, n)
    )
    return A, int(key.shape[0])


def edge_file(n_edges, *, seed=0):
    """Path of a cached weighted edge list of the graph of
    :func:`random_graph` (``n<u> n<v> <weight>`` lines, a comment line)."""
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"edges_{n_edges}_{seed}.txt"
    if path.exists():
        return path
    A, _ = random_graph(n_edges, seed=seed)
    coo = sp_triu(A)
    rng = np.random.default_rng(seed)
    weights = rng.integers(1, 9, size=coo.nnz) / 4
    tmp = path.with_suffix(".part")
    with open(tmp, "w", encoding="utf-8") as f:
        f.write("# source target weight\n")
        for start in range(0, coo.nnz, 100_000):
            stop = start + 100_000
            f.write("".join(
                f"n{u} n{v} {w}\n" for u, v, w in zip(
                    coo.row[start:stop].tolist(), coo.col[start:stop].tolist(),
                    weights[start:stop].tolist(), strict=True)
            ))
    tmp.rename(path)
    return path


def sp_triu(A):
    import scipy.sparse as sp

    return sp.triu(A, k=1, format="coo")


def basket_file(n_baskets, *, items=50_000, seed=0):
    """Path of a cached basket file: 2-10 items per line (``i<k>``) drawn
    with Zipf-like (exponent 0.9) item frequencies."""
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"baskets_{n_baskets}_{items}_{seed}.txt"
    if path.exists():
        return path
    rng = np.random.default_rng(seed)
    p = np.arange(1, items + 1, dtype=np.float64) ** -0.9
    p /= p.sum()
    names = np.array([f"i{k}" for k in range(items)], dtype=object)
    tmp = path.with_suffix(".part")
    with open(tmp, "w", encoding="utf-8") as f:
        for start in range(0, n_baskets, 100_000):
            n = min(100_000, n_baskets - start)
            sizes = rng.integers(2, 11, size=n)
            toks = names[rng.choice(items, size=int(sizes.sum()), p=p)]
            ends = np.cumsum(sizes)
            f.write("".join(
                " ".join(toks[e - k : e]) + "\n"
                for k, e in zip(sizes.tolist(), ends.tolist(), strict=True)
            ))
    tmp.rename(path)
    return path


def entity_frame(n_rows, *, seed=0):
    """5 categorical columns (cardinality 10 .. 50,000) and an additive target."""
    import pandas as pd

    rng = np.random.default_rng(seed)
    cards = [10, 100, 1_000, 10_000, 50_000]
    cols = {}
    y = np.zeros(n_rows)
    for j, card in enumerate(cards):
        p = np.arange(1, card + 1, dtype=np.float64) ** -0.8
        p /= p.sum()
        codes = rng.choice(card, size=n_rows, p=p)
        effect = rng.standard_normal(card)
        y += effect[codes]
        cols[f"c{j}"] = pd.Categorical.from_codes(
            codes, categories=[f"c{j}_{k}" for k in range(card)]
        )
    y += rng.standard_normal(n_rows)
    return pd.DataFrame(cols), y


# --------------------------------------------------------------- children
def child_w2v(size, threads, case="w2v"):
    path = zipf_corpus(size, lengths=LINE_TOKENS[case])
    params = dict(
        n_components=100, window=5, min_count=5, n_epochs=1, pooling="mean",
        random_state=0, n_jobs=threads,
    )
    est, row = _fit_file(params, path)
    n_words, dim = est.embedding_.shape
    return {**row, "vocab": n_words, "dim": dim, "model_bytes": n_words * dim * 4 * 2}


def _fit_file(params, path):
    """``Word2VecVectorizer(**params).fit(open(path))`` after a warm-up fit
    (numba compilation): the estimator and the common fields of its row."""
    from skembed import Word2VecVectorizer

    Word2VecVectorizer(**params).fit(["w1 w2 w3 w1 w2"] * 10)  # compile
    rss_before = proc_status("VmRSS")
    hwm_before = proc_status("VmHWM")
    est = Word2VecVectorizer(**params)
    with open(path, encoding="utf-8") as f:
        _, wall, cpu = timed(lambda: est.fit(f))
    with open(path, "rb") as f:
        docs = sum(1 for _ in f)
    return est, {
        "wall": wall, "cpu": cpu, "rss_before": rss_before, "hwm_before": hwm_before,
        "file_bytes": path.stat().st_size,
        "tokens_in_vocab": int(est.wv_.counts.sum()), "docs": docs,
    }


def child_node2vec(size, threads):
    import warnings

    from skembed import Node2VecEmbedder

    A, n_edges = random_graph(size)
    params = dict(
        n_components=64, n_walks=4, walk_length=40, window=5, p=1.0, q=0.5,
        random_state=0, n_jobs=threads,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        Node2VecEmbedder(**params).fit(random_graph(200)[0])  # compile
    rss_before = proc_status("VmRSS")
    hwm_before = proc_status("VmHWM")
    est = Node2VecEmbedder(**params)
    _, wall, cpu = timed(lambda: est.fit(A))
    return {
        "wall": wall, "cpu": cpu, "rss_before": rss_before, "hwm_before": hwm_before,
        "nodes": A.shape[0], "edges": n_edges,
        "walk_tokens": A.shape[0] * 4 * 40,
        "timings": {k: float(v) for k, v in est.timings_.items()},
        "model_bytes": A.shape[0] * 64 * 4 * 2,
        "graph_bytes": A.data.nbytes + A.indices.nbytes + A.indptr.nbytes,
    }


def child_graph_check(size, threads):
    """tracemalloc peak of ``check_graph`` alone on three forms of the graph
    of the node2vec case (what validation costs before any walk)."""
    import tracemalloc

    from skembed._graph._checks import check_graph

    A, n_edges = random_graph(size)
    check_graph(random_graph(200)[0])  # load the kernels outside the trace
    coo = A.tocoo()
    upper = coo.row < coo.col
    forms = {
        "float32 CSR (symmetric)": A,
        "float64 CSR (symmetric)": A.astype(np.float64),
        "int64 edge list (n_edges, 2)": np.column_stack(
            [coo.row[upper], coo.col[upper]]
        ).astype(np.int64),
    }
    del coo, upper
    rss_before = proc_status("VmRSS")
    hwm_before = proc_status("VmHWM")
    cases = {}
    for label, G in forms.items():
        tracemalloc.start()
        (B, _), wall, cpu = timed(lambda G=G: check_graph(G))
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        cases[label] = {
            "peak": peak, "cpu": cpu, "wall": wall,
            "input_bytes": int(sum(getattr(G, a).nbytes for a in ("data", "indices", "indptr")))
            if hasattr(G, "indptr") else int(G.nbytes),
            "output_bytes": int(B.data.nbytes + B.indices.nbytes + B.indptr.nbytes),
        }
        del B
    return {
        "wall": sum(c["wall"] for c in cases.values()),
        "cpu": sum(c["cpu"] for c in cases.values()),
        "rss_before": rss_before, "hwm_before": hwm_before,
        "nodes": A.shape[0], "edges": n_edges, "cases": cases,
    }


def child_entity(size, threads):
    from skembed import EntityEmbeddingEncoder

    X, y = entity_frame(size)
    params = dict(cv=None, n_epochs=5, early_stopping=False, random_state=0)
    small, ys = entity_frame(2000, seed=1)
    EntityEmbeddingEncoder(**params).fit(small, ys)  # compile
    rss_before = proc_status("VmRSS")
    hwm_before = proc_status("VmHWM")
    est = EntityEmbeddingEncoder(**params)
    _, wall, cpu = timed(lambda: est.fit(X, y))
    out = est.transform(X.iloc[:1000])
    return {
        "wall": wall, "cpu": cpu, "rss_before": rss_before, "hwm_before": hwm_before,
        "rows": X.shape[0], "columns": X.shape[1], "out_width": out.shape[1],
        "frame_bytes": int(X.memory_usage(deep=True).sum()),
    }


def child_w2v_short(size, threads):
    return child_w2v(size, threads, case="w2v_short")


def _pretrained_vectors(vocab=50_000, dim=100, seed=0):
    """Random "pretrained" vectors for the words of the Zipf corpus."""
    from skembed import KeyedVectors

    rng = np.random.default_rng(seed)
    vectors = rng.standard_normal((vocab, dim), dtype=np.float32)
    return KeyedVectors([f"w{k}" for k in range(vocab)], vectors)


def child_w2v_pretrained(size, threads, fine_tune=False):
    """``Word2VecVectorizer(vectors=...)`` fitted on the Zipf corpus streamed
    from its file: frozen (only the tf-idf statistics) or fine-tuned."""
    path = zipf_corpus(size)
    kv = _pretrained_vectors()
    params = dict(vectors=kv, fine_tune=fine_tune, pooling="tfidf",
                  random_state=0, n_jobs=threads)
    _, row = _fit_file(params, path)
    return {
        **row, "vocab": len(kv), "dim": kv.vector_size,
        "model_bytes": len(kv) * kv.vector_size * 4 * (2 if fine_tune else 1),
    }


def child_w2v_finetune(size, threads):
    return child_w2v_pretrained(size, threads, fine_tune=1)


def child_w2v_transform(size, threads):
    """``transform`` of the Zipf corpus's lines held in a list (the list is
    in *before*): peak - before = the output + what the call keeps."""
    from skembed import Word2VecVectorizer

    path = zipf_corpus(size)
    est = Word2VecVectorizer(vectors=_pretrained_vectors(), pooling="tfidf")
    est.fit(["w1 w2 w3 w1 w2"] * 10)
    with open(path, encoding="utf-8") as f:
        docs = f.read().splitlines()
    tokens = sum(len(doc.split()) for doc in docs)
    rss_before = proc_status("VmRSS")
    hwm_before = proc_status("VmHWM")
    out, wall, cpu = timed(lambda: est.transform(docs))
    return {
        "wall": wall, "cpu": cpu, "rss_before": rss_before, "hwm_before": hwm_before,
        "file_bytes": path.stat().st_size, "docs": len(docs),
        "tokens_in_vocab": tokens,
        "vocab": len(est.wv_), "dim": est.wv_.vector_size,
        "model_bytes": len(est.wv_) * est.wv_.vector_size * 4,
        "output_bytes": int(out.nbytes),
    }


#: CLI arguments of the CLI cases (a small model: the readers are measured)
CLI_ARGS = {
    "cli_node2vec": ["--dimensions", "32", "--walk-length", "20", "--num-walks",
                     "2", "--window-size", "5", "--weighted", "--seed", "1"],
    "cli_item2vec": ["--dimensions", "32", "--epochs", "1", "--seed", "1"],
}


def child_cli(size, threads, case):
    """``skembed <command>`` run in this process through ``main(argv)``:
    *before* is the RSS after importing skembed, its CLI, pandas and a
    warm-up run on a tiny file (numba compilation), so peak - before is what
    reading the file and training added."""
    import tempfile

    from skembed._cli import main

    command = case.split("_", 1)[1]
    path = edge_file(size) if command == "node2vec" else basket_file(size)
    common = [*CLI_ARGS[case], "--workers", str(threads), "-q"]
    with tempfile.TemporaryDirectory() as tmp:
        tiny = Path(tmp) / "tiny.txt"
        tiny.write_text("a b 1\nb c 2\nc a 1\nc d 1\n" * 20)
        main([command, "--input", str(tiny), "--output", str(Path(tmp) / "t.txt"),
              *common])
        rss_before = proc_status("VmRSS")
        hwm_before = proc_status("VmHWM")
        out = Path(tmp) / "vectors.txt"
        _, wall, cpu = timed(lambda: main(
            [command, "--input", str(path), "--output", str(out), *common]
        ))
        n_vectors = int(out.open().readline().split()[0])
    with open(path, "rb") as f:
        lines = sum(1 for _ in f)
    return {
        "wall": wall, "cpu": cpu, "rss_before": rss_before, "hwm_before": hwm_before,
        "file_bytes": path.stat().st_size, "lines": lines, "vectors": n_vectors,
        "model_bytes": n_vectors * 32 * 4 * 2,
    }


def child_cli_node2vec(size, threads):
    return child_cli(size, threads, "cli_node2vec")


def child_cli_item2vec(size, threads):
    return child_cli(size, threads, "cli_item2vec")


CHILDREN = {
    "w2v": child_w2v,
    "w2v_short": child_w2v_short,
    "node2vec": child_node2vec,
    "graph_check": child_graph_check,
    "entity": child_entity,
    "w2v_pretrained": child_w2v_pretrained,
    "w2v_finetune": child_w2v_finetune,
    "w2v_transform": child_w2v_transform,
    "cli_node2vec": child_cli_node2vec,
    "cli_item2vec": child_cli_item2vec,
}


def run_child(case, size, threads, timeout, src=HERE.parent):
    cmd = [sys.executable, __file__, "--child", case, "--size", str(size),
           "--threads", str(threads)]
    # measure the skembed of this checkout, not whichever one is installed
    path = os.pathsep.join(filter(None, [str(src), os.environ.get("PYTHONPATH")]))
    env = dict(os.environ, PYTHONUNBUFFERED="1", PYTHONPATH=path)
    w0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, env=env)
    deadline = time.monotonic() + timeout
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() > deadline:
            proc.kill()
            pid, status, usage = os.wait4(proc.pid, 0)
            return {"case": case, "size": size, "error": f"timeout {timeout}s"}
        time.sleep(0.2)
    out = proc.stdout.read()
    proc.returncode = os.waitstatus_to_exitcode(status)
    res = {"case": case, "size": size, "child_wall": time.perf_counter() - w0,
           "child_cpu": usage.ru_utime + usage.ru_stime}
    lines = [ln for ln in out.splitlines() if ln.startswith("RESULT ")]
    if proc.returncode != 0 or not lines:
        res["error"] = f"exit {proc.returncode}"
        return res
    res.update(json.loads(lines[-1][len("RESULT "):]))
    return res


# ----------------------------------------------------------------- report
def mib(x):
    return f"{x / MiB:,.0f}"


NOTES = """\
## Notes

Codes: `this` = the current checkout; `7f87488 (before)` = the code before
the per-document fix below (same session, same load, run with `--src` on an
export of that commit); `before spill (older)` = the code before the corpus
was spilled to disk at all (an earlier session). The EntityEmbeddingEncoder
row is from that earlier session too (not re-run: untouched code).
`2af832e (before)` = the code before the pretrained path and the CLI
readers streamed (a later session; its `this` rows are the code after it;
the trained word2vec and node2vec rows above were not re-run: their code
paths did not change).

Commands (the JSON rows are merged through `scale.json`, `--render` writes
this file):

    python benchmarks/bench_scale.py --only w2v w2v_short node2vec graph_check
    python benchmarks/bench_scale.py --only w2v w2v_short node2vec graph_check \\
        --src /tmp/before --tag "7f87488 (before)"   # git archive 7f87488 skembed
    python benchmarks/bench_scale.py --only w2v_pretrained w2v_finetune \\
        w2v_transform cli_node2vec cli_item2vec
    python benchmarks/bench_scale.py --only w2v_pretrained w2v_finetune \\
        w2v_transform cli_node2vec cli_item2vec \\
        --src /tmp/before-reliab2 --tag "2af832e (before)"  # git archive 2af832e skembed

- **Pretrained vectors.** `Word2VecVectorizer(vectors=...)` (frozen or
  `fine_tune`) encoded the whole corpus into int32 ids and an int64
  offset per document held in memory (plus the array's growth), and summed
  the idf over that one block. It now goes through the same scan as
  training (`_scan` with the pretrained vocabulary: unknown tokens get a
  provisional id that the re-map drops), so a corpus of more than 4 M
  tokens + documents is spilled and streamed block by block like the
  trained path's. Peak - before from 5 M to 20 M tokens grows by 12 MiB
  frozen / 6 MiB fine-tuned (0.8 / 0.4 bytes per token: the trained path's
  figure) against 62 / 50 MiB before (4.2 / 3.4 bytes per token), and is
  57 vs 120 MiB (frozen) and 68 vs 159 MiB (fine-tuned) at 20 M tokens.
  Outputs are bit-identical (pinned digests in tests/test_word2vec.py,
  in memory and spilled). CPU seconds are unchanged within noise.
- **transform.** For a list (Series, array) of documents, `transform`
  encodes and pools one group of 2^18 tokens at a time into the
  preallocated output (not for `pooling="sif"`, whose BLAS projection may
  round a row differently in a block of another height, and not for a
  generator, whose length is unknown): beyond the float32 output it adds
  0.4 - 1.8 bytes per token, where it kept the ids of the whole call and
  the tf-idf pooling temporaries of all of them (25 - 30 bytes per token):
  peak - before 853 -> 389 MiB at 20 M tokens (381 MiB of it the output).
- **CLI readers.** `skembed node2vec` read the edge list into three Python
  lists of strings (and a DataFrame of them, whose string ids the
  estimator factorised through a dictionary); it now appends node codes to
  an int32 array as it reads (one dictionary entry per node, not per edge)
  and hands the estimator integer codes numbered as it numbered the
  strings, so the output file is byte-identical (pinned in
  tests/test_cli.py): peak - before 354 -> 177 MiB at 1 M edges, the rest
  being the graph validation (integer edge list -> symmetric CSR, ~80 MiB
  at its peak) and the model; the reader itself takes 1.6 CPU s per M
  edges. `skembed item2vec` built a list of baskets (a list of str per
  basket), and `Item2VecTransformer.fit` copied it into another list,
  counted it with a `Counter`, encoded it through Python int lists and
  took the idf from a CSC copy; the CLI now streams the file's lines and
  `fit` parses, counts and encodes any plain iterable in one pass (the
  word2vec scan: 4 bytes per item occurrence): peak - before 788 -> 79 MiB
  at 1 M baskets (6 M item occurrences), CPU 21.9 -> 13.6 s.

- **word2vec memory.** A corpus of more than 4 M tokens + documents is
  spilled during the scan to two anonymous temporary files: the int32 token
  ids *and* the int32 document lengths. After the scan one pass re-maps the
  ids to the final vocabulary, drops the unknown ones and rewrites both
  files in place, one group of documents at a time, while the engine's
  chunk starts are found over the whole corpus (carried across groups) and
  grouped into 2 M-token training blocks; only the block bounds (4 numbers
  per block) stay in memory. Every epoch, the idf / SIF statistics and
  `fit_transform`'s pooling read one block at a time. The vectors are
  bit-identical to in-memory training (tested, also with many short and
  empty documents). `7f87488` kept the raw and final int64 document offsets
  and the scan's int32 length buffer in memory (~20 bytes per document),
  and `pooling="sif"` and `fit_transform` loaded the whole corpus back (4
  bytes per token + 8 per document). `tracemalloc` on a spilled fit of
  20,000 vs 80,000 two-token documents (tests/test_word2vec.py): the traced
  peak grows by ~0.0 bytes per document now, against 20 (mean), 17 (tfidf)
  and 184 (sif) bytes per document before. What still grows between the
  two sizes here is the vocabulary (44,000 -> 50,000 words: model, and the
  dictionary of distinct tokens). The temporary files live in `TMPDIR` (on
  a tmpfs that is RAM, not counted in the process RSS). CPU seconds of the
  short-document case are within this box's noise (repeats of the 20 M
  token run: 27.2 / 38.7 before, 30.8 / 37.2 / 38.4 after); a profile shows
  tokenisation and training, not the spill pass.
- **node2vec memory.** The peak of a fit is the training phase: the model
  (input and output vectors, 98 MiB at 1 M edges and 64 dimensions), the
  validated graph (float64 weights + int32 indices, 23 MiB), a few walk
  blocks and, before, the id -> row dictionary of the nodes (21 MiB traced
  at 200,000 nodes, alive during training; integer ids no longer have one):
  peak - before 158 -> 146 MiB at 1 M edges, 51 -> 42 MiB at 250 k. The
  validation phase before training changed more (table *check_graph
  alone*): a canonical symmetric float64 CSR
  is now used without a copy (its symmetry is tested in place by a numba
  kernel, where `(A != A.T).nnz` built the transpose and a comparison
  matrix, twice), a float32 one costs its float64 weights, and an integer
  edge list is coded through a presence table and symmetrised by a merge
  of the matrix with its transpose (was `np.unique` on a concatenated copy,
  then `A + A.T - diag`). For graphs whose model is small next to the graph
  (few dimensions), that phase was the peak. The dropped dictionary
  (~110 bytes per node) was also kept in the fitted estimator and its
  pickle.
- **Timing.** CPU seconds are the robust figure on this shared box. Walk
  generation is a small share of a node2vec fit (both passes under 10 % of
  the training time).
"""


W2V_TEXT = {
    "w2v": "Synthetic Zipf corpus (50,000-word vocabulary, exponent 1.1, "
    "**10-30 tokens per line**, seeded)",
    "w2v_short": "The same Zipf corpus cut into **3-7-token lines** (1 M and "
    "4 M documents), where per-document memory shows",
}


def _render_w2v(rows, case, title):
    if not rows:
        return []
    lines = [
        f"## Word2VecVectorizer, {title}",
        "",
        W2V_TEXT[case] + ", `fit(open(path))` with n_components=100, "
        "window=5, min_count=5, **1 epoch**, 2 threads. Model = vocab x dim x "
        "4 bytes x 2 (input and output vectors). Codes: see the notes.",
        "",
        "| code | tokens | documents | file MiB | vocab | model MiB | fit wall s | fit CPU s | child CPU s | RSS before fit MiB | peak RSS MiB | peak - before MiB | (peak - before) / token, bytes |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        tag = r.get("tag") or "this"
        if "error" in r:
            lines.append(f"| {tag} | {r['size']:,} | {r['error']} |" + " |" * 10)
            continue
        extra = r["hwm"] - r["rss_before"]
        docs = f"{r['docs']:,}" if "docs" in r else ""
        lines.append(
            f"| {tag} | {r['tokens_in_vocab']:,} | {docs} | {mib(r['file_bytes'])} "
            f"| {r['vocab']:,} | {mib(r['model_bytes'])} | {r['wall']:.1f} "
            f"| {r['cpu']:.1f} | {r['child_cpu']:.1f} | {mib(r['rss_before'])} "
            f"| {mib(r['hwm'])} | {mib(extra)} | {extra / r['tokens_in_vocab']:.2f} |"
        )
    lines.append("")
    tags = list(dict.fromkeys(r.get("tag", "") for r in rows))
    for tag in tags:
        ok = [r for r in rows if "error" not in r and r.get("tag", "") == tag]
        if len(ok) < 2:
            continue
        a, b = ok[0], ok[-1]
        grow = (b["hwm"] - b["rss_before"]) - (a["hwm"] - a["rss_before"])
        text = (
            f"- `{tag or 'this'}`: peak - before grows by {grow / MiB:,.0f} MiB "
            f"for {(b['tokens_in_vocab'] - a['tokens_in_vocab']) / 1e6:,.1f} M "
            f"more tokens = {grow / (b['tokens_in_vocab'] - a['tokens_in_vocab']):.2f} "
            "bytes per token"
        )
        if "docs" in a and "docs" in b and b["docs"] != a["docs"]:
            text += (
                f" or {grow / (b['docs'] - a['docs']):.1f} bytes per document "
                f"({b['docs'] - a['docs']:,} more lines)"
            )
        text += (
            f"; CPU seconds per M tokens {a['cpu'] / a['tokens_in_vocab'] * 1e6:.2f}"
            f" -> {b['cpu'] / b['tokens_in_vocab'] * 1e6:.2f}."
        )
        lines.append(text)
    lines.append("")
    return lines


def _table_rows(rows, lead, cells, n_cols):
    """Markdown rows of a table of ``n_cols`` columns: the ``lead(r)``
    cells, then ``cells(r, peak - before)``, or the size and the error of
    a failed case."""
    out = []
    for r in rows:
        head = lead(r)
        if "error" in r:
            head = head + [f"{r['size']:,}", r["error"]]
            out.append("| " + " | ".join(head) + " |" + " |" * (n_cols - len(head)))
            continue
        extra = r["hwm"] - r["rss_before"]
        out.append("| " + " | ".join(head + cells(r, extra)) + " |")
    return out


PRETRAINED_CASES = {
    "w2v_pretrained": "fit, frozen",
    "w2v_finetune": "fit, fine_tune=1",
    "w2v_transform": "transform(list)",
}


def _render_pretrained(results):
    rows = [r for r in results if r["case"] in PRETRAINED_CASES]
    if not rows:
        return []
    lines = [
        "## Word2VecVectorizer with pretrained vectors",
        "",
        "`vectors=` 50,000 random 100-dimensional vectors (the words of the "
        "Zipf corpus of the first table, 10-30 tokens per line), "
        "`pooling=\"tfidf\"`, 2 threads. *fit*: `fit(open(path))`, frozen "
        "(idf only) or fine-tuned for 1 epoch; *transform*: `transform(docs)` "
        "of the corpus's lines held in a list (the list is in *before*; the "
        "float32 output, documents x 100 x 4 bytes, is in *peak - before*). "
        "Model = the vectors (x 2 when fine-tuned: input and output).",
        "",
        "| code | call | tokens | documents | model MiB | output MiB | CPU s | RSS before MiB | peak RSS MiB | peak - before MiB | (peak - before - output) / token, bytes |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    order = list(PRETRAINED_CASES)
    rows = sorted(rows, key=lambda r: (order.index(r["case"]), bool(r.get("tag")),
                                       r.get("tag", ""), r["size"]))
    lines += _table_rows(
        rows,
        lambda r: [r.get("tag") or "this", PRETRAINED_CASES[r["case"]]],
        lambda r, extra: [
            f"{r['tokens_in_vocab']:,}", f"{r['docs']:,}", mib(r["model_bytes"]),
            mib(r.get("output_bytes", 0)), f"{r['cpu']:.1f}", mib(r["rss_before"]),
            mib(r["hwm"]), mib(extra),
            f"{(extra - r.get('output_bytes', 0)) / r['tokens_in_vocab']:.2f}",
        ],
        11,
    )
    lines.append("")
    return lines


def _render_cli(results):
    rows = [r for r in results if r["case"].startswith("cli_")]
    if not rows:
        return []
    lines = [
        "## Command line: node2vec and item2vec readers",
        "",
        "`skembed node2vec` on a weighted edge list (`n<u> n<v> <weight>` "
        "lines: the graph of the node2vec case) with "
        + " ".join(CLI_ARGS["cli_node2vec"])
        + "; `skembed item2vec` on a file of baskets (2-10 items per line, "
        "50,000 items, Zipf-like) with "
        + " ".join(CLI_ARGS["cli_item2vec"])
        + "; 2 workers. Run through `main(argv)` in the child; *before* is "
        "its RSS after the imports and a warm-up run on a tiny file, so "
        "*peak - before* is what reading the file, fitting and writing "
        "added. Model = vectors x 32 x 4 bytes x 2.",
        "",
        "| code | command | lines | file MiB | vectors | model MiB | CPU s | RSS before MiB | peak RSS MiB | peak - before MiB | (peak - before) / line, bytes |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    rows = sorted(rows, key=lambda r: (r["case"], bool(r.get("tag")), r.get("tag", "")))
    lines += _table_rows(
        rows,
        lambda r: [r.get("tag") or "this", r["case"].split("_", 1)[1]],
        lambda r, extra: [
            f"{r['lines']:,}", mib(r["file_bytes"]), f"{r['vectors']:,}",
            mib(r["model_bytes"]), f"{r['cpu']:.1f}", mib(r["rss_before"]),
            mib(r["hwm"]), mib(extra), f"{extra / r['lines']:.0f}",
        ],
        11,
    )
    lines.append("")
    return lines


def render(results, args):
    now = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    cmd = "python benchmarks/bench_scale.py" + (" --quick" if args.quick else "")
    lines = [
        "# Scale: time and peak memory at >= 1 M scale",
        "",
        f"`{cmd}` on {now}; Python {platform.python_version()}, "
        f"{os.cpu_count()} cores **shared with several other jobs** (the box was "
        "loaded: wall seconds are inflated and noisy; CPU seconds are the "
        "child's user + sys). Each case runs in its own process; *peak RSS* is "
        "the child's `VmHWM`, *before fit* its `VmRSS` after imports, data "
        "generation and a tiny warm-up fit (numba compilation), so "
        "*peak - before* is what the fit itself added. Rows may come from "
        "separate `--only CASE` runs (merged through `scale.json`); `--render` "
        "re-writes this file from it.",
        "",
    ]
    for case, title in (
        ("w2v", "corpus streamed from a file"),
        ("w2v_short", "many short documents"),
    ):
        lines += _render_w2v([r for r in results if r["case"] == case], case, title)
    n2v = [r for r in results if r["case"] == "node2vec"]
    if n2v:
        lines += [
            "## Node2VecEmbedder",
            "",
            "Ring + Chung-Lu power-law graph (n = edges / 5 nodes, no isolated "
            "node), p=1, q=0.5 (second-order walks, rejection sampler), "
            "n_walks=4, walk_length=40, n_components=64, window=5, 1 epoch, "
            "2 threads. Walks are generated block by block (twice: counting pass "
            "and training pass), never all in memory; the second pass runs inside "
            "the training loop, so it is in both timing columns (`timings_`). "
            "Model = nodes x dim x 4 bytes x 2.",
            "",
            "| code | edges | nodes | walk tokens | graph MiB | model MiB | fit wall s | fit CPU s | walks s (2 passes) | training s (incl. 2nd walk pass) | RSS before fit MiB | peak RSS MiB | peak - before MiB |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for r in n2v:
            if "error" in r:
                lines.append(f"| {r.get('tag') or 'this'} | {r['size']:,} | {r['error']} |" + " |" * 10)
                continue
            t = r["timings"]
            lines.append(
                f"| {r.get('tag') or 'this'} | {r['edges']:,} | {r['nodes']:,} | {r['walk_tokens']:,} "
                f"| {mib(r['graph_bytes'])} | {mib(r['model_bytes'])} "
                f"| {r['wall']:.1f} | {r['cpu']:.1f} | {t.get('walks', float('nan')):.1f} "
                f"| {t.get('training', float('nan')):.1f} | {mib(r['rss_before'])} "
                f"| {mib(r['hwm'])} | {mib(r['hwm'] - r['rss_before'])} |"
            )
        lines.append("")
    gc = [r for r in results if r["case"] == "graph_check" and "error" not in r]
    if gc:
        lines += [
            "## check_graph (graph validation) alone",
            "",
            "The graph of the node2vec case in three forms; *traced peak* is "
            "`tracemalloc`'s peak during `check_graph(G)` (NumPy buffers "
            "included), i.e. the input's own memory is not counted but the "
            "output (float64 weights, and every copy) is; *output* is the "
            "returned CSR (which may share the input's index arrays).",
            "",
            "| code | input | edges | input MiB | output MiB | traced peak MiB | peak / input | CPU s |",
            "|---|---|---:|---:|---:|---:|---:|---:|",
        ]
        for r in gc:
            for label, c in r["cases"].items():
                lines.append(
                    f"| {r.get('tag') or 'this'} | {label} | {r['edges']:,} "
                    f"| {c['input_bytes'] / MiB:.1f} | {c['output_bytes'] / MiB:.1f} "
                    f"| {c['peak'] / MiB:.1f} | {c['peak'] / c['input_bytes']:.2f} "
                    f"| {c['cpu']:.2f} |"
                )
        lines.append("")
    lines += _render_pretrained(results)
    lines += _render_cli(results)
    ent = [r for r in results if r["case"] == "entity"]
    if ent:
        lines += [
            "## EntityEmbeddingEncoder",
            "",
            "5 categorical columns (pandas `category`, cardinalities 10, 100, "
            "1,000, 10,000, 50,000, Zipf-like frequencies), regression target = "
            "sum of planted per-category effects + noise; `cv=None`, n_epochs=5, "
            "early_stopping=False, other parameters default.",
            "",
            "| rows | frame MiB | fit wall s | fit CPU s | child CPU s | RSS before fit MiB | peak RSS MiB | peak - before MiB | (peak - before) / row, bytes |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for r in ent:
            if "error" in r:
                lines.append(f"| {r['size']:,} | {r['error']} |" + " |" * 7)
                continue
            extra = r["hwm"] - r["rss_before"]
            lines.append(
                f"| {r['rows']:,} | {mib(r['frame_bytes'])} | {r['wall']:.1f} "
                f"| {r['cpu']:.1f} | {r['child_cpu']:.1f} | {mib(r['rss_before'])} "
                f"| {mib(r['hwm'])} | {mib(extra)} | {extra / r['rows']:.0f} |"
            )
        lines.append("")
    lines.append(NOTES)
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="smaller sizes")
    ap.add_argument("--only", nargs="*", choices=sorted(CHILDREN), default=None)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=1800)
    ap.add_argument("--out", default=str(HERE / "results" / "scale.md"))
    ap.add_argument("--src", default=str(HERE.parent),
                    help="checkout whose skembed is measured (for before/after)")
    ap.add_argument("--tag", default="", help="label of --src in the tables")
    ap.add_argument("--render", action="store_true",
                    help="only re-write the Markdown from the stored JSON")
    ap.add_argument("--child", choices=sorted(CHILDREN))
    ap.add_argument("--size", type=int)
    args = ap.parse_args()
    if args.child:
        res = CHILDREN[args.child](args.size, args.threads)
        res["hwm"] = proc_status("VmHWM")
        print("RESULT " + json.dumps(res), flush=True)
        return
    if args.render:
        store = Path(args.out).with_suffix(".json")
        text = render(json.loads(store.read_text()), args)
        Path(args.out).write_text(text + "\n")
        print(text)
        return
    sizes = QUICK if args.quick else FULL
    results = []
    for case in args.only or list(CHILDREN):
        for size in sizes[case]:
            # generate outside the measured child
            if case in LINE_TOKENS:
                zipf_corpus(size, lengths=LINE_TOKENS[case])
            elif case.startswith("w2v_"):
                zipf_corpus(size)
            elif case == "cli_node2vec":
                edge_file(size)
            elif case == "cli_item2vec":
                basket_file(size)
            print(f"[bench_scale] {case} size={size:,} ...", flush=True)
            r = run_child(case, size, args.threads, args.timeout, args.src)
            r["tag"] = args.tag
            print(f"[bench_scale] {json.dumps(r)}", flush=True)
            results.append(r)
    # --only re-runs some cases: keep the others' last results
    store = Path(args.out).with_suffix(".json")
    if args.only and store.exists():
        done = {(case, args.tag) for case in args.only}
        kept = [r for r in json.loads(store.read_text())
                if (r["case"], r.get("tag", "")) not in done]
        results = sorted(
            kept + results,
            key=lambda r: (list(CHILDREN).index(r["case"]), bool(r.get("tag"))),
        )
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    store.write_text(json.dumps(results, indent=1) + "\n")
    text = render(results, args)
    Path(args.out).write_text(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
