"""Load/save speed of word2vec vector files: skembed vs gensim, same files.

Writes a Markdown table of CPU seconds and ratios to benchmarks/results/io.md.
Run: python benchmarks/bench_io.py [n_vectors] [dim]
"""

import io
import logging
import os
import sys
import tempfile
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # this checkout's skembed
from skembed import KeyedVectors  # noqa: E402


def cpu(fn, *args, repeat=3, **kwargs):
    """Least CPU time of ``repeat`` runs (the box is shared) and the result."""
    best = float("inf")
    for _ in range(repeat):
        out = None
        start = time.process_time()
        out = fn(*args, **kwargs)
        best = min(best, time.process_time() - start)
    return best, out


def main(n=100_000, d=300):
    from gensim.models import KeyedVectors as GensimKV

    logging.disable(logging.WARNING)
    rng = np.random.default_rng(0)
    vectors = rng.standard_normal((n, d)).astype(np.float32)
    keys = [f"word{i}" for i in range(n)]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        # a GloVe-like text file: 5 decimals per value
        text = os.path.join(tmp, "vectors.txt")
        buf = io.BytesIO()
        np.savetxt(buf, vectors, fmt="%.5f")
        body = buf.getvalue().split(b"\n")
        with open(text, "wb") as f:
            f.write(f"{n} {d}\n".encode())
            f.write(
                b"".join(
                    k.encode() + b" " + line + b"\n"
                    for k, line in zip(keys, body, strict=False)
                )
            )
        binary = os.path.join(tmp, "vectors.bin")
        KeyedVectors(keys, vectors).save_word2vec_format(binary, binary=True)

        for label, path, is_bin in (
            ("text load", text, False),
            ("binary load", binary, True),
        ):
            ours, kv = cpu(KeyedVectors.load_word2vec_format, path, binary=is_bin)
            theirs, g = cpu(GensimKV.load_word2vec_format, path, binary=is_bin)
            assert kv.index_to_key == g.index_to_key
            assert np.array_equal(kv.vectors, g.vectors)
            rows.append((label, ours, theirs))
        gk = GensimKV(d)
        gk.add_vectors(keys, vectors)
        kv = KeyedVectors(keys, vectors)
        for label, is_bin in (("text save", False), ("binary save", True)):
            out = os.path.join(tmp, "out")
            ours, _ = cpu(kv.save_word2vec_format, out, binary=is_bin)
            theirs, _ = cpu(gk.save_word2vec_format, out, binary=is_bin)
            rows.append((label, ours, theirs))
    lines = [
        f"# Vector file I/O: skembed vs gensim ({n} x {d}, least CPU s of 3 runs)",
        "",
        "| operation | skembed (CPU s) | gensim (CPU s) | speed-up |",
        "|---|---|---|---|",
    ]
    lines += [f"| {lab} | {a:.2f} | {b:.2f} | {b / a:.1f}x |" for lab, a, b in rows]
    table = "\n".join(lines) + "\n"
    os.makedirs(os.path.join(os.path.dirname(__file__), "results"), exist_ok=True)
    with open(os.path.join(os.path.dirname(__file__), "results", "io.md"), "w") as f:
        f.write(table)
    print(table)


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
