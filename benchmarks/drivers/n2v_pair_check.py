"""Pair-level check of skembed's skip-gram update against gensim's (#15).

Both trainers run on the same tiny corpus from the same input vectors, with
every random choice removed so that their updates can be compared number
for number: no subsampling (``sample=0``), no reduced window, a constant
learning rate, and a noise distribution with all its mass on one token (so
every negative is that token in both). Three steps::

    # 1. the corpus, the start and the settings -> OUT.npz
    python benchmarks/drivers/n2v_pair_check.py make OUT.npz [SCALE]
    # 2. gensim's own ``train_batch_sg`` on it (pecanpy's venv, gensim 4.x)
    /work/venvs/pecanpy/bin/python benchmarks/drivers/n2v_pair_check.py gensim OUT.npz
    # 3. skembed's kernel on it, and a numpy re-implementation of the update
    #    under each rule; prints the largest differences
    python benchmarks/drivers/n2v_pair_check.py check OUT.npz

``SCALE`` multiplies the start (default 1: gensim's ``[-1, 1) / d``); a
large one (e.g. 400) pushes scores past the sigmoid table's +-6, where
the two rules differ in a second way.

The numpy rule is the textbook one: for centre ``i`` and each context
position ``j`` of its window, in order, the context token's input vector
``h`` predicts the centre token (label 1) and each negative (label 0,
skipped when equal to the centre); ``g = (label - sigmoid(h . out)) * lr``
is added times ``out`` to a buffer and times ``h`` to ``out`` at once; the
buffer is added to ``h`` after the centre and its negatives. It takes the
sigmoid as a function: ``exact``, ``centre`` (skembed's table: 1024 bins
of [-6, 6], the value at each bin's centre, scores beyond +-6 clipped) or
``edge`` (gensim's and word2vec.c's table as their source reads: 1000
bins, the value at each bin's left edge, pairs scoring beyond +-6 skipped)
or ``gensim`` (the same table as compiled: the bin index is ``int((f + 6)
* (EXP_TABLE_SIZE / MAX_EXP / 2))`` with integer constants, so the scale
is C's integer ``1000 / 6 / 2 = 83``, not 83.33: the score ``f`` is read
at ``-6 + 0.012 * floor(83 * (f + 6))``, about ``0.996 f - 0.03``, and
bins 996-999 are never used; word2vec.c's ``#define``s give the same).
"""
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))

N_TOKENS = 12
DIM = 16
WINDOW = 3
NEGATIVE = 3
NOISE_TOKEN = 5
ALPHA = 0.05


def make(out, scale=1.0):
    rng = np.random.RandomState(7)
    lengths = rng.randint(4, 15, size=40)
    ids = rng.randint(0, N_TOKENS, size=int(lengths.sum())).astype(np.int32)
    # every token occurs, so gensim's vocabulary has all of them
    ids[:N_TOKENS] = np.arange(N_TOKENS)
    indptr = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
    w_in = ((rng.random_sample((N_TOKENS, DIM)) * 2 - 1) / DIM * scale)
    np.savez(out, indptr=indptr, ids=ids, w_in=w_in.astype(np.float32))
    print("corpus", indptr.size - 1, "sentences", ids.size, "tokens")


def run_gensim(path):
    from gensim.models import Word2Vec
    from gensim.models.word2vec_inner import train_batch_sg

    z = np.load(path)
    indptr, ids, w_in = z["indptr"], z["ids"], z["w_in"]
    sentences = [[str(t) for t in ids[indptr[k]:indptr[k + 1]]]
                 for k in range(indptr.size - 1)]
    m = Word2Vec(vector_size=DIM, window=WINDOW, negative=NEGATIVE, sg=1,
                 min_count=1, sample=0, shrink_windows=False, workers=1,
                 seed=0)
    m.build_vocab(sentences)
    row = np.array([m.wv.key_to_index[str(t)] for t in range(N_TOKENS)])
    m.wv.vectors[row] = w_in
    m.syn1neg[:] = 0.0
    # all the noise mass on one token: bisect_left(cum_table, x) returns
    # its row for every draw x in [1, domain)
    domain = int(m.cum_table[-1])
    g = row[NOISE_TOKEN]
    m.cum_table[:g] = 0
    m.cum_table[g:] = domain
    work = np.zeros(DIM, dtype=np.float32)
    train_batch_sg(m, sentences, ALPHA, work, False)
    np.savez(path.replace(".npz", "_gensim.npz"),
             w_in=m.wv.vectors[row], w_out=m.syn1neg[row])
    print("gensim", m.wv.vectors.dtype, "done")


def _sigmoids():
    def exact(f):
        return 1.0 / (1.0 + np.exp(-f)), False

    centre_x = (np.arange(1024) + 0.5) / (1024 / 12.0) - 6.0
    centre_tab = (1.0 / (1.0 + np.exp(-centre_x))).astype(np.float32)

    def centre(f):
        if f <= -6.0:
            return centre_tab[0], False
        if f >= 6.0:
            return centre_tab[-1], False
        return centre_tab[int((f + 6.0) * (1024 / 12.0))], False

    edge_x = (np.arange(1000) / 1000.0 * 2 - 1) * 6.0
    edge_tab = (1.0 / (1.0 + np.exp(-edge_x))).astype(np.float32)

    def edge(f):
        if f <= -6.0 or f >= 6.0:
            return 0.0, True
        return edge_tab[int((f + 6.0) * (1000 / 6.0 / 2))], False

    def gensim(f):
        # as compiled: EXP_TABLE_SIZE / MAX_EXP / 2 is C integer division
        if f <= -6.0 or f >= 6.0:
            return 0.0, True
        return edge_tab[int((f + 6.0) * (1000 // 6 // 2))], False

    return {"exact": exact, "centre": centre, "edge": edge, "gensim": gensim}


def numpy_rule(indptr, ids, w_in, sigmoid):
    """The reference update (module docstring), float32 vectors."""
    w_in = w_in.astype(np.float32).copy()
    w_out = np.zeros_like(w_in)
    skipped = 0
    for s in range(indptr.size - 1):
        sent = ids[indptr[s]:indptr[s + 1]]
        m = sent.size
        for i in range(m):
            w = sent[i]
            for j in range(max(0, i - WINDOW), min(m, i + WINDOW + 1)):
                if j == i:
                    continue
                c = sent[j]
                work = np.zeros(DIM, dtype=np.float32)
                for k in range(NEGATIVE + 1):
                    t = w if k == 0 else NOISE_TOKEN
                    if k > 0 and t == w:
                        continue
                    f = float(np.dot(w_in[c].astype(np.float64), w_out[t]))
                    sig, skip = sigmoid(f)
                    if skip:
                        skipped += 1
                        continue
                    g = np.float32(((1.0 if k == 0 else 0.0) - sig) * ALPHA)
                    work += g * w_out[t]
                    w_out[t] += g * w_in[c]
                w_in[c] += work
    return w_in, w_out, skipped


def run_skembed(indptr, ids, w_in0):
    sys.path.insert(0, os.path.join(HERE, "..", ".."))
    from skembed._engine import _random, _sgns_kernels as K

    w_in = w_in0.astype(np.float32).copy()
    w_out = np.zeros_like(w_in)
    noise = np.zeros(N_TOKENS)
    noise[NOISE_TOKEN] = 1.0
    nprob, nalias = _random.alias_table(noise)
    keep = np.ones(N_TOKENS, dtype=np.float32)
    sig, logsig = K.sigmoid_tables()
    dim = DIM
    out = {}
    for name, share, per_pair in (("shared, per-pair outputs (default)", 0, True),
                                  ("fresh negatives per pair", 1, False),
                                  ("shared, accumulated outputs", 0, False)):
        a, b = w_in.copy(), w_out.copy()
        K._train_chunk(
            indptr, ids, 0, indptr.size - 1, a, b, keep, nprob, nalias,
            True, K.MODE_WINDOW, WINDOW, False, NEGATIVE, share, per_pair,
            ALPHA, ALPHA, 0, float(ids.size), np.uint64(1), sig, logsig,
            np.empty(int(np.diff(indptr).max()), np.int32),
            np.empty(NEGATIVE + 1, np.int64),
            np.empty((NEGATIVE + 1, dim), np.float32),
            np.empty(dim, np.float32), np.empty(dim, np.float32), 0, 0,
            np.empty(1, np.int64), False, np.zeros(1, np.int64),
            np.zeros(0, np.int32), np.zeros(0, np.int8),
            np.zeros((1, 1), np.float32),
        )
        out[name] = (a, b)
    return out


def check(path):
    z = np.load(path)
    indptr, ids, w_in = z["indptr"], z["ids"], z["w_in"]
    gz = np.load(path.replace(".npz", "_gensim.npz"))
    runs = {"gensim train_batch_sg": (gz["w_in"], gz["w_out"])}
    runs.update({"skembed " + k: v for k, v in run_skembed(indptr, ids, w_in).items()})
    refs = {}
    for name, fn in _sigmoids().items():
        a, b, skipped = numpy_rule(indptr, ids, w_in, fn)
        refs[name] = (a, b)
        print(f"numpy rule, {name} sigmoid: {skipped} pairs skipped")
    moved = np.abs(runs["gensim train_batch_sg"][0] - w_in).max()
    print(f"largest input-vector move in training: {moved:.3g}")
    print("largest |difference| of input / output vectors:")
    print(f"{'run':45s}" + "".join(f"{r:>23s}" for r in refs))
    for name, (a, b) in runs.items():
        cells = "".join(
            f"{np.abs(a - ra).max():11.2e} /{np.abs(b - rb).max():10.2e}"
            for ra, rb in refs.values()
        )
        print(f"{name:45s}{cells}")


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "make":
        make(sys.argv[2], float(sys.argv[3]) if len(sys.argv) > 3 else 1.0)
    elif mode == "gensim":
        run_gensim(sys.argv[2])
    elif mode == "check":
        check(sys.argv[2])
    else:
        raise SystemExit(f"unknown mode {mode!r}: make, gensim or check")
