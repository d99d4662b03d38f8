"""Item2Vec: baskets, sessions and playlists to item vectors.

Item2Vec (Barkan & Koenigstein, 2016) is skip-gram with negative sampling
where the context of an item is every other item of the same basket. This
module turns baskets of hashable item ids into the CSR corpus of the shared
engine (:func:`skembed._engine._driver.train_sgns`), and adds what a recommender needs
on top: pooled basket features, nearest items and top-k recommendations
scored with matrix products.
"""

import numbers
import warnings
from collections.abc import Hashable
from numbers import Integral

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.base import ClassNamePrefixFeaturesOutMixin
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted

from .._compat import Interval, StrOptions, _fit_context, _get_output_config
from .._dataframes import as_pandas
from .._engine._base import _BaseSGNS
from .._engine import _corpus
from .._engine._corpus import _MemoryCorpus, _scan, _SpilledCorpus, smooth_idf
from .._fitted import (
    DICT,
    FLOAT,
    INT,
    array,
    check_rows,
    check_vocabulary,
    check_width,
    instance_of,
    optional,
)
from .._progress import Progress
from .._validation import check_column
from .._vectors._keyedvectors import KeyedVectors

__all__ = ["Item2VecTransformer", "baskets_from_frame"]

#: our context names -> the engine's
_ENGINE_CONTEXT = {"set": "set", "sequence": "window", "shuffle": "shuffle"}

#: cell types that hold a basket (several items); any other hashable is one item
_BASKET_TYPES = (list, tuple, set, frozenset, np.ndarray)

#: rows of the (n_baskets, n_items) score matrix computed at once
_SCORE_BATCH = 1024
#: recommend's scorings (see Item2VecTransformer.recommend)
_SCORINGS = ("auto", "inout", "logsumexp", "cosine")
#: logsumexp scoring: query items x catalogue scores held at once
_LSE_CELLS = 1 << 23
#: recommend's query weighting of histories found to be in time order
_RECENCY = 0.8
#: the order check of fit: training baskets queried (the first ones with at
#: least 3 known items, after a random rotation), and catalogue items they
#: are ranked against
_ORDER_BASKETS = 2000
_ORDER_ITEMS = 10000


def _is_missing(x):
    """None, float NaN, ``pd.NA`` and ``pd.NaT`` are missing, not items."""
    if x is None:
        return True
    if isinstance(x, (float, np.floating)):
        return x != x
    if type(x).__name__ in ("NAType", "NaTType"):
        return True
    return False


def _is_basket_cell(cell):
    if isinstance(cell, _BASKET_TYPES):
        return True
    return isinstance(cell, (pd.Series, pd.Index))


def _normalise_item(x):
    """numpy scalars -> Python scalars, so ``np.int64(3)`` and ``3`` agree."""
    if isinstance(x, np.generic):
        return x.item()
    return x


def _cell_items(cell, row, param, missing):
    """Items of one cell; appends the number of missing values to ``missing``."""
    if _is_basket_cell(cell):
        values = cell.ravel().tolist() if isinstance(cell, np.ndarray) else list(cell)
    elif isinstance(cell, Hashable):
        values = [cell]
    else:
        try:
            values = list(cell)
        except TypeError:
            raise TypeError(
                f"{param}[{row}] must be a basket (list, tuple, set, array) or a "
                f"single hashable item id; got {type(cell).__name__}."
            ) from None
    out = []
    n_missing = 0
    for x in values:
        if _is_missing(x):
            n_missing += 1
            continue
        if not isinstance(x, Hashable) or isinstance(x, (list, dict, set)):
            raise TypeError(
                f"{param}[{row}] contains an item of type {type(x).__name__} "
                f"({x!r:.60}); item ids must be hashable (int, str, tuple, ...)."
            )
        out.append(_normalise_item(x))
    missing[0] += n_missing
    return out


def baskets_from_frame(frame, basket_col, item_col, order_col=None):
    """Group a long-format frame (one row per basket, item) into baskets.

    Parameters
    ----------
    frame : pandas.DataFrame or polars.DataFrame
        One row per (basket, item) event, e.g. a user's rating or a click.
    basket_col : hashable
        Column holding the basket (user, session, order, playlist) id.
    item_col : hashable
        Column holding the item id.
    order_col : hashable, default=None
        Column that orders the items within a basket (a timestamp, a
        position). ``None`` keeps the row order of ``frame``. Ties keep the
        row order too (stable sort).

    Returns
    -------
    baskets : pandas.Series of lists
        One list of item ids per basket, indexed by the basket ids in order
        of first appearance in ``frame``; named ``item_col``. Items are
        plain Python values (``str``, ``int``, ...), whatever the column's
        dtype (categorical, Arrow-backed, polars).

    Examples
    --------
    >>> import pandas as pd
    >>> from skembed import baskets_from_frame
    >>> log = pd.DataFrame({"user": [1, 2, 1, 2, 1],
    ...                     "item": ["a", "b", "c", "a", "b"],
    ...                     "t": [3, 1, 1, 2, 2]})
    >>> baskets_from_frame(log, "user", "item", order_col="t")
    user
    1    [c, b, a]
    2       [b, a]
    Name: item, dtype: object
    """
    frame = as_pandas(frame)
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(
            "frame must be a DataFrame in long format (one row per basket and "
            f"item); got {type(frame).__name__}."
        )
    for name, col in (
        ("basket_col", basket_col),
        ("item_col", item_col),
        ("order_col", order_col),
    ):
        if col is None and name != "order_col":
            raise ValueError(f"{name} must name a column of the frame; got None.")
        if col is not None and col not in frame.columns:
            raise ValueError(
                f"{name}={col!r} is not a column of the frame; its columns are "
                f"{list(frame.columns)[:20]}."
            )
    codes, uniques = pd.factorize(frame[basket_col], sort=False)
    if (codes < 0).any():
        raise ValueError(
            f"basket_col={basket_col!r} has {int((codes < 0).sum())} missing "
            "basket ids; drop or fill those rows first."
        )
    if order_col is None:
        perm = np.argsort(codes, kind="stable")
    else:
        order = frame[order_col].to_numpy()
        try:
            rank = np.argsort(np.argsort(order, kind="stable"), kind="stable")
        except TypeError as exc:
            raise TypeError(
                f"order_col={order_col!r} must hold sortable values (numbers, "
                f"timestamps); sorting failed: {exc}"
            ) from None
        perm = np.lexsort((rank, codes))
    items = frame[item_col].to_numpy(dtype=object)[perm]
    bounds = np.cumsum(np.bincount(codes, minlength=len(uniques)))[:-1]
    # numpy scalars (np.str_ from a categorical column) -> Python values
    baskets = [
        [_normalise_item(x) for x in chunk.tolist()] for chunk in np.split(items, bounds)
    ]
    index = pd.Index(uniques, name=basket_col)
    return pd.Series(baskets, index=index, name=item_col, dtype=object)


def _item_array(keys):
    """Items as an ndarray: int64 when every id is an int, else object."""
    if keys and all(type(k) is int for k in keys):
        try:
            return np.asarray(keys, dtype=np.int64)
        except OverflowError:
            pass
    arr = np.empty(len(keys), dtype=object)
    for i, k in enumerate(keys):
        arr[i] = k
    return arr


class Item2VecTransformer(ClassNamePrefixFeaturesOutMixin, _BaseSGNS):
    """Item2Vec: item vectors from baskets, sessions or playlists.

    Skip-gram with negative sampling where an item's context is the other
    items of its basket (Barkan & Koenigstein, 2016). ``fit`` learns one
    vector per item; ``transform`` pools the vectors of each basket's items
    into one feature row (a single item id is a basket of one, so an item-id
    column in a :class:`~sklearn.compose.ColumnTransformer` becomes item
    features); :meth:`most_similar`, :meth:`recommend` and
    :meth:`recommend_batch` answer recommendation queries.

    Parameters
    ----------
    n_components : int, default=128
        Dimension of the item vectors (gensim ``vector_size``). 128 rather
        than word2vec's 100: on grocery baskets (The Complete Journey, 6,358
        products) the dimension capped how much item-item co-occurrence the
        vectors hold (validation Recall@10 0.159 at 64 dimensions, 0.165 at
        100, 0.171 at 128, default scoring); on the MovieLens histories 64
        to 128 were within noise.
    context : {"set", "sequence", "shuffle"}, default="set"
        What counts as an item's context. ``"set"``: the other items of the
        basket, order ignored -- ``n_context`` of them drawn at random per
        item occurrence and epoch (default), or every one of them with
        ``n_context=None`` (the Item2Vec paper's all pairs). ``"sequence"``:
        a sliding ``window`` over the basket in its given order (sessions,
        playlists, time-ordered histories). ``"shuffle"``: the basket is shuffled anew each epoch, then
        a fixed ``window`` is used (a cheaper, randomised version of ``"set"``
        for long baskets).
    window : int, default=5
        Items each side of the centre for ``"sequence"`` and ``"shuffle"``;
        ignored by ``"set"``.
    shrink_window : bool, default=True
        ``"sequence"`` only: draw the effective window uniformly from
        ``[1, window]`` per centre, as word2vec does (gensim
        ``shrink_windows``), which weights near neighbours more.
    n_context : int or None, default=10
        ``"set"`` only: context items drawn (uniformly, with replacement)
        from the rest of its basket for each item occurrence, anew each
        epoch, each pair with its own negatives. Training costs
        ``n_context`` pairs per item occurrence and epoch: linear in the
        number of occurrences whatever the basket lengths, and every basket
        weighs in proportion to its length. ``None`` trains every pair of
        every basket instead: ``O(m**2)`` for a basket of ``m`` items, which
        lets a few long baskets dominate (on ml-latest-small, histories of
        up to 2,391 ratings, it took 213 CPU-s and Recall@10 fell to 0.003).
    max_context : int or None, default=None
        ``"set"`` with ``n_context=None`` only. ``None`` trains every pair of
        every basket, which costs
        ``O(m**2)`` for a basket of ``m`` items. An int caps the context of
        each centre item: a longer basket is shuffled anew each epoch and
        each item takes the ``max_context`` items nearest to it on the
        shuffled ring as context, ``O(m * max_context)``; every item still
        trains, as centre and as context. Use it for baskets of thousands of
        items (one basket of 20,000 items costs about 20 CPU-seconds per
        epoch at 8 dimensions without a cap). It can also rank better: on
        MovieLens-100K user histories (up to 737 items) ``max_context=50``
        trained 4x faster than the exact context and raised Recall@10 from
        0.084 to 0.123, since all pairs weight a basket by its squared
        length.
    negative : int, default=5
        Negative samples per positive pair.
    ns_exponent : float, default=0.5
        Exponent of the negative-sampling distribution ``count **
        ns_exponent``: 1 samples by popularity, 0 uniformly, negative values
        favour rare items (recommendation papers tune it, Caselles-Dupré et
        al. 2018). With ``scoring="inout"`` it also sets how much popularity
        the scores keep: the trained score of a pair is about
        ``log P(j | i) - ns_exponent * log count_j``, so 1 removes popularity
        entirely (rare items flood the top: Recall@10 0.002 on
        MovieLens-100K) and lower values keep more of it. 0.5 rather than
        word2vec's 0.75: from 0 to 0.75 the differences were within one
        standard error on MovieLens-100K; tune it for your data.
    sample : float, default=0.0
        Subsampling threshold of frequent items. Off by default: it was made
        to thin out stop words, whereas a popular item is signal (and an item
        dropped from a small basket loses all its pairs).
    min_count : int, default=1
        Items seen fewer times are left out of training and treated as
        unknown. 1 by default: catalogues have long tails and every item of
        the training data should get a vector for ``transform``.
    n_epochs : int, default=20
        Passes over the baskets (gensim ``epochs``). More than word2vec's 5,
        because basket data is small next to text corpora.
    learning_rate : float, default=0.025
        Initial learning rate, decayed linearly (gensim ``alpha``).
    pooling : {"mean", "sum", "tfidf"}, default="mean"
        How ``transform`` combines the vectors of a basket's known items:
        mean, sum, or a mean weighted by ``count_in_basket * idf`` where
        ``idf = log((1 + n_baskets) / (1 + n_baskets_with_item)) + 1`` over
        the training baskets (rare items weigh more).
    handle_unknown : {"zeros", "nan", "error"}, default="zeros"
        Unknown items (not seen in ``fit`` or below ``min_count``) are left
        out of the pooling. A basket with no known item (or an empty one)
        becomes a row of zeros (``"zeros"``) or of NaN (``"nan"``, for models
        that handle missing values natively, such as
        :class:`~sklearn.ensemble.HistGradientBoostingClassifier`).
        ``"error"`` raises a ``ValueError`` naming unknown items.
    baskets : iterable of baskets or DataFrame, default=None
        Training data held as a parameter. When set, :meth:`fit` trains on
        it and ignores ``X``, so that a column of item ids inside a
        :class:`~sklearn.compose.ColumnTransformer` or a
        :class:`~sklearn.pipeline.Pipeline` gets vectors learnt from the
        baskets (trained inside the pipeline, hence tunable by
        :class:`~sklearn.model_selection.GridSearchCV`), as
        ``Node2VecEmbedder(graph=G)`` does for node ids. Fitting on the id
        column alone would see baskets of one item and learn nothing.
    basket_col, item_col : hashable, default=None
        Long-format input: when both are set and ``X`` is a DataFrame with
        those columns, its rows are (basket, item) events grouped into
        baskets by :func:`baskets_from_frame`; ``transform`` then returns one
        row per basket, in order of first appearance (with
        ``set_output(transform="pandas")`` indexed by basket id).
    order_col : hashable, default=None
        Long-format input: the column ordering items within a basket.
    random_state : int, RandomState instance or None, default=None
        Seed of the initial vectors and of the training streams.
    n_jobs : int, default=None
        Training threads. ``None`` or 1 is serial and bit-reproducible for a
        fixed ``random_state``; more threads train lock-free (Hogwild) and
        are not reproducible.
    verbose : int, default=0
        1 prints one line per epoch and a summary of the vocabulary.

    Attributes
    ----------
    items_ : ndarray of shape (n_items,)
        Item id of each row of the vectors, most frequent first; int64 when
        every id is an int, object otherwise.
    vocabulary_ : dict
        Item id -> row.
    item_counts_ : ndarray of int64, shape (n_items,)
        Training occurrences of each item.
    item_vectors_ : ndarray of float32, shape (n_items, n_components)
        Input vectors: the item embedding (also ``embedding_``).
    embedding_ : ndarray of float32, shape (n_items, n_components)
        Same array as ``item_vectors_`` (the common name of skembed).
    output_vectors_ : ndarray of float32, shape (n_items, n_components)
        Output (context) vectors; ``item_vectors_[i] @ output_vectors_[j]`` is
        the trained log-odds that ``j`` shares a basket with ``i``.
    wv_ : KeyedVectors
        The item vectors as a :class:`~skembed.KeyedVectors` (gensim-like
        ``most_similar``, ``similarity``, ``save_word2vec_format`` for str
        ids), sharing memory with ``item_vectors_``.
    idf_ : ndarray of float64, shape (n_items,)
        Inverse basket frequency used by ``pooling="tfidf"``.
    n_baskets_ : int
        Training baskets.
    n_missing_items_ : int
        Missing values (None, NaN, ``pd.NA``) skipped in the training baskets.
    basket_ids_ : ndarray of shape (n_baskets,)
        The training baskets' ids, in the order of the rows of
        ``fit_transform``: the basket ids of long-format input (order of
        first appearance), else ``0 .. n_baskets - 1``. Use it to align the
        rows of an ndarray output with the baskets.
    recency_ : float or None
        The query weighting of ``recommend(recency="auto")``: 0.8 when the
        order of the training baskets tells their next item, ``None`` when
        it does not (see Notes).
    loss_curve_ : list of float
        Mean SGNS loss per training pair, one value per epoch; NaN for an
        epoch that trained no pair (subsampling can drop every item of a
        tiny corpus in one epoch).

    See Also
    --------
    baskets_from_frame : Group a long-format frame into baskets.
    KeyedVectors : The type of ``wv_``.

    Notes
    -----
    Input: ``X`` is an iterable of baskets. A cell that is a list, tuple,
    set, ndarray or Series is a basket; any other hashable value (int, str,
    ...) is a basket of one item. Items inside a basket may be any hashable
    (ints, strings, tuples, mixed); a tuple *item* must therefore sit inside
    a basket (``[(1, 2)]``), since a bare tuple cell is read as a basket. A
    2-D array or a DataFrame (without ``basket_col``) is read row by row,
    each row's cells forming one basket (a 2-column frame warns: it is
    more often a long-format log missing ``basket_col`` / ``item_col``).
    pandas (NumPy- or Arrow-backed) and polars frames and series are read
    alike. None, NaN, ``pd.NA`` and ``pd.NaT`` are missing values, not
    items: they are skipped (and counted in ``n_missing_items_``), so a NaN
    cell is an empty basket.

    Memory: ``fit`` reads a plain iterable of baskets (a list, a generator,
    or a re-iterable reading a file) once, keeping only the int32 id of each
    item occurrence and the dictionary of distinct items -- not the baskets
    themselves -- so ``X`` may be a generator over a file too large for a
    list of lists; above the size at which word2vec's corpus spills
    (``2**22`` item occurrences + baskets) even those ids go to a temporary
    file, streamed from it in every epoch.

    Recommendation: a user unseen at ``fit`` is just a basket -- pass the
    history to :meth:`recommend` (a fold-in: no refit). An item unseen at
    ``fit`` (item cold start) has no vector: it is ignored in a query, never
    recommended, and pooled as ``handle_unknown`` says; refit to include it.
    ``recommend`` weighs the query items by recency (the item ``t``
    positions before the last weighs ``0.8 ** t``) when ``fit`` found the
    baskets time-ordered (``recency_ == 0.8``): on up to 2,000 training
    baskets of 3 or more items, the last item is ranked given the items
    before it, with and without that weighting; the weighting is kept when
    it ranks the last items better and the baskets do not merely list their
    items in sorted order of the ids (90 % of them sorted). Otherwise
    (``recency_ is None``) every query item counts alike. Pass ``recency=``
    to override. ``scoring="inout"`` ranks by the trained log-odds of
    co-occurrence averaged over the query items, which keep part of each
    item's popularity (see ``ns_exponent``); ``scoring="logsumexp"``
    aggregates the per-item log-odds by a soft maximum instead (item-kNN
    style: one strongly related item beats many weak ones, softened by
    ``temperature``), which ranked better on unordered grocery baskets. The
    default, ``scoring="auto"``, follows ``recency_`` too: ``"inout"`` on
    time-ordered baskets, ``"logsumexp"`` on unordered ones (and
    ``"inout"`` for models saved before ``recency_`` existed).
    ``scoring="cosine"`` compares input
    vectors only and is blind to popularity: in our benchmarks it ranked far
    worse on held-out items, but it is the measure of "similar items"
    (:meth:`most_similar`) and suits diversified, long-tail suggestions.
    :func:`recommendation_scorer` turns any of them into a
    :class:`~sklearn.model_selection.GridSearchCV` score.

    For time-ordered histories and sessions, ``context="sequence"`` (with the
    default recency weighting) ranked best in our MovieLens measurements,
    above EASE on MovieLens-100K; for unordered baskets keep ``"set"`` (see
    the user guide, "How to tune item2vec for recommendation").

    gensim users: ``context="set"`` is what a huge ``window`` with
    ``shrink_windows=False`` approximates; gensim also truncates sentences at
    10,000 tokens, while here no basket is truncated.

    References
    ----------
    Barkan, O. and Koenigstein, N. (2016). Item2Vec: neural item embedding
    for collaborative filtering. IEEE MLSP.

    Caselles-Dupré, H., Lesaint, F. and Royo-Letelier, J. (2018). Word2vec
    applied to recommendation: hyperparameters matter. RecSys.

    Examples
    --------
    >>> from skembed import Item2VecTransformer
    >>> baskets = [["milk", "bread", "butter"], ["beer", "chips"],
    ...            ["bread", "butter", "jam"], ["chips", "beer", "salsa"]] * 20
    >>> i2v = Item2VecTransformer(n_components=8, random_state=0).fit(baskets)
    >>> i2v.item_vectors_.shape
    (7, 8)
    >>> i2v.transform([["bread", "jam"], "beer", []]).shape
    (3, 8)
    >>> items, scores = i2v.most_similar("beer", topn=2)
    >>> sorted(items.tolist())
    ['chips', 'salsa']
    >>> bool(i2v.similarity("beer", "chips") > 0)
    True
    >>> items, scores = i2v.recommend(["bread"], k=2)
    >>> sorted(items.tolist())
    ['butter', 'jam']
    """

    _parameter_constraints: dict = {
        **_BaseSGNS._parameter_constraints,
        "context": [StrOptions({"set", "sequence", "shuffle"})],
        "shrink_window": ["boolean"],
        "max_context": [Interval(Integral, 1, None, closed="left"), None],
        "n_context": [Interval(Integral, 1, None, closed="left"), None],
        "pooling": [StrOptions({"mean", "sum", "tfidf"})],
        "handle_unknown": [StrOptions({"zeros", "nan", "error"})],
        "baskets": "no_validation",
        "basket_col": "no_validation",
        "item_col": "no_validation",
        "order_col": "no_validation",
    }

    #: fitted state, saved by save_model (see :mod:`skembed._fitted`)
    _fitted_state: dict = {
        "items_": array(None, 1),
        "vocabulary_": DICT,
        "item_counts_": array(np.int64, 1),
        "idf_": array(np.float64, 1),
        "n_baskets_": INT,
        "basket_ids_": array(None, 1),
        "n_missing_items_": INT,
        "item_vectors_": array(np.float32, 2),
        "output_vectors_": array(np.float32, 2),
        "wv_": instance_of(KeyedVectors),
        "recency_": optional(FLOAT),
    }

    def _check_fitted_state(self):
        state = vars(self)
        emb = state.get("embedding_")
        rows = len(self.items_) if "items_" in state else None
        check_rows(state, rows, "embedding_", "item_vectors_")
        check_width(state, None if emb is None else emb.shape[1])
        check_vocabulary(state)

    def __init__(
        self,
        *,
        n_components=128,
        context="set",
        window=5,
        shrink_window=True,
        max_context=None,
        n_context=10,
        negative=5,
        ns_exponent=0.5,
        sample=0.0,
        min_count=1,
        n_epochs=20,
        learning_rate=0.025,
        pooling="mean",
        handle_unknown="zeros",
        baskets=None,
        basket_col=None,
        item_col=None,
        order_col=None,
        random_state=None,
        n_jobs=None,
        verbose=0,
    ):
        self.n_components = n_components
        self.context = context
        self.window = window
        self.shrink_window = shrink_window
        self.max_context = max_context
        self.n_context = n_context
        self.negative = negative
        self.ns_exponent = ns_exponent
        self.sample = sample
        self.min_count = min_count
        self.n_epochs = n_epochs
        self.learning_rate = learning_rate
        self.pooling = pooling
        self.handle_unknown = handle_unknown
        self.baskets = baskets
        self.basket_col = basket_col
        self.item_col = item_col
        self.order_col = order_col
        self.random_state = random_state
        self.n_jobs = n_jobs
        self.verbose = verbose

    # ------------------------------------------------------------------ input
    def _long_format(self, X):
        return isinstance(X, pd.DataFrame) and self.basket_col is not None

    def _baskets(self, X, param="X"):
        """Parse ``X`` -> (list of lists of items, index or None, n_missing)."""
        cells, index = self._cells(X, param)
        if len(cells) == 0:
            raise ValueError(f"{param} is empty: at least one basket is required.")
        missing = [0]
        baskets = [_cell_items(c, i, param, missing) for i, c in enumerate(cells)]
        return baskets, index, missing[0]

    def _cells(self, X, param="X", materialize=True):
        """The cells (baskets) of ``X`` and the basket index or None: a list,
        or with ``materialize=False`` an iterator for a plain iterable."""
        index = None
        X = as_pandas(X)  # polars, pyarrow, ... frames and series: as pandas
        if self._long_format(X):
            if self.item_col is None:
                raise ValueError(
                    "item_col must be set together with basket_col for "
                    "long-format input; got item_col=None."
                )
            series = baskets_from_frame(
                X, self.basket_col, self.item_col, self.order_col
            )
            return series.tolist(), series.index
        if isinstance(X, pd.DataFrame) and X.shape[1] == 2:
            warnings.warn(
                f"{param} is a 2-column DataFrame, read as one basket of 2 items "
                "per row; did you mean basket_col=/item_col= (long format: one "
                "row per basket and item)?",
                UserWarning,
                stacklevel=4,
            )
        # a one-column frame / (n, 1) array is its column; more columns are
        # rows of items (each row a basket)
        cells = check_column(X, what="baskets", param=param, rows=True)
        if isinstance(cells, pd.DataFrame):
            cells = list(cells.to_numpy(dtype=object))
        elif isinstance(cells, pd.Series):
            cells = cells.tolist()
        elif isinstance(cells, np.ndarray):
            cells = list(cells) if cells.ndim > 1 else cells.tolist()
        elif materialize:
            cells = list(cells)
        else:
            cells = iter(cells)
        return cells, index

    def _encode(self, baskets, handle_unknown):
        """Baskets -> CSR of known rows + per-basket counts of known items."""
        get = self.vocabulary_.get
        lengths = np.fromiter(
            (len(b) for b in baskets), dtype=np.int64, count=len(baskets)
        )
        flat = np.fromiter(
            (get(x, -1) for b in baskets for x in b),
            dtype=np.int64,
            count=int(lengths.sum()),
        )
        known = flat >= 0
        rows = np.repeat(np.arange(len(baskets)), lengths)
        n_unknown = np.bincount(rows[~known], minlength=len(baskets))
        if handle_unknown == "error" and n_unknown.any():
            examples = []
            for b in baskets:
                examples.extend(x for x in b if x not in self.vocabulary_)
                if len(examples) >= 5:
                    break
            raise ValueError(
                f"Found {int(n_unknown.sum())} unknown item(s) in "
                f"{int((n_unknown > 0).sum())} basket(s), e.g. "
                f"{examples[:5]!r}; use handle_unknown='zeros' or 'nan' to "
                "ignore them."
            )
        counts = np.bincount(rows[known], minlength=len(baskets))
        indptr = np.zeros(len(baskets) + 1, dtype=np.int64)
        np.cumsum(counts, out=indptr[1:])
        return indptr, flat[known].astype(np.int32), counts

    def _pool_matrix(self, indptr, ids, counts, pooling):
        """Sparse (n_baskets, n_items) pooling weights."""
        n = indptr.shape[0] - 1
        if pooling == "sum":
            w = np.ones(ids.shape[0], dtype=np.float32)
        elif pooling == "tfidf":
            w = self.idf_[ids]
            rows = np.repeat(np.arange(n), counts)
            sums = np.bincount(rows, weights=w, minlength=n)
            sums = np.where(counts > 0, sums, 1.0)
            w = (w / np.repeat(sums, counts)).astype(np.float32)
        else:
            w = (1.0 / np.repeat(np.maximum(counts, 1), counts)).astype(np.float32)
        return sp.csr_matrix((w, ids, indptr), shape=(n, self.items_.shape[0]))

    def _query_matrix(self, indptr, ids, counts, recency):
        """Sparse (n_baskets, n_items) query weights of ``recommend``: the
        mean of the known items, or with ``recency`` a weighted mean with
        ``recency ** (positions before the last known item)`` (a mean, so
        that ``inout`` scores stay log-odds)."""
        pool = self._pool_matrix(indptr, ids, counts, "mean")
        if recency is not None and recency != 1:
            ends = np.repeat(pool.indptr[1:], np.diff(pool.indptr))
            age = ends - 1 - np.arange(pool.indptr[-1])
            w = np.power(float(recency), age)
            rows = np.repeat(np.arange(pool.shape[0]), np.diff(pool.indptr))
            sums = np.bincount(rows, weights=w, minlength=pool.shape[0])
            pool.data = (w / sums[rows]).astype(np.float32)
        return pool

    # -------------------------------------------------------------------- fit
    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Learn item vectors from baskets.

        Parameters
        ----------
        X : iterable of baskets, or DataFrame
            Baskets of hashable item ids (see Notes of the class), or a
            long-format DataFrame with ``basket_col`` / ``item_col``.
            Ignored when the ``baskets`` parameter is set.
        y : None
            Ignored.

        Returns
        -------
        self : Item2VecTransformer
        """
        param = "X" if self.baskets is None else "baskets"
        cells, index = self._cells(
            X if self.baskets is None else self.baskets, param, materialize=False
        )
        # one streaming pass: items parsed, counted and encoded basket by
        # basket (4 bytes per item occurrence, no list of baskets)
        missing = [0]
        baskets = (_cell_items(c, i, param, missing) for i, c in enumerate(cells))
        stats = {}
        # above word2vec's threshold the item ids go to a temporary file
        keys, counts, corpus = _scan(
            baskets,
            min_count=self.min_count,
            stats=stats,
            spill_tokens=_corpus._SPILL_TOKENS,
        )
        if not isinstance(corpus, _SpilledCorpus):
            corpus = _MemoryCorpus(*corpus)
        try:
            self._fit_corpus(keys, counts, corpus, missing[0], stats, param, index)
        finally:
            corpus.close()
        return self

    def _fit_corpus(self, keys, counts, corpus, n_missing, stats, param, index):
        n_baskets = corpus.n_docs
        if n_baskets == 0:
            raise ValueError(f"{param} is empty: at least one basket is required.")
        if not keys:
            raise ValueError(
                "No item to train on: the baskets hold no item seen at least "
                f"min_count={self.min_count} times ({stats['n_distinct']} "
                f"distinct items, {n_missing} missing values skipped)."
            )
        self.items_ = _item_array(keys)
        self.vocabulary_ = {key: i for i, key in enumerate(keys)}
        self.item_counts_ = counts
        # baskets holding each item (an item repeated in a basket counts
        # once), block by block
        self.idf_ = smooth_idf(n_baskets, corpus, len(keys))
        self.n_baskets_ = n_baskets
        self.basket_ids_ = (
            np.arange(n_baskets) if index is None else _item_array(list(index))
        )
        self.n_missing_items_ = int(n_missing)
        Progress(type(self).__name__, self.verbose).log(
            f"{n_baskets} baskets, {len(keys)} items kept of "
            f"{stats['n_distinct']} (min_count={self.min_count}), "
            f"{corpus.n_tokens} item occurrences, {n_missing} missing "
            "values skipped"
        )
        rng = check_random_state(self.random_state)
        if isinstance(corpus, _MemoryCorpus):
            corpus = (corpus.indptr, corpus.ids)  # one block
        sampled = self.context == "set" and self.n_context is not None
        result = self._fit_sgns(
            corpus,
            counts,
            rng,
            context=_ENGINE_CONTEXT[self.context],
            shrink_window=self.shrink_window,
            max_context=self.max_context,
            n_context=self.n_context if sampled else None,
            # fresh negatives per pair: a centre's n_context draws may repeat
            # a context item of a short basket, and negatives shared by all
            # of them would take n_context steps at once
            shared_negatives=not sampled,
        )
        self.item_vectors_ = result.w_in
        self.embedding_ = self.item_vectors_
        self.output_vectors_ = result.w_out
        self.wv_ = KeyedVectors(
            self.items_.tolist(), self.item_vectors_, counts=self.item_counts_
        )
        self.loss_curve_ = result.loss_curve
        self._n_features_out = self.n_components
        block = (
            corpus
            if isinstance(corpus, tuple)
            else next(iter(corpus.blocks()))[1]
        )
        self.recency_ = self._order_check(*block, rng)

    def _order_check(self, indptr, ids, rng):
        """``_RECENCY`` if the baskets read as time-ordered, else ``None``.

        On up to ``_ORDER_BASKETS`` training baskets of 3 or more items, the
        last item is ranked (``"inout"`` scores, against the other items of
        up to ``_ORDER_ITEMS`` drawn from the catalogue) given the items
        before it, once weighted by ``_RECENCY ** age`` and once alike. When
        the weighting ranks the last items better (mean reciprocal rank),
        the order carries information (a history, a session) and
        ``recommend`` weighs by recency; otherwise the order is arbitrary
        (a shopping basket) and every query item counts alike. Cost:
        independent of the corpus size beyond the sampled baskets.
        """
        lengths = np.diff(indptr)
        long = np.flatnonzero(lengths >= 3)
        if long.shape[0] == 0:
            return None
        state = np.random.RandomState(rng.randint(np.iinfo(np.int32).max))
        pick = np.sort(
            state.choice(long, min(_ORDER_BASKETS, long.shape[0]), replace=False)
        )
        if self._sorted_by_id(indptr, ids, pick):
            return None
        n_items = self.items_.shape[0]
        if n_items > _ORDER_ITEMS:
            cand = np.sort(state.choice(n_items, _ORDER_ITEMS, replace=False))
        else:
            cand = np.arange(n_items)
        col = np.full(n_items, -1, dtype=np.int64)
        col[cand] = np.arange(cand.shape[0])
        out_c = self.output_vectors_[cand].T
        mrr = []
        for recency in (_RECENCY, None):
            rr = np.empty(pick.shape[0])
            for s0 in range(0, pick.shape[0], 256):
                rows = pick[s0 : s0 + 256]
                q_len = lengths[rows] - 1
                q_ptr = np.zeros(rows.shape[0] + 1, dtype=np.int64)
                np.cumsum(q_len, out=q_ptr[1:])
                flat = np.concatenate(
                    [ids[indptr[b] : indptr[b + 1] - 1] for b in rows]
                )
                qrow = np.repeat(np.arange(rows.shape[0]), q_len)
                pool = self._query_matrix(q_ptr, flat, q_len, recency)
                h = np.asarray(pool @ self.item_vectors_, dtype=np.float32)
                target = ids[indptr[rows + 1] - 1]
                t_score = np.einsum("ij,ij->i", h, self.output_vectors_[target])
                scores = h @ out_c
                # the query's own items and the target are not competitors
                seen = col[flat]
                scores[qrow[seen >= 0], seen[seen >= 0]] = -np.inf
                tc = col[target]
                scores[np.flatnonzero(tc >= 0), tc[tc >= 0]] = -np.inf
                rank = (scores > t_score[:, None]).sum(axis=1)
                rr[s0 : s0 + 256] = 1.0 / (1.0 + rank)
            mrr.append(rr.mean())
        return _RECENCY if mrr[0] > mrr[1] else None

    def _sorted_by_id(self, indptr, ids, pick):
        """Whether nearly all (90 %) of the baskets ``pick`` list their items
        in sorted order of the item ids: then the order is the ids' (as a
        ``groupby`` or a SQL aggregate often leaves it), not time, even if
        neighbouring ids are related (products numbered by category)."""
        try:
            order = np.argsort(self.items_, kind="stable")
        except TypeError:  # ids of mixed types: no sort order to follow
            return False
        rank = np.empty(order.shape[0], dtype=np.int64)
        rank[order] = np.arange(order.shape[0])
        n_sorted = 0
        for b in pick:
            d = np.diff(rank[ids[indptr[b] : indptr[b + 1]]])
            n_sorted += bool((d >= 0).all() or (d <= 0).all())
        return n_sorted >= 0.9 * pick.shape[0]

    # -------------------------------------------------------------- transform
    def transform(self, X):
        """Pool the vectors of each basket's items.

        Parameters
        ----------
        X : iterable of baskets, or DataFrame
            As in :meth:`fit`. A scalar cell is a basket of one item.

        Returns
        -------
        X_new : ndarray of float32, shape (n_baskets, n_components)
            One row per basket (per distinct basket id for long-format
            input). Baskets without a known item are zeros or NaN, per
            ``handle_unknown``.
        """
        check_is_fitted(self)
        baskets, index, _ = self._baskets(X)
        indptr, ids, counts = self._encode(baskets, self.handle_unknown)
        pool = self._pool_matrix(indptr, ids, counts, self.pooling)
        Z = np.asarray(pool @ self.item_vectors_, dtype=np.float32)
        if self.handle_unknown == "nan":
            Z[counts == 0] = np.nan
        if (
            index is not None
            and _get_output_config("transform", self)["dense"] == "pandas"
        ):
            return pd.DataFrame(Z, index=index, columns=self.get_feature_names_out())
        return Z

    # -------------------------------------------------------------- queries
    def _row(self, item):
        item = _normalise_item(item)
        try:
            return self.vocabulary_[item]
        except (KeyError, TypeError):
            raise KeyError(
                f"item {item!r} is not in the vocabulary of this "
                f"{type(self).__name__} ({len(self.vocabulary_)} items; unseen "
                f"or below min_count={self.min_count})."
            ) from None

    def _unit_vectors(self):
        w = self.item_vectors_.astype(np.float32)
        norms = np.linalg.norm(w, axis=1, keepdims=True)
        return w / np.maximum(norms, np.finfo(np.float32).tiny)

    def most_similar(self, item, topn=10):
        """Items nearest to ``item`` by cosine similarity of input vectors.

        Parameters
        ----------
        item : hashable
            A known item id.
        topn : int, default=10
            Number of neighbours (the item itself is excluded).

        Returns
        -------
        items : ndarray of shape (topn,)
            The nearest items, most similar first (fewer when the vocabulary
            is smaller): the convention of :meth:`recommend`.
        scores : ndarray of float32, shape (topn,)
            Their cosine similarity to ``item``.

        See Also
        --------
        similarity : Cosine similarity of two items.
        """
        check_is_fitted(self)
        topn = self._check_k(topn, "topn")
        row = self._row(item)  # the estimator's error for an unknown item
        # wv_ rows are vocabulary_ rows (built from items_ in order)
        rows, scores = self.wv_._most_similar_rows(self.wv_.index_to_key[row], topn)
        return self.items_[rows], scores

    def similarity(self, item1, item2):
        """Cosine similarity of the vectors of two known items.

        Parameters
        ----------
        item1, item2 : hashable
            Known item ids.

        Returns
        -------
        float
        """
        check_is_fitted(self)
        keys = self.wv_.index_to_key
        return self.wv_.similarity(keys[self._row(item1)], keys[self._row(item2)])

    @staticmethod
    def _check_k(k, name):
        if not isinstance(k, numbers.Integral) or isinstance(k, bool) or k < 1:
            raise ValueError(f"{name} must be a positive int; got {k!r}.")
        return int(k)

    @staticmethod
    def _top_k(scores, k):
        """Column indices of the k largest scores per row, best first."""
        if k <= 0:
            return np.zeros((scores.shape[0], 0), dtype=np.int64)
        if k < scores.shape[1]:
            part = np.argpartition(-scores, k - 1, axis=1)[:, :k]
        else:
            part = np.broadcast_to(np.arange(scores.shape[1]), scores.shape).copy()
        order = np.argsort(
            -np.take_along_axis(scores, part, axis=1), axis=1, kind="stable"
        )
        return np.take_along_axis(part, order, axis=1)

    def recommend(
        self, basket, k=10, *, exclude_seen=True, scoring="auto", last_n=None,
        recency="auto", temperature=2.0,
    ):
        """Top-``k`` items for one basket (a user's history, a session).

        Parameters
        ----------
        basket : list of hashable or hashable
            The items already in the basket: any history, seen at ``fit`` or
            not (a new user is a new basket: fold-in, no refit). Unknown
            items are ignored.
        k : int, default=10
            Number of recommendations.
        exclude_seen : bool, default=True
            Never recommend an item already in the basket.
        scoring : {"auto", "inout", "logsumexp", "cosine"}, default="auto"
            ``"auto"``: ``"inout"`` when ``fit`` found the training baskets
            time-ordered (``recency_`` is set: histories, sessions),
            ``"logsumexp"`` when it did not (``recency_`` is None: shopping
            baskets, sets); see the class Notes. ``"inout"``: the (weighted)
            mean input vector of the basket times
            each item's output vector, i.e. the mean over query items ``h``
            of the trained log-odds ``in_h . out_c`` that ``c`` shares a
            basket with ``h``. ``"logsumexp"``: ``log sum_h w_h exp(in_h .
            out_c)`` (at ``temperature`` 1), a soft maximum over the query
            items, so one strongly related item counts more than many weak
            ones (item-kNN style);
            it ranked better on unordered grocery baskets (The Complete
            Journey) and costs one ``n_items`` row per query item instead of
            one per basket. ``"cosine"``: cosine between the mean of the unit
            input vectors and each item, blind to popularity.
        last_n : int, default=None
            Query with the last ``last_n`` known items of the basket only
            (the most recent ones of a time-ordered history or session);
            ``None`` uses them all. ``exclude_seen`` still excludes the whole
            basket. A hard cut: on MovieLens-100K validation,
            ``last_n=3`` (0.198 Recall@10 with the default model) did about
            as well as ``recency=0.8`` over the whole history (0.200), which
            needs no choice of length.
        recency : "auto", float in (0, 1] or None, default="auto"
            Weigh the query items by recency: the known item ``t`` positions
            before the last one weighs ``recency ** t`` (the last weighs 1).
            ``None`` (or 1) weighs them all alike, for unordered baskets.
            ``"auto"`` uses ``recency_``, which ``fit`` sets to 0.8 when the
            order of the training baskets tells the next item (a
            time-ordered history, a session) and to ``None`` otherwise (a
            shopping basket in arbitrary order, or in the sorted order of
            its item ids); see the class Notes. On time-ordered histories
            0.8 raised validation Recall@10 of the default model from 0.104
            to 0.200 on MovieLens-100K and from 0.075 to 0.086 on
            ml-latest-small; on grocery baskets listed by product id (The
            Complete Journey, basket completion) it lowered it. Combines
            with ``last_n`` (the weights then run over the last ``last_n``
            items).
        temperature : float > 0, default=2.0
            ``scoring="logsumexp"`` only: ``T log sum_h w_h exp(in_h . out_c /
            T)``. Towards 0 the score is the largest per-item log-odds (a
            hard maximum), as ``T`` grows it tends to the weighted mean (the
            ``"inout"`` ranking). 2 ranked best on The Complete Journey
            validation (Recall@10 of the default 128-dimension model 0.158
            at 1, 0.168 at 1.5, 0.171 at 2, 0.169 at 2.5, 0.167 at 3; 0.156
            -> 0.159 at 64 dimensions); a model trained with
            ``ns_exponent=0.3`` preferred 1 (0.168 vs 0.167). Ignored by the
            other scorings.

        Returns
        -------
        items : ndarray of shape (k,)
            Recommended item ids, best first.
        scores : ndarray of float32, shape (k,)
            Their scores. A basket without any known item gets the most
            frequent items (cold start), with NaN scores.
        """
        items, scores = self.recommend_batch(
            [basket], k, exclude_seen=exclude_seen, scoring=scoring, last_n=last_n,
            recency=recency, temperature=temperature,
        )
        return items[0], scores[0]

    def recommend_batch(
        self, baskets, k=10, *, exclude_seen=True, scoring="auto", last_n=None,
        recency="auto", temperature=2.0,
    ):
        """Top-``k`` items for many baskets at once (matrix products).

        Parameters
        ----------
        baskets : iterable of baskets, or DataFrame
            As ``X`` in :meth:`transform` (long-format frames too).
        k : int, default=10
            Recommendations per basket; at most the number of items.
        exclude_seen : bool, default=True
            Never recommend an item already in its basket.
        scoring : {"auto", "inout", "logsumexp", "cosine"}, default="auto"
            See :meth:`recommend`.
        last_n : int, default=None
            See :meth:`recommend`.
        recency : "auto", float in (0, 1] or None, default="auto"
            See :meth:`recommend`.
        temperature : float > 0, default=2.0
            See :meth:`recommend`.

        Returns
        -------
        items : ndarray of shape (n_baskets, k)
            Recommended item ids per basket, best first.
        scores : ndarray of float32, shape (n_baskets, k)
            Their scores; ``-inf`` marks padding when fewer than ``k`` unseen
            items exist, NaN the popularity fallback of baskets without a
            known item.
        """
        check_is_fitted(self)
        k = self._check_k(k, "k")
        if scoring not in _SCORINGS:
            raise ValueError(f"scoring must be one of {_SCORINGS}; got {scoring!r}.")
        if not isinstance(exclude_seen, (bool, np.bool_)):
            raise ValueError(f"exclude_seen must be a bool; got {exclude_seen!r}.")
        if last_n is not None:
            last_n = self._check_k(last_n, "last_n")
        if (
            not isinstance(temperature, numbers.Real)
            or isinstance(temperature, bool)
            or not np.isfinite(temperature)
            or temperature <= 0
        ):
            raise ValueError(
                f"temperature must be a float > 0; got {temperature!r}."
            )
        # models saved before the order check weighed by recency (and
        # scored "inout")
        fitted_recency = getattr(self, "recency_", _RECENCY)
        if scoring == "auto":
            scoring = "inout" if fitted_recency is not None else "logsumexp"
        if isinstance(recency, str) and recency == "auto":
            recency = fitted_recency
        elif recency is not None and (
            not isinstance(recency, numbers.Real)
            or isinstance(recency, bool)
            or not 0 < recency <= 1
        ):
            raise ValueError(
                "recency must be 'auto', None or a float in (0, 1]; got "
                f"{recency!r}."
            )
        baskets_list, _, _ = self._baskets(baskets, param="baskets")
        indptr, ids, counts = self._encode(baskets_list, "zeros")
        n_items = self.items_.shape[0]
        k = min(k, n_items)
        if last_n is None:
            pool = self._query_matrix(indptr, ids, counts, recency)
        else:
            ends = np.repeat(indptr[1:], counts)
            recent = np.arange(ids.shape[0]) >= ends - last_n
            q_counts = np.minimum(counts, last_n)
            q_indptr = np.zeros_like(indptr)
            np.cumsum(q_counts, out=q_indptr[1:])
            pool = self._query_matrix(q_indptr, ids[recent], q_counts, recency)
        if scoring in ("inout", "logsumexp"):
            targets = self.output_vectors_
            source = self.item_vectors_
        else:
            targets = self._unit_vectors()
            source = targets
        popularity = np.log(self.item_counts_.astype(np.float32))
        n = len(baskets_list)
        out_rows = np.empty((n, k), dtype=np.int64)
        out_scores = np.empty((n, k), dtype=np.float32)
        for start in range(0, n, _SCORE_BATCH):
            stop = min(n, start + _SCORE_BATCH)
            if scoring == "logsumexp":
                scores = self._logsumexp_scores(pool[start:stop], temperature)
            else:
                q = np.asarray(pool[start:stop] @ source, dtype=np.float32)
                if scoring == "cosine":
                    q /= np.maximum(
                        np.linalg.norm(q, axis=1, keepdims=True),
                        np.finfo(np.float32).tiny,
                    )
                scores = q @ targets.T
            cold = counts[start:stop] == 0
            if cold.any():
                scores[cold] = popularity
            if exclude_seen:
                lo, hi = indptr[start], indptr[stop]
                seen_rows = np.repeat(np.arange(stop - start), counts[start:stop])
                scores[seen_rows, ids[lo:hi]] = -np.inf
            top = self._top_k(scores, k)
            out_rows[start:stop] = top
            top_scores = np.take_along_axis(scores, top, axis=1)
            top_scores[cold] = np.where(np.isneginf(top_scores[cold]), -np.inf, np.nan)
            out_scores[start:stop] = top_scores
        return self.items_[out_rows], out_scores

    def _logsumexp_scores(self, pool, temperature=1.0):
        """``T log sum_h w_h exp(in_h . out_c / T)`` per basket row of
        ``pool`` (CSR of query weights ``w``) and item ``c``: a soft maximum
        of the per-item log-odds at temperature ``T``, computed item by item
        of the baskets."""
        n_rows, n_items = pool.shape
        scores = np.empty((n_rows, n_items), dtype=np.float32)
        indptr = pool.indptr
        step = max(1, _LSE_CELLS // n_items)
        r = 0
        while r < n_rows:
            # as many baskets as fit in the cell budget (at least one)
            stop = r + 1
            while stop < n_rows and indptr[stop + 1] - indptr[r] <= step:
                stop += 1
            lo, hi = indptr[r], indptr[stop]
            if hi == lo:  # only baskets without a known item (cold)
                scores[r:stop] = 0.0
                r = stop
                continue
            a = self.item_vectors_[pool.indices[lo:hi]] @ self.output_vectors_.T
            if temperature != 1:
                a /= np.float32(temperature)
            with np.errstate(divide="ignore"):  # recency ** age can underflow
                a += np.log(pool.data[lo:hi]).astype(np.float32)[:, None]
            lengths = np.diff(indptr[r : stop + 1])
            full = lengths > 0
            starts = indptr[r:stop][full] - lo
            peak = np.maximum.reduceat(a, starts, axis=0)
            seg = np.repeat(np.arange(len(starts)), lengths[full])
            a -= peak[seg]
            np.exp(a, out=a)
            block = np.zeros((stop - r, n_items), dtype=np.float32)
            block[full] = peak + np.log(np.add.reduceat(a, starts, axis=0))
            if temperature != 1:
                block *= np.float32(temperature)
            scores[r:stop] = block
            r = stop
        return scores

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        return tags
