"""gensim's skip-gram on skembed's walks (#15): is a gap to pecanpy in the
walks or in the training?

Three steps, each its own command (gensim lives in pecanpy's venv)::

    # 1. skembed's walks of Node2VecEmbedder(random_state=SEED) -> OUT
    python benchmarks/drivers/n2v_gensim_walks.py dump GRAPH SEEDS OUT
    # 2. gensim Word2Vec on them, pecanpy's settings, one thread
    /work/venvs/pecanpy/bin/python benchmarks/drivers/n2v_gensim_walks.py gensim OUT [shuffle|train=K]
    # 3. macro-F1 on bench_graph's five 50 % splits (seed 42)
    python benchmarks/drivers/n2v_gensim_walks.py score GRAPH OUT [shuffle|train=K]

SEEDS as in ``n2v_parity.py`` (a count or ``A-B``). Step 1 stops each fit
before training (the walks are a pure function of the seed), so it costs
only the walks. Step 2 calls ``Word2Vec(walks, vector_size=128, window=10,
negative=5, sg=1, min_count=0, workers=1, epochs=1, seed=SEED)``, as
``benchmarks/_graph_worker_pecanpy.py`` does with pecanpy's walks;
``shuffle`` first shuffles the order of the walks (as pecanpy orders its
starts: all rounds at once) and writes ``gensim_shuffle_SEED.npy``;
``train=K`` gives gensim ``seed=K`` instead (the same walks, gensim's own
training re-drawn: its start, windows and negatives) and writes
``gensim_trainK_SEED.npy``.
"""
import glob
import os
import statistics as st
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))


def _seeds(spec):
    if "-" in spec:
        first, last = (int(x) for x in spec.split("-"))
        return range(first, last + 1)
    return range(int(spec))


class _Stop(Exception):
    pass


def dump(graph, seeds, out):
    sys.path.insert(0, os.path.join(HERE, ".."))
    sys.path.insert(0, os.path.join(HERE, "..", ".."))
    import _graph_common as gc
    from skembed import Node2VecEmbedder
    from skembed._graph import _node2vec

    os.makedirs(out, exist_ok=True)
    g = gc.load_graph(graph, log=lambda *a: None)
    for seed in seeds:
        def grab(corpus, counts, **kw):
            offset, indptrs, idss = 0, [np.zeros(1, np.int64)], []
            for ip, ids in corpus:  # CSR blocks of walks, in training order
                indptrs.append(ip[1:] + offset)
                idss.append(ids)
                offset += int(ip[-1])
            indptr, ids = np.concatenate(indptrs), np.concatenate(idss)
            np.savez(os.path.join(out, f"walks_{seed}.npz"), indptr=indptr,
                     ids=ids.astype(np.int32))
            raise _Stop

        _node2vec.train_sgns = grab
        est = Node2VecEmbedder(random_state=seed, n_jobs=1)
        try:
            est.fit(g.edges)
        except _Stop:
            pass
        # node index i of the walks is the i-th node of the validated graph,
        # i.e. the i-th entry of nodes_ (set before the walks)
        np.save(os.path.join(out, f"nodes_{seed}.npy"), np.asarray(est.nodes_))
        print("walks", seed, flush=True)


def _tag(options):
    for opt in options:
        if opt == "shuffle":
            return "gensim_shuffle"
        if opt.startswith("train="):
            return f"gensim_train{int(opt[6:])}"
    return "gensim"


def gensim(out, tag="gensim"):
    from gensim.models import Word2Vec

    shuffle = tag == "gensim_shuffle"
    train = int(tag[12:]) if tag.startswith("gensim_train") else None
    for path in sorted(glob.glob(os.path.join(out, "walks_*.npz"))):
        seed = int(path.rsplit("_", 1)[1].split(".")[0])
        z = np.load(path)
        indptr, ids = z["indptr"], z["ids"]
        words = ids.astype(str)
        walks = [words[indptr[k]:indptr[k + 1]].tolist()
                 for k in range(indptr.size - 1)]
        if shuffle:
            np.random.RandomState(seed).shuffle(walks)
        n = int(ids.max()) + 1
        t0 = time.process_time()
        w2v = Word2Vec(walks, vector_size=128, window=10, negative=5, sg=1,
                       min_count=0, workers=1, epochs=1,
                       seed=seed if train is None else train)
        cpu = time.process_time() - t0
        V = np.zeros((n, 128), dtype=np.float32)
        for i in range(n):
            if str(i) in w2v.wv.key_to_index:
                V[i] = w2v.wv[str(i)]
        np.save(os.path.join(out, f"{tag}_{seed}.npy"), V)
        print(tag, seed, f"{cpu:.1f}", flush=True)


def score(graph, out, tag="gensim"):
    sys.path.insert(0, os.path.join(HERE, ".."))
    import _graph_common as gc

    g = gc.load_graph(graph, log=lambda *a: None)
    labels = np.asarray(g.labels)
    splits = gc.make_splits(labels, n_splits=5, seed=42)
    f1s = []
    for path in sorted(glob.glob(os.path.join(out, f"{tag}_[0-9]*.npy"))):
        seed = int(path.rsplit("_", 1)[1].split(".")[0])
        V = np.load(path)
        nodes = np.load(os.path.join(out, f"nodes_{seed}.npy"))
        X, _ = gc.align_vectors(V[: nodes.size], nodes, labels.size)
        f1 = gc.evaluate(X, labels, splits)["macro_f1"]
        f1s.append(f1)
        print(graph, seed, tag, "on skembed's walks", f"{f1:.4f}", flush=True)
    sd = st.stdev(f1s) if len(f1s) > 1 else 0.0
    print(f"| {graph} | {tag} on skembed's walks | {st.mean(f1s):.4f} ± {sd:.4f} |")


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "dump":
        dump(sys.argv[2], _seeds(sys.argv[3]), sys.argv[4])
    elif mode == "gensim":
        gensim(sys.argv[2], _tag(sys.argv[3:]))
    elif mode == "score":
        score(sys.argv[2], sys.argv[3], _tag(sys.argv[4:]))
    else:
        raise SystemExit(f"unknown mode {mode!r}: dump, gensim or score")
