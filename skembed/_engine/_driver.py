"""The SGNS driver: epoch loop, learning-rate schedule, threads, progress.

Arrays in, arrays out, no input validation (the estimators validate). The
kernels in :mod:`skembed._engine._sgns_kernels` do one epoch over one CSR block.

Two entry points:

* :func:`train_sgns`, a plain function used by every estimator (and by the
  benchmarks), and
* :class:`_BaseSGNS`, the estimator base that declares the shared
  hyper-parameters and their constraints and calls :func:`train_sgns` with
  them.
"""

import numbers
import time
import warnings
from dataclasses import dataclass

import numpy as np
from sklearn.utils import check_random_state

from .._progress import Progress
from .._validation import effective_threads, numba_threads
from . import _doc2vec_kernels, _random, _sgns_kernels, _subword_kernels
from ._vocab import keep_probabilities, noise_distribution

__all__ = ["SGNSResult", "chunk_starts", "init_vectors", "train_sgns"]

_MODES = {
    "window": _sgns_kernels.MODE_WINDOW,
    "set": _sgns_kernels.MODE_SET,
    "shuffle": _sgns_kernels.MODE_SHUFFLE,
}

#: tokens per work chunk; fixed (not derived from n_jobs) so that the random
#: streams, and hence serial results, never depend on the thread count.
CHUNK_TOKENS = 8192


@dataclass
class SGNSResult:
    """What :func:`train_sgns` returns.

    Attributes
    ----------
    w_in : ndarray of float32, shape (n_tokens, n_components)
        Input ("syn0") vectors: the embedding.
    w_out : ndarray of float32, shape (n_tokens, n_components)
        Output ("syn1neg") vectors, used for recommendation scores.
    w_hs : ndarray of float32, shape (n_tokens - 1, n_components) or None
        Hierarchical-softmax inner-node ("syn1") vectors, with ``hs=True``.
    loss_curve : list of float
        Mean loss per (centre, target) pair of each epoch; NaN for an epoch
        that trained no pair (subsampling emptied it; the first such epoch
        also warns).
    n_words : int
        Effective (post-subsampling) tokens trained over all epochs.
    n_pairs : int
        Positive training pairs over all epochs.
    seconds : float
        Wall time spent in the kernels.
    """

    w_in: np.ndarray
    w_out: np.ndarray
    loss_curve: list
    n_words: int
    n_pairs: int
    seconds: float
    d_in: np.ndarray = None
    w_hs: np.ndarray = None


def chunk_starts(indptr):
    """Sentence index at which each work chunk of a CSR block starts (plus the
    end): whole sentences of about ``CHUNK_TOKENS`` tokens, the unit of the
    random streams. Corpora streamed in blocks cut at these boundaries train
    bit-identically to the whole corpus."""
    return _sgns_kernels.chunk_boundaries(indptr, CHUNK_TOKENS)


#: with in-epoch progress, the kernels run this many chunks (of about
#: CHUNK_TOKENS tokens) per call and thread between two reports
GROUP_CHUNKS = 8


def _group_chunks(n_chunks, threads):
    """Chunks per kernel call when progress is reported inside a block:
    GROUP_CHUNKS per thread (a call of 2 x 8 chunks of 8,192 tokens lasts
    tens of milliseconds, next to microseconds of reporting), and at most 50
    calls per block."""
    return max(GROUP_CHUNKS * max(threads, 1), -(-n_chunks // 50), 1)


#: with threads, a kernel call between two in-epoch reports lasts about this
#: long (seconds): each call ends with the threads waiting for each other
GROUP_SECONDS = 0.5


def _next_group(done, seconds, threads):
    """Chunks for the next kernel call, after ``done`` chunks took
    ``seconds``: as many again on one thread (no barrier to amortise), else
    enough for about GROUP_SECONDS; never fewer than GROUP_CHUNKS per
    thread."""
    floor = GROUP_CHUNKS * max(threads, 1)
    if threads <= 1:
        return max(floor, done)
    return max(floor, int(done * GROUP_SECONDS / max(seconds, 1e-6)))


def _as_blocks(corpus):
    """A ``(indptr, ids)`` pair or a re-iterable of such pairs -> re-iterable."""
    if isinstance(corpus, tuple) and len(corpus) == 2 and isinstance(
        corpus[0], np.ndarray
    ):
        return (corpus,)
    return corpus


def init_vectors(rng, n_tokens, n_components, scale=1.0):
    """word2vec's initialisation: uniform in ``[-0.5, 0.5) / n_components``,
    times ``scale`` (2 is gensim 4's ``[-1, 1) / n_components``)."""
    w = rng.random_sample((n_tokens, n_components)).astype(np.float32)
    w -= 0.5
    w /= n_components
    if scale != 1.0:
        w *= np.float32(scale)
    return w


#: document vectors (``train_sgns(documents=...)``) start at this many times
#: word2vec's initialisation. The output layer starts at zero, so early
#: updates of both are proportional to the document vectors, and a short
#: document's vector barely moves in the first epochs from word2vec's
#: ``[-0.5, 0.5) / dim``; but the larger the start, the more of its noise the
#: trained vectors keep, which inferred vectors (started at scale 1) do not
#: share. On 8,614 tweets (PV-DBOW, device label, 5-fold CV x 3 seeds, 20
#: epochs; classifier on trained / on inferred training vectors): scale 8
#: gave 0.774 / 0.792, gensim 4's ``[-1, 1) / dim`` (scale 2) 0.786 / 0.794,
#: scale 4 0.786 / 0.792, gensim itself 0.785 / 0.794; at 10 epochs (one
#: seed) scales 2 / 4 / 8 gave 0.725 / 0.735 / 0.740 and 0.747 / 0.768 /
#: 0.780 (benchmarks/results/doc2vec.md).
DOC_INIT_SCALE = 4.0


def train_sgns(
    corpus,
    counts,
    *,
    n_components=100,
    sg=True,
    context="window",
    window=5,
    shrink_window=True,
    max_context=None,
    n_context=None,
    negative=5,
    hs=False,
    ns_exponent=0.75,
    sample=1e-3,
    n_epochs=5,
    learning_rate=0.025,
    min_learning_rate=1e-4,
    shared_negatives=True,
    output_per_pair=False,
    random_state=None,
    n_jobs=None,
    verbose=0,
    init=None,
    init_scale=1.0,
    init_out=None,
    total_tokens=None,
    name="SGNS",
    progress=None,
    subwords=None,
    documents=None,
    train_words=True,
):
    """Train skip-gram / CBOW with negative sampling on an integer corpus.

    Parameters
    ----------
    corpus : tuple (indptr, ids) or re-iterable of such tuples
        CSR blocks: ``indptr`` int64 of shape ``(n_sentences + 1,)``, ``ids``
        int32 token ids in ``[0, len(counts))``. A re-iterable of blocks
        (a list, or an object whose ``__iter__`` streams blocks from disk)
        is walked once per epoch, so a corpus need not fit in memory.
    counts : array-like of int, shape (n_tokens,)
        Corpus frequency of each token id (subsampling and noise).
    n_components : int
        Vector dimension.
    sg : bool
        Skip-gram (True) or CBOW (False, mean of the context).
    context : {"window", "set", "shuffle"}
        "window": a sliding window of ``window`` tokens each side, randomly
        shrunk per centre when ``shrink_window`` (word2vec's default).
        "set": every other token of the sentence is context (Item2Vec); no
        window, no shrinking. "shuffle": each sentence is shuffled anew each
        epoch, then a fixed window of ``window`` is used.
    window, negative : int
        ``negative=0`` trains no negative sampling (needs ``hs=True``).
    hs : bool
        Also train hierarchical softmax (Mikolov et al. 2013; word2vec.c's
        and gensim's ``hs=1``): each pair predicts the centre token along
        its path in a Huffman tree of ``counts`` (built deterministically),
        through inner-node vectors ``SGNSResult.w_hs``. With ``negative >
        0`` both objectives train every pair, as in word2vec.c. Not with
        ``subwords`` or ``documents``.
    shrink_window : bool
    max_context : int or None
        "set" context only: cap on the context tokens trained per centre.
        ``None`` (or 0) trains every pair of a sentence, ``O(m**2)`` for a
        sentence of ``m`` tokens. With a cap, a sentence longer than
        ``max_context + 1`` is shuffled anew each epoch and each centre gets
        the ``max_context`` tokens nearest to it on the shuffled ring: cost
        ``O(m * max_context)``, and every token is still context of exactly
        ``max_context`` centres (none is dropped).
    n_context : int or None
        "set" context only, and it takes precedence over ``max_context``:
        each token of a sentence of two or more draws ``n_context`` context
        tokens uniformly (with replacement) among the other tokens of its
        sentence, anew each epoch. Exactly ``n_context`` positive pairs per
        token, so the cost is linear in the number of tokens whatever the
        sentence lengths. ``None`` (or 0) keeps the exhaustive context.
    ns_exponent : float
        Exponent of the noise distribution ``count ** ns_exponent``.
    sample : float
        Subsampling threshold (0 disables).
    n_epochs : int
    learning_rate, min_learning_rate : float
        Linear decay from the first to the second over all epochs.
    shared_negatives : bool or int
        Skip-gram only: draw the negatives once per centre token and share
        them across its context window (Ji et al. 2016), accumulating the
        output-vector gradients of the window; ``False`` draws fresh negatives
        for every pair as word2vec.c does; an int ``k >= 2`` draws afresh
        every ``k`` pairs of a window (the old draw's accumulated gradients
        applied first), in between the two.
    output_per_pair : bool
        Skip-gram with shared negatives (``shared_negatives`` not
        ``False``), plain vectors only: update the output vectors of the
        centre and of the shared negatives after every pair, as gensim and
        word2vec.c do, instead of once per draw from the accumulated
        gradients. The same arithmetic; each context then scores against
        the vectors its predecessors in the window updated.
    random_state : int, RandomState or None
    n_jobs : int or None
        Threads. ``None``/1 runs the serial kernel (bit-reproducible for a
        fixed ``random_state``); more runs lock-free Hogwild threads.
    verbose : int
        0 silent; 1 prints a line per epoch (on stderr); 2 adds in-epoch
        lines (percent, rate, ETA).
    init, init_out : ndarray, optional
        Initial input / output vectors (fine-tuning pretrained vectors).
        Copied, never modified in place.
    init_scale : float
        Without ``init``: the input vectors start uniform in ``[-0.5, 0.5)
        * init_scale / n_components`` (1 is word2vec.c's start, 2 gensim
        4's).
    total_tokens : int, optional
        Raw tokens per epoch, for the learning-rate schedule; defaults to
        ``sum(counts)`` (exact when the counts came from this corpus).
    name : str
        Prefix of the progress lines.
    progress : skembed._progress.Progress, optional
        Where epochs are reported; by default ``Progress(name, verbose)``.
        When it wants in-epoch updates (``progress.detailed``: verbose=2 or
        callbacks), each block's chunks run in groups of ``GROUP_CHUNKS``
        per thread, reported between groups: the same work, so the same
        result.
    subwords : tuple (sub_indptr, sub_ids, n_rows), optional
        Subword (fastText) training: token ``t``'s input vector is the mean
        of the rows ``sub_ids[sub_indptr[t]:sub_indptr[t + 1]]`` (int64 /
        int32) of an input matrix of ``n_rows`` rows (its own row, then
        those of its character n-grams), and each of those rows receives
        the token's gradient (kernels: ``_subword_kernels``). Skip-gram uses
        fastText's orientation (the centre word's rows predict its context
        words); ``context`` must be "window". ``w_in`` (and ``init``) then
        has ``n_rows`` rows.
    documents : int, optional
        PV-DBOW document vectors (Le & Mikolov 2014): each sentence of the
        corpus is a document, in order, and gets a vector (a row of
        ``SGNSResult.d_in``, ``documents`` rows) trained to predict each of
        its subsampled words through the shared output vectors. Needs
        skip-gram with the window context.
    train_words : bool
        With ``documents``: also train skip-gram word vectors on the same
        chunks, before each chunk's documents (gensim's ``dbow_words=1``);
        ``False`` leaves ``w_in`` at its initial values.

    Returns
    -------
    SGNSResult
    """
    share = _negative_share(shared_negatives, subwords is not None)
    if output_per_pair and (subwords is not None or documents is not None):
        raise ValueError(
            "output_per_pair=True is implemented for plain vectors only (no "
            "subwords or documents); got output_per_pair=True with "
            f"{'subwords' if subwords is not None else 'documents'}."
        )
    rng = check_random_state(random_state)
    counts = np.asarray(counts, dtype=np.int64)
    n_tokens = counts.shape[0]
    n_rows = n_tokens
    if subwords is not None:
        if context != "window":
            raise ValueError(
                f"subwords need context='window'; got context={context!r}."
            )
        sub_indptr, sub_ids, n_rows = subwords
        sub_indptr = np.ascontiguousarray(sub_indptr, dtype=np.int64)
        sub_ids = np.ascontiguousarray(sub_ids, dtype=np.int32)
        n_rows = int(n_rows)
    if init is None:
        w_in = init_vectors(rng, n_rows, n_components, init_scale)
    else:
        w_in = np.array(init, dtype=np.float32, order="C", copy=True)
    if init_out is None:
        w_out = np.zeros((n_tokens, n_components), dtype=np.float32)
    else:
        w_out = np.array(init_out, dtype=np.float32, order="C", copy=True)
    keep = keep_probabilities(counts, sample)
    nprob, nalias = _random.alias_table(noise_distribution(counts, ns_exponent))
    sig, logsig = _sgns_kernels.sigmoid_tables()
    d_in = None
    if documents is not None:
        if not sg or context != "window":
            raise ValueError(
                "Document vectors (documents=...) are trained with skip-gram "
                f"and the window context; got sg={sg!r}, context={context!r}."
            )
        d_in = init_vectors(rng, int(documents), n_components)
        d_in *= np.float32(DOC_INIT_SCALE)
    seed = np.uint64(rng.randint(1, np.iinfo(np.int64).max, dtype=np.int64))
    mode = _MODES[context]
    shrink = bool(shrink_window) and mode == _sgns_kernels.MODE_WINDOW
    max_ctx = int(max_context or 0)
    if max_ctx < 0:
        raise ValueError(f"max_context must be None or >= 0; got {max_context!r}.")
    n_ctx = int(n_context or 0) if mode == _sgns_kernels.MODE_SET else 0
    if n_ctx < 0:
        raise ValueError(f"n_context must be None or >= 0; got {n_context!r}.")
    per_epoch = int(total_tokens if total_tokens is not None else counts.sum())
    total = float(max(per_epoch * n_epochs, 1))
    threads = effective_threads(n_jobs)
    if subwords is not None and documents is not None:
        raise ValueError("subwords and documents cannot be trained together.")
    if int(negative) == 0 and not hs:
        raise ValueError(
            "negative: 0 (no negative sampling) needs hs=True (hierarchical "
            "softmax); got negative=0, hs=False."
        )
    if hs and (subwords is not None or documents is not None):
        raise ValueError(
            "hs=True (hierarchical softmax) is not implemented for subword or "
            "document vectors; use negative sampling (hs=False)."
        )
    if hs:
        hs_tree = _sgns_kernels.huffman_tree(counts)
        w_hs = np.zeros((max(n_tokens - 1, 1), n_components), dtype=np.float32)
    else:
        hs_tree = (
            np.zeros(1, dtype=np.int64), np.zeros(0, dtype=np.int32),
            np.zeros(0, dtype=np.int8),
        )
        w_hs = np.zeros((1, 1), dtype=np.float32)
    run_block = _block_runner(
        threads, w_in, w_out, keep, nprob, nalias, sig, logsig, total,
        subwords=None if subwords is None else (sub_indptr, sub_ids),
        d_in=d_in, train_words=bool(train_words), sg=bool(sg), mode=mode,
        window=int(window), shrink=shrink, negative=int(negative),
        share=share, out_per_pair=bool(output_per_pair),
        learning_rate=float(learning_rate),
        min_learning_rate=float(min_learning_rate), max_context=max_ctx,
        n_context=n_ctx, hs=bool(hs), hs_tree=hs_tree, w_hs=w_hs,
    )
    blocks = _as_blocks(corpus)
    if progress is None:
        progress = Progress(name, verbose)

    loss_curve = []
    group = None  # chunks per kernel call with in-epoch progress
    n_words_total = 0
    n_pairs_total = 0
    seconds = 0.0
    with numba_threads(n_jobs):
        for epoch in range(n_epochs):
            progress.epoch_start(epoch, n_epochs, per_epoch)
            detailed = progress.detailed
            t0 = time.perf_counter()
            epoch_loss = 0.0
            epoch_pairs = 0
            epoch_words = 0
            pos = epoch * per_epoch
            chunk_index = 0
            doc0 = 0  # documents before this block
            for indptr, ids in blocks:
                indptr = np.ascontiguousarray(indptr, dtype=np.int64)
                ids = np.ascontiguousarray(ids, dtype=np.int32)
                doc0 += max(indptr.shape[0] - 1, 0)
                if indptr.shape[0] < 2 or ids.shape[0] == 0:
                    continue
                starts = chunk_starts(indptr)
                n_chunks = starts.shape[0] - 1
                sizes = indptr[starts[1:]] - indptr[starts[:-1]]
                chunk_pos = pos + np.concatenate(([0], np.cumsum(sizes)[:-1]))
                chunk_seeds = np.array(
                    [
                        _random.seed_for(seed, epoch, chunk_index + c)
                        for c in range(n_chunks)
                    ],
                    dtype=np.uint64,
                )
                max_len = int(np.diff(indptr).max())
                losses = np.zeros(n_chunks, dtype=np.float64)
                pairs = np.zeros(n_chunks, dtype=np.int64)
                words = np.zeros(n_chunks, dtype=np.int64)
                chunk_pos = chunk_pos.astype(np.int64)
                doc_offset = doc0 - (indptr.shape[0] - 1)
                # the kernels read chunk c's arrays at index c only, so a run
                # over a slice of the chunks is the same work: with in-epoch
                # progress, run groups of chunks and report between them
                step = n_chunks
                if detailed:
                    step = group or _group_chunks(n_chunks, threads)
                a = 0
                while a < n_chunks:
                    b = min(a + step, n_chunks)
                    t_call = time.perf_counter()
                    run_block(
                        indptr, ids, starts[a : b + 1], chunk_pos[a:b],
                        chunk_seeds[a:b], doc_offset, max_len, losses[a:b],
                        pairs[a:b], words[a:b],
                    )
                    if detailed:
                        group = step = _next_group(
                            b - a, time.perf_counter() - t_call, threads
                        )
                    a = b
                    if detailed and b < n_chunks:
                        progress.chunk(
                            epoch,
                            int(chunk_pos[b]) - epoch * per_epoch,
                            processed=epoch_words + int(words[:b].sum()),
                        )
                epoch_loss += losses.sum()
                epoch_pairs += int(pairs.sum())
                epoch_words += int(words.sum())
                pos += int(indptr[-1] - indptr[0])
                chunk_index += n_chunks
                progress.chunk(epoch, pos - epoch * per_epoch, processed=epoch_words)
            elapsed = time.perf_counter() - t0
            seconds += elapsed
            mean_loss = epoch_loss / epoch_pairs if epoch_pairs else float("nan")
            loss_curve.append(float(mean_loss))
            n_words_total += epoch_words
            n_pairs_total += epoch_pairs
            if epoch_words == 0 and epoch == 0:
                warnings.warn(
                    f"{name}: the first epoch saw no training token: the corpus "
                    "is empty, frequent-token subsampling dropped every token of "
                    "a tiny corpus (lower `sample`, or 0 to disable it), or an "
                    "exhausted generator was passed as the corpus.",
                    RuntimeWarning,
                    stacklevel=2,
                )
            lr_now = learning_rate - (learning_rate - min_learning_rate) * min(
                1.0, pos / total
            )
            progress.epoch_end(
                epoch, n_epochs, loss=mean_loss, processed=epoch_words,
                unit="words", seconds=elapsed, lr=lr_now, threads=threads,
            )
    return SGNSResult(
        w_in, w_out, loss_curve, n_words_total, n_pairs_total, seconds, d_in,
        w_hs if hs else None,
    )


def _negative_share(shared_negatives, subwords):
    """Pairs per draw of negatives (the kernels' ``share``): 0 = a whole
    window (``True``), 1 = every pair (``False``), ``k`` = every ``k``."""
    if isinstance(shared_negatives, (bool, np.bool_)):
        return 0 if shared_negatives else 1
    if (
        not isinstance(shared_negatives, numbers.Integral)
        or shared_negatives < 2
    ):
        raise ValueError(
            "shared_negatives must be a bool or an int >= 2; got "
            f"{shared_negatives!r}."
        )
    if subwords:
        raise ValueError(
            "shared_negatives must be a bool with subwords (the subword "
            f"kernel shares a whole window or nothing); got {shared_negatives!r}."
        )
    return int(shared_negatives)


def _block_runner(
    threads, w_in, w_out, keep, nprob, nalias, sig, logsig, total, *, subwords,
    d_in, train_words, sg, mode, window, shrink, negative, share, out_per_pair,
    learning_rate, min_learning_rate, max_context, n_context, hs, hs_tree, w_hs,
):
    """The epoch kernel for one CSR block, with every argument that does not
    change between blocks bound: plain SGNS, subword (fastText) or PV-DBOW
    document vectors. The returned function takes the per-block arrays
    ``(indptr, ids, starts, chunk_pos, seeds, doc_offset, max_len, losses,
    pairs, words)``; ``doc_offset`` is the index of the block's first
    document (used by PV-DBOW only)."""
    parallel = threads > 1
    if d_in is not None:
        kernel = (
            _doc2vec_kernels.dbow_epoch_parallel
            if parallel
            else _doc2vec_kernels.dbow_epoch_serial
        )

        def run(indptr, ids, starts, chunk_pos, seeds, doc_offset, max_len,
                losses, pairs, words):
            kernel(indptr, ids, starts, chunk_pos, seeds, doc_offset, d_in, w_in,
                   w_out, keep, nprob, nalias, train_words, window, negative,
                   learning_rate, min_learning_rate, total, sig, logsig,
                   max_len, losses, pairs, words, threads)

    elif subwords is not None:
        sub_indptr, sub_ids = subwords
        kernel = (
            _subword_kernels.subword_epoch_parallel
            if parallel
            else _subword_kernels.subword_epoch_serial
        )

        def run(indptr, ids, starts, chunk_pos, seeds, _doc_offset, max_len,
                losses, pairs, words):
            kernel(indptr, ids, starts, chunk_pos, seeds, sub_indptr, sub_ids,
                   w_in, w_out, keep, nprob, nalias, sg, window, shrink,
                   negative, share != 1, learning_rate, min_learning_rate,
                   total, sig, logsig, max_len, losses, pairs, words, threads)

    else:
        kernel = (
            _sgns_kernels.sgns_epoch_parallel
            if parallel
            else _sgns_kernels.sgns_epoch_serial
        )
        hs_indptr, hs_points, hs_codes = hs_tree

        def run(indptr, ids, starts, chunk_pos, seeds, _doc_offset, max_len,
                losses, pairs, words):
            kernel(indptr, ids, starts, chunk_pos, seeds, w_in, w_out, keep,
                   nprob, nalias, sg, mode, window, shrink, negative,
                   share, out_per_pair, learning_rate, min_learning_rate, total,
                   sig, logsig, max_len, losses, pairs, words, threads,
                   max_context, n_context, hs, hs_indptr, hs_points, hs_codes,
                   w_hs)

    return run
