import numpy as np
import pytest

from skembed._engine import _random
from skembed._engine import _sgns_kernels as _kernels
from skembed._engine._driver import CHUNK_TOKENS, init_vectors, train_sgns


def _topic_precision(w, vocab, topics, k=5):
    w = w / np.linalg.norm(w, axis=1, keepdims=True)
    sims = w @ w.T
    hits = total = 0
    for topic in topics:
        for word in topic:
            i = vocab.key_to_index[word]
            nearest = [j for j in np.argsort(-sims[i]) if j != i][:k]
            hits += sum(vocab.index_to_key[j] in topic for j in nearest)
            total += k
    return hits / total


def test_alias_table_samples_the_distribution():
    p = np.array([0.5, 0.25, 0.125, 0.125, 0.0])
    prob, alias = _random.alias_table(p)
    draws = _random.alias_sample(prob, alias, 12345, 200_000)
    freq = np.bincount(draws, minlength=5) / draws.size
    np.testing.assert_allclose(freq, p, atol=0.005)
    assert freq[4] == 0


def test_seeds_are_distinct_and_deterministic():
    seeds = {int(_random.seed_for(7, e, c)) for e in range(5) for c in range(50)}
    assert len(seeds) == 250
    assert _random.seed_for(7, 1, 2) == _random.seed_for(7, 1, 2)


def test_chunk_boundaries_keep_whole_sentences():
    lengths = np.array([3, 20000, 2, 2, 2, 9000, 1])
    indptr = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
    starts = _kernels.chunk_boundaries(indptr, CHUNK_TOKENS)
    assert starts[0] == 0 and starts[-1] == len(lengths)
    assert np.all(np.diff(starts) > 0)
    assert starts.tolist() == [0, 2, 6, 7]


def _sigmoid(x):
    return 1 / (1 + np.exp(-x))


def reference_step(x, v, label, lr):
    """One logistic step of input ``x`` against output ``v`` (float64):
    the gradient scale ``(label - sigmoid(x . v)) * lr`` and the loss."""
    f = x @ v
    return (label - _sigmoid(f)) * lr, -np.log(_sigmoid(f if label else -f))


def test_skipgram_update_matches_numpy_reference():
    """One sentence [0, 1], window 1, one negative that is always token 2."""
    rng = np.random.RandomState(0)
    dim = 8
    w_in0 = rng.normal(scale=0.3, size=(3, dim)).astype(np.float32)
    w_out0 = rng.normal(scale=0.3, size=(3, dim)).astype(np.float32)
    lr = 0.1
    res = train_sgns(
        (np.array([0, 2]), np.array([0, 1], dtype=np.int32)),
        np.array([0, 0, 5]),  # noise mass only on token 2; sample=0 keeps all
        n_components=dim, window=1, shrink_window=False, negative=1, sample=0,
        n_epochs=1, learning_rate=lr, min_learning_rate=lr, init=w_in0,
        init_out=w_out0, random_state=0, total_tokens=2,
    )
    w_in = w_in0.astype(np.float64)
    w_out = w_out0.astype(np.float64)
    loss = 0.0
    for centre, ctx in [(0, 1), (1, 0)]:
        grads = np.zeros((2, dim))
        neu1e = np.zeros(dim)
        for k, (t, label) in enumerate([(centre, 1), (2, 0)]):
            g, pair_loss = reference_step(w_in[ctx], w_out[t], label, lr)
            loss += pair_loss
            neu1e += g * w_out[t]
            grads[k] += g * w_in[ctx]
        w_in[ctx] += neu1e
        w_out[centre] += grads[0]
        w_out[2] += grads[1]
    # the kernel uses a 1024-bin sigmoid table: agree to table precision
    np.testing.assert_allclose(res.w_in - w_in0, w_in - w_in0, atol=2e-3 * lr)
    np.testing.assert_allclose(res.w_out - w_out0, w_out - w_out0, atol=2e-3 * lr)
    assert res.loss_curve[0] == pytest.approx(loss / 2, rel=0.02)
    assert res.n_pairs == 2 and res.n_words == 2


def _window_reference(w_in, w_out, sentence, window, negative_token, lr,
                      per_pair):
    """Skip-gram over ``sentence`` with a fixed window and one negative that
    is always ``negative_token`` (float64): the output vectors updated after
    every pair (``per_pair``, gensim's order) or once per window from the
    accumulated gradients."""
    m = len(sentence)
    for i, centre in enumerate(sentence):
        grads = {}
        for j in range(max(0, i - window), min(m, i + window + 1)):
            if j == i:
                continue
            ctx = sentence[j]
            neu1e = np.zeros(w_in.shape[1])
            for t, label in [(centre, 1), (negative_token, 0)]:
                g, _ = reference_step(w_in[ctx], w_out[t], label, lr)
                neu1e += g * w_out[t]
                if per_pair:
                    w_out[t] += g * w_in[ctx]
                else:
                    grads[t] = grads.get(t, 0) + g * w_in[ctx]
            w_in[ctx] += neu1e
        for t, grad in grads.items():
            w_out[t] += grad
    return w_in, w_out


@pytest.mark.parametrize("per_pair", [False, True])
def test_output_per_pair_matches_numpy_reference(per_pair):
    """With shared negatives, ``output_per_pair=True`` updates the output
    vectors after every pair of a window (gensim's order), ``False`` once
    per window from the summed gradients; both against a float64 loop."""
    rng = np.random.RandomState(1)
    dim, lr = 8, 0.5
    w_in0 = rng.normal(scale=0.5, size=(4, dim)).astype(np.float32)
    w_out0 = rng.normal(scale=0.5, size=(4, dim)).astype(np.float32)
    sentence = [0, 1, 2]
    res = train_sgns(
        (np.array([0, 3]), np.array(sentence, dtype=np.int32)),
        np.array([0, 0, 0, 5]),  # noise mass only on token 3
        n_components=dim, window=2, shrink_window=False, negative=1, sample=0,
        n_epochs=1, learning_rate=lr, min_learning_rate=lr, init=w_in0,
        init_out=w_out0, random_state=0, total_tokens=3,
        output_per_pair=per_pair,
    )
    w_in, w_out = _window_reference(
        w_in0.astype(np.float64), w_out0.astype(np.float64), sentence, 2, 3,
        lr, per_pair,
    )
    other_in, other_out = _window_reference(
        w_in0.astype(np.float64), w_out0.astype(np.float64), sentence, 2, 3,
        lr, not per_pair,
    )
    # the kernel uses a 1024-bin sigmoid table: agree to table precision
    atol = 4e-3 * lr
    np.testing.assert_allclose(res.w_in, w_in, atol=atol)
    np.testing.assert_allclose(res.w_out, w_out, atol=atol)
    # the two orders differ by far more than that here
    assert np.abs(other_out - w_out).max() > 10 * atol


def test_output_per_pair_options(planted):
    """output_per_pair changes shared-negative training (reproducibly),
    leaves per-pair negatives (already updated after every pair) bit-for-bit
    alone, learns the planted topics, and is refused for subword and
    document vectors."""
    (indptr, ids), vocab, topics = planted
    kw = dict(n_components=16, n_epochs=8, sample=0, random_state=0)

    def run(**extra):
        return train_sgns((indptr, ids), vocab.counts, **kw, **extra)

    a = run(output_per_pair=True).w_in
    np.testing.assert_array_equal(a, run(output_per_pair=True).w_in)
    assert not np.array_equal(a, run().w_in)
    assert not np.array_equal(
        run(output_per_pair=True, shared_negatives=3).w_in,
        run(shared_negatives=3).w_in,
    )
    np.testing.assert_array_equal(
        run(output_per_pair=True, shared_negatives=False).w_in,
        run(shared_negatives=False).w_in,
    )
    assert _topic_precision(a, vocab, topics) >= 0.9
    with pytest.raises(ValueError, match="output_per_pair=True .* subwords"):
        run(output_per_pair=True, subwords=(None, None, 0))
    with pytest.raises(ValueError, match="output_per_pair=True .* documents"):
        run(output_per_pair=True, documents=3)


@pytest.mark.parametrize(
    "params",
    [
        dict(sg=True),
        dict(sg=True, shared_negatives=False),
        dict(sg=True, shared_negatives=3),
        dict(sg=False),
        dict(sg=True, context="set"),
        dict(sg=True, context="shuffle", window=3),
    ],
    ids=["sg", "sg-pairwise-negatives", "sg-share-3", "cbow", "set", "shuffle"],
)
def test_planted_topics_are_recovered(planted, params):
    (indptr, ids), vocab, topics = planted
    res = train_sgns(
        (indptr, ids), vocab.counts, n_components=16, n_epochs=8, sample=0,
        random_state=0, **params,
    )
    assert res.loss_curve[-1] < res.loss_curve[0]
    assert _topic_precision(res.w_in, vocab, topics) >= 0.9


def test_shared_negatives_every_k_pairs(planted):
    """shared_negatives=k (a fresh draw every k pairs) is a third,
    reproducible variant between True (the whole window) and False (every
    pair), and the whole window again when k reaches its 2 * window pairs;
    an int below 2 is refused, and so is k with subwords."""
    (indptr, ids), vocab, _ = planted
    kw = dict(n_components=8, n_epochs=2, random_state=3, window=20)

    def run(**extra):
        return train_sgns((indptr, ids), vocab.counts, **kw, **extra).w_in

    a = run(shared_negatives=3)
    np.testing.assert_array_equal(a, run(shared_negatives=3))
    assert not np.array_equal(a, run())
    assert not np.array_equal(a, run(shared_negatives=False))
    np.testing.assert_array_equal(run(shared_negatives=2 * kw["window"]), run())
    for bad in (1, 0, -1, 2.5):
        with pytest.raises(ValueError, match="shared_negatives must be"):
            run(shared_negatives=bad)
    with pytest.raises(ValueError, match="with subwords"):
        run(shared_negatives=3, subwords=(None, None, 0))


def test_init_scale_multiplies_the_start():
    """init_vectors(scale=2) is gensim 4's [-1, 1) / d: twice word2vec.c's
    start from the same random numbers."""
    a = init_vectors(np.random.RandomState(0), 50, 16)
    b = init_vectors(np.random.RandomState(0), 50, 16, scale=2.0)
    np.testing.assert_array_equal(b, 2 * a)
    assert b.dtype == np.float32
    assert -1 / 16 <= b.min() and b.max() < 1 / 16


def test_serial_training_is_bit_reproducible(planted):
    (indptr, ids), vocab, _ = planted
    kw = dict(n_components=8, n_epochs=2, random_state=3)
    a = train_sgns((indptr, ids), vocab.counts, **kw)
    b = train_sgns((indptr, ids), vocab.counts, **kw)
    c = train_sgns((indptr, ids), vocab.counts, **{**kw, "random_state": 4})
    assert np.array_equal(a.w_in, b.w_in) and np.array_equal(a.w_out, b.w_out)
    assert a.loss_curve == b.loss_curve
    assert not np.array_equal(a.w_in, c.w_in)


def test_blocks_stream_equals_one_block(planted):
    """A corpus given as several CSR blocks trains like the same corpus whole
    when each block is a whole number of chunks (here: one sentence each)."""
    (indptr, ids), vocab, _ = planted
    kw = dict(n_components=8, n_epochs=2, random_state=3, sample=0)
    whole = train_sgns((indptr, ids), vocab.counts, **kw)
    half = len(indptr) // 2
    blocks = [
        (indptr[: half + 1], ids),
        (indptr[half:] - indptr[half], ids[indptr[half]:]),
    ]
    streamed = train_sgns(blocks, vocab.counts, **kw)
    assert streamed.n_words == whole.n_words
    assert streamed.loss_curve[0] == pytest.approx(whole.loss_curve[0], rel=0.05)


def test_parallel_training_learns(planted):
    (indptr, ids), vocab, topics = planted
    ids_big = np.tile(ids, 8)  # several chunks, so both threads get work
    lengths = np.tile(np.diff(indptr), 8)
    indptr_big = np.concatenate(([0], np.cumsum(lengths)))
    res = train_sgns(
        (indptr_big, ids_big), vocab.counts * 8, n_components=16, n_epochs=2,
        sample=0, random_state=0, n_jobs=2,
    )
    assert _topic_precision(res.w_in, vocab, topics) >= 0.9


def test_long_sentence_is_not_truncated():
    rng = np.random.RandomState(0)
    ids = rng.randint(0, 50, size=20_000).astype(np.int32)
    res = train_sgns(
        (np.array([0, ids.size]), ids), np.bincount(ids, minlength=50),
        n_components=4, n_epochs=2, sample=0, window=2, random_state=0,
    )
    assert res.n_words == 2 * 20_000


def test_verbose_prints_progress(planted, capsys):
    (indptr, ids), vocab, _ = planted
    train_sgns((indptr, ids), vocab.counts, n_components=4, n_epochs=2,
               verbose=1, name="Demo")
    out = capsys.readouterr().err.splitlines()  # progress goes to stderr
    assert len(out) == 2 and out[1].startswith("[Demo] epoch 2/2")
    assert "loss=" in out[0] and "words/s=" in out[0]
    train_sgns((indptr, ids), vocab.counts, n_components=4, n_epochs=1)
    assert capsys.readouterr() == ("", "")


def test_empty_corpus_warns():
    with pytest.warns(RuntimeWarning, match="saw no training token"):
        res = train_sgns((np.array([0, 0]), np.zeros(0, np.int32)), np.array([1]),
                         n_components=4, n_epochs=1)
    assert np.isnan(res.loss_curve[0])


def test_bit_identical_across_processes():
    """Same seed, n_jobs=1: the same bytes in two fresh interpreters."""
    import subprocess
    import sys

    code = (
        "import hashlib, numpy as np\n"
        "from skembed._engine._driver import train_sgns\n"
        "rng = np.random.RandomState(0)\n"
        "ids = rng.randint(0, 40, 3000).astype(np.int32)\n"
        "r = train_sgns((np.arange(0, 3001, 30), ids), np.bincount(ids),"
        " n_components=8, n_epochs=2, random_state=11)\n"
        "print(hashlib.sha256(r.w_in.tobytes() + r.w_out.tobytes()).hexdigest())\n"
    )
    digests = {
        subprocess.run([sys.executable, "-c", code], capture_output=True,
                       text=True, check=True).stdout.strip()
        for _ in range(2)
    }
    assert len(digests) == 1 and len(digests.pop()) == 64
