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
CACHE = HERE / ".cache"
MiB = 2**20

FULL = {
    "w2v": [5_000_000, 20_000_000],
    "w2v_short": [5_000_000, 20_000_000],
    "node2vec": [250_000, 1_000_000],
    "entity": [1_000_000],
}
QUICK = {
    "w2v": [500_000, 2_000_000],
    "w2v_short": [500_000, 2_000_000],
    "node2vec": [100_000],
    "entity": [100_000],
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
    from skembed import Word2VecVectorizer

    path = zipf_corpus(size, lengths=LINE_TOKENS[case])
    params = dict(
        n_components=100, window=5, min_count=5, n_epochs=1, pooling="mean",
        random_state=0, n_jobs=threads,
    )
    Word2VecVectorizer(**params).fit(["w1 w2 w3 w1 w2"] * 10)  # compile
    rss_before = proc_status("VmRSS")
    hwm_before = proc_status("VmHWM")
    est = Word2VecVectorizer(**params)
    with open(path, encoding="utf-8") as f:
        _, wall, cpu = timed(lambda: est.fit(f))
    n_words, dim = est.embedding_.shape
    tokens = int(est.wv_.counts.sum())
    with open(path, "rb") as f:
        docs = sum(1 for _ in f)
    return {
        "wall": wall, "cpu": cpu, "rss_before": rss_before, "hwm_before": hwm_before,
        "file_bytes": path.stat().st_size, "tokens_in_vocab": tokens, "docs": docs,
        "vocab": n_words, "dim": dim, "model_bytes": n_words * dim * 4 * 2,
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


CHILDREN = {
    "w2v": child_w2v,
    "w2v_short": child_w2v_short,
    "node2vec": child_node2vec,
    "entity": child_entity,
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

- **word2vec memory.** Before this benchmark the scan kept every token's
  int32 id in memory for training and, at the end of the scan, built
  `remap[ids]`, a boolean mask, an int64 prefix sum over all tokens, the
  compacted copy and `np.bincount`'s int64 cast of the ids (rows
  `main (before)`). Now the remap and compaction run in place block by
  block, counting is block-wise, and a corpus of more than 4 M tokens is
  spilled to an anonymous temporary file during the scan and read back
  in 2 M-token blocks cut at the engine's chunk boundaries (the vectors are
  bit-identical to in-memory training, tested). What still grows with the
  corpus is per *document*: the raw and final int64 offsets (16 bytes per
  document, kept during training), the int32 length buffer of the scan and
  a transient int64 chunk-boundary array -- about 25-35 bytes per document,
  1.2-1.7 bytes per token for 10-30-token lines -- and the vocabulary while
  it is still growing (44,572 -> 50,000 words here, +5 MiB of model); the
  rest of the peak is the dictionary of distinct tokens, the model (input
  and output vectors) and the 16 MiB scan buffer. `fit_transform` and
  `pooling="sif"` still load the ids (4 bytes per token) after training to
  pool every document; their output (n_documents x dim floats) is larger.
  The temporary file lives in `TMPDIR` (on a tmpfs it is RAM, though not
  counted in the process RSS).
- **node2vec memory.** Walks are never all in memory (4 x 40 x n_nodes int32
  would be 4 bytes per walk token); the peak above the model is the
  validated graph and its transient transposed copies (`A != A.T` symmetry
  check) plus a few walk blocks.
- **Timing.** CPU seconds are the robust figure on this shared box. Walk
  generation is a small share of a node2vec fit (both passes under 10 % of
  the training time); the SGNS CPU seconds per walk token rise with the
  graph (about 1.9 -> 2.7 per M tokens from 250 k to 1 M edges), plausibly
  because the 1 M-edge model (98 MiB) no longer fits any cache -- not
  verified, and the two runs saw different load.
"""


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
    w2v = [r for r in results if r["case"] == "w2v"]
    if w2v:
        lines += [
            "## Word2VecVectorizer, corpus streamed from a file",
            "",
            "Synthetic Zipf corpus (50,000-word vocabulary, exponent 1.1, 10-30 "
            "tokens per line, seeded), `fit(open(path))` with n_components=100, "
            "window=5, min_count=5, **1 epoch**, 2 threads. Model = vocab x dim x "
            "4 bytes x 2 (input and output vectors). Code `this`: the current "
            "checkout, which keeps a corpus of more than 4 M tokens on disk (ids "
            "spilled to an anonymous temporary file during the scan, read back in "
            "blocks every epoch); `main (before)`: the code before that change, "
            "which held the int32 ids in memory and built `remap[ids]`, a mask, "
            "an int64 prefix sum, the compacted copy and `bincount`'s int64 cast "
            "at the end of the scan.",
            "",
            "| code | tokens | file MiB | vocab | model MiB | fit wall s | fit CPU s | child CPU s | RSS before fit MiB | peak RSS MiB | peak - before MiB | (peak - before) / token, bytes |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for r in w2v:
            if "error" in r:
                lines.append(f"| {r.get('tag') or 'this'} | {r['size']:,} | {r['error']} |" + " |" * 9)
                continue
            extra = r["hwm"] - r["rss_before"]
            lines.append(
                f"| {r.get('tag') or 'this'} | {r['tokens_in_vocab']:,} | {mib(r['file_bytes'])} | {r['vocab']:,} "
                f"| {mib(r['model_bytes'])} | {r['wall']:.1f} | {r['cpu']:.1f} "
                f"| {r['child_cpu']:.1f} | {mib(r['rss_before'])} | {mib(r['hwm'])} "
                f"| {mib(extra)} | {extra / r['tokens_in_vocab']:.2f} |"
            )
        ok = [r for r in w2v if "error" not in r and not r.get("tag")]
        if len(ok) >= 2:
            a, b = ok[0], ok[-1]
            slope = (b["hwm"] - a["hwm"]) / (b["tokens_in_vocab"] - a["tokens_in_vocab"])
            lines += [
                "",
                f"Growth of peak RSS between the two sizes: "
                f"{(b['hwm'] - a['hwm']) / MiB:,.0f} MiB for "
                f"{(b['tokens_in_vocab'] - a['tokens_in_vocab']) / 1e6:,.1f} M more tokens = "
                f"**{slope:.2f} bytes per token**"
                + (
                    f" or {(b['hwm'] - a['hwm']) / (b['docs'] - a['docs']):.0f} bytes "
                    f"per document ({(b['docs'] - a['docs']):,} more lines)"
                    if "docs" in a and "docs" in b else ""
                )
                + "; CPU seconds per M tokens "
                f"{a['cpu'] / a['tokens_in_vocab'] * 1e6:.2f} -> "
                f"{b['cpu'] / b['tokens_in_vocab'] * 1e6:.2f}.",
            ]
        lines.append("")
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
            "| edges | nodes | walk tokens | graph MiB | model MiB | fit wall s | fit CPU s | walks s (2 passes) | training s (incl. 2nd walk pass) | RSS before fit MiB | peak RSS MiB | peak - before MiB |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for r in n2v:
            if "error" in r:
                lines.append(f"| {r['size']:,} | {r['error']} |" + " |" * 10)
                continue
            t = r["timings"]
            lines.append(
                f"| {r['edges']:,} | {r['nodes']:,} | {r['walk_tokens']:,} "
                f"| {mib(r['graph_bytes'])} | {mib(r['model_bytes'])} "
                f"| {r['wall']:.1f} | {r['cpu']:.1f} | {t.get('walks', float('nan')):.1f} "
                f"| {t.get('training', float('nan')):.1f} | {mib(r['rss_before'])} "
                f"| {mib(r['hwm'])} | {mib(r['hwm'] - r['rss_before'])} |"
            )
        lines.append("")
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
            if case in LINE_TOKENS:  # generate outside the measured child
                zipf_corpus(size, lengths=LINE_TOKENS[case])
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
