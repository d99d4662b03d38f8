"""EntityEmbeddingEncoder: supervised embeddings of categorical columns."""

import numbers
import warnings
from numbers import Integral, Real

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils import check_random_state
from sklearn.utils.multiclass import type_of_target
from sklearn.utils.validation import check_array, check_is_fitted, column_or_1d

from .._compat import (
    HasMethods,
    Interval,
    Options,
    RealNotInt,
    StrOptions,
    _check_feature_names_in,
    _fit_context,
    validate_data,
)
from .._dataframes import as_pandas
from .._fitted import (
    BOOL,
    FLOAT,
    FLOATS,
    INT,
    Kind,
    array,
    check_feature_names,
    instance_of,
    list_of,
    one_of,
    optional,
)
from .._progress import CallbackSupportMixin
from .._scaleout import LazyTransformMixin, reject_lazy
from . import _effects, _net
from ._cross_fitting import (
    align_tables,
    fold_level_codes,
    fold_splitter,
    calibrate_ridge,
    fold_level_sums,
    remove_fold_influence,
)
from ._levels import (
    _FIRST,
    _MISSING,
    _UNKNOWN,
    MISSING_LABEL,
    UNKNOWN_LABEL,
    encode_levels,
    factorize,
    fit_levels,
    frequency_threshold,
)

__all__ = ["EntityEmbeddingEncoder"]

_INT = Kind("an int", lambda v: type(v) is int)

#: an embedding is kept if masking it raises the validation loss by more
#: than this many standard errors
_KEEP_Z = 2.0

#: principal axes with a spread below this fraction of the column's leading
#: axis are flattened: standardized downstream, they would be pure noise
_MINOR_AXIS = 0.1

#: ``target_type="auto"`` warns when it infers more classes from a numeric y
_MANY_CLASSES = 10

#: a float column with more distinct non-integer values is continuous
_CONTINUOUS_MIN_UNIQUE = 50


def _is_datetime(col):
    dtype = getattr(col, "dtype", None)
    return dtype is not None and pd.api.types.is_datetime64_any_dtype(dtype)


def _datetime_seconds(col):
    """Seconds since the epoch (NaT becomes NaN)."""
    ts = pd.to_datetime(pd.Series(col))
    if ts.dt.tz is not None:
        ts = ts.dt.tz_convert("UTC").dt.tz_localize(None)
    out = ts.astype("datetime64[ns]").to_numpy().astype(np.int64) / 1e9
    out[ts.isna().to_numpy()] = np.nan
    return out


def _is_continuous(col):
    """Datetimes, and floats with many distinct non-integer values.

    Such columns are measurements, not categories: embedding 2,000 distinct
    prices would build a 2,001-row table that only memorises the target.
    """
    if _is_datetime(col):
        return True
    dtype = getattr(col, "dtype", None)
    if dtype is None or not pd.api.types.is_float_dtype(dtype):
        return False
    values = np.asarray(col, dtype=np.float64)
    values = values[np.isfinite(values)]
    fractional = values[values != np.round(values)]
    return len(np.unique(fractional)) > _CONTINUOUS_MIN_UNIQUE



class EntityEmbeddingEncoder(
    CallbackSupportMixin, LazyTransformMixin, TransformerMixin, BaseEstimator
):
    """Encode categorical columns by level effects and supervised embeddings.

    Each categorical column becomes its **level effect** then its
    **embedding** (``encode`` selects one block or both). The level effects
    are random intercepts fitted in closed form: a few backfitting sweeps
    over the columns give each level
    ``sum of residuals / (n_l + sigma2 / tau2)``, a target encoding shrunk
    toward the unknown row by empirical Bayes (variance components by the
    method of moments, numeric features as linear terms); for a classifier,
    on each class indicator. A small neural network (Guo & Berkhahn, 2016)
    then learns what the effects miss, with the effects as a fixed offset:
    one embedding table per column, the rows of a sample concatenated (plus
    the numeric features), dense ReLU layers and a task head (squared error,
    log-loss, softmax cross-entropy), trained with Adam on mini-batches and
    early stopping, its output layer starting at zero. Embedding rows are
    shrunk toward the unknown row by ``n_l / (n_l + m)``, and a column keeps
    its embedding only if shuffling its levels on the validation rows raises
    the network's loss by more than two standard errors; otherwise the table
    is flattened onto the unknown row (constant output). Numeric features
    only feed the model and are not part of the output.

    Unknown levels and levels rarer than ``min_frequency`` share a *trained*
    unknown row (rare levels are mapped to it during training, and
    ``category_dropout`` replaces random codes by it); NaN, None, ``pd.NA``
    and ``NaT`` are one missing level with a row of its own.

    ``fit_transform`` cross-fits like :class:`~sklearn.preprocessing.TargetEncoder`:
    with ``cv`` folds, the rows of each fold are encoded by level effects
    fitted without them and by the full-data embedding tables with the
    fold's influence removed (one Newton step per level, the network held
    fixed, no network trained per fold). With ``include_prediction`` (whose
    out-of-fold prediction needs a network that did not see the fold) and
    for multiclass targets, a network is trained per fold instead and its
    tables rotated onto the full-data network's space by orthogonal
    Procrustes on the levels both share. ``transform`` always uses
    the full-data network, so **``fit(X, y).transform(X)`` differs from
    ``fit_transform(X, y)``**; the latter is what a downstream model should
    be trained on (the former leaks the target of the training rows).

    Parameters
    ----------
    n_components : "auto", int or dict, default="auto"
        Embedding width per column. ``"auto"`` uses fastai's rule
        ``min(600, round(1.6 * n ** 0.56))`` with ``n`` the number of table
        rows (levels + unknown, + missing), capped by ``max_dim``. A dict maps
        column names (or indices) to widths; columns it omits use ``"auto"``.
    max_dim : int or None, default=16
        Cap of the ``"auto"`` rule.
    hidden_layer_sizes : array-like of int, default=(64, 32)
        Sizes of the dense ReLU layers after the concatenated embeddings.
    n_epochs : int, default=20
        Maximum number of passes over the training data.
    batch_size : int or "auto", default="auto"
        Mini-batch size; ``"auto"`` is ``min(1024, max(16, n_rows // 32))``
        so that small data sets still get at least ~32 steps per epoch.
    learning_rate : float, default=3e-3
        Adam step size.
    alpha : float, default=1e-3
        L2 penalty on the weights and (lazily, on the rows of each batch) on
        the embeddings.
    category_dropout : float, default=0.01
        Probability that a code is replaced by the unknown row during
        training, so that the unknown row learns an "average level".
    early_stopping : bool, default=True
        Hold out ``validation_fraction`` of the rows and stop when the
        validation loss has not improved by ``tol`` for ``n_iter_no_change``
        epochs; the best epoch's weights are kept.
    validation_fraction : float, default=0.1
        Fraction of the rows held out for early stopping.
    n_iter_no_change : int or "auto", default="auto"
        Patience of early stopping, in epochs. ``"auto"``: 2 with
        ``include_prediction``, else 1. 1 stops at the first epoch that does
        not improve: on the six benchmark tables a longer patience (2) gave
        the same downstream scores of the level effects and embeddings over
        three seeds, at up to 1.7x the CPU, while the network's own
        prediction kept gaining from it (``benchmarks/results/entity.md``).
    tol : float, default=1e-4
        Minimal improvement of the validation loss.
    min_frequency : int, float or None, default=None
        Levels seen fewer times (int) or in a smaller fraction of the rows
        (float) share the unknown row. They are listed in
        ``infrequent_categories_`` and are not "unknown" for
        ``handle_unknown``.
    handle_unknown : {"value", "zeros", "return_nan", "error"}, default="value"
        Levels not seen in ``fit``: the trained unknown vector, zeros, NaN,
        or a ``ValueError``.
    handle_missing : {"value", "return_nan", "error"}, default="value"
        Missing values: their own trained vector (if missing values occurred
        in ``fit``; otherwise they are handled as unknown), NaN, or a
        ``ValueError``.
    target_type : {"auto", "continuous", "binary", "multiclass"}, default="auto"
        Task of the network; ``"auto"`` infers it with
        :func:`~sklearn.utils.multiclass.type_of_target`.
    numeric_features : "auto", array-like of str, int or bool or None, \
            default="auto"
        Columns fed to the network as standardized numbers (missing values
        become the mean; datetimes become seconds since the epoch). They are
        not encoded and not in the output. ``"auto"`` takes the columns not
        named in ``categorical_features`` that are datetimes or floats with
        more than 50 distinct non-integer values (prices, measurements: as
        categories they would only be memorised); ``None`` takes none.
    categorical_features : array-like of str, int or bool, default=None
        Columns to encode; ``None`` means every column not in
        ``numeric_features``.
    encode : {"effects+embeddings", "effects", "embeddings"}, \
            default="effects+embeddings"
        Which blocks of each column's output ``transform`` returns (as
        :class:`~sklearn.preprocessing.KBinsDiscretizer`'s ``encode`` picks
        its output form): the level effect(s) then the embedding, the
        ``*_effect`` columns only, or the ``*_emb`` columns only.
        ``"effects"`` is the choice for distance-based models
        (:class:`~sklearn.neighbors.KNeighborsRegressor` and the like) behind
        a :class:`~sklearn.preprocessing.StandardScaler`: the embedding axes,
        each scaled to unit variance there, are not aligned with the target
        and outweigh the numeric columns (hotel_rates in
        ``benchmarks/results/entity.md``: KNN R^2 0.71 with the effects, 0.53
        with both blocks). With ``"effects"`` and no ``include_prediction``
        the network is not trained (``embeddings_kept_`` is all False,
        ``n_iter_`` is 0): a fit costs about what a target encoding does.
    include_prediction : bool, default=False
        Append the network's own output as extra columns (``"net_output"``:
        the prediction for a continuous target, the logit(s) otherwise);
        out-of-fold in the cross-fitted ``fit_transform``, like stacking.
    cv : int, cross-validation generator or None, default=5
        Folds for the cross-fitted ``fit_transform``. An int uses
        ``StratifiedKFold`` for classification and ``KFold`` otherwise,
        with ``shuffle`` and ``random_state``. ``None`` disables
        cross-fitting (``fit_transform`` then equals ``fit().transform()``
        on the training rows, and leaks the target).
    shuffle : bool, default=True
        Shuffle before splitting when ``cv`` is an int.
    dtype : {np.float32, np.float64}, default=np.float32
        Output dtype.
    random_state : int, RandomState instance or None, default=None
        Seeds the initialisation, the validation split, the batch order,
        the dropout and the folds. A fixed value gives identical results.
    verbose : int, default=0
        1 prints one line per epoch (and per fold).

    Attributes
    ----------
    categories_ : list of ndarray
        Levels of each categorical column that have their own row.
    infrequent_categories_ : list of ndarray
        Levels of each categorical column mapped to the unknown row.
    embedding_dims_ : list of int
        Embedding width of each categorical column.
    embeddings_ : dict of str to DataFrame
        Per categorical column, its output rows (level effect(s), then the
        embedding, whatever ``encode``) indexed by level, then
        ``"<unknown>"`` and (when missing values were seen) ``"<missing>"``.
    effect_shrinkage_ : ndarray of shape (n_categorical, n_effects)
        ``sigma2 / tau2`` of each column (per class for multiclass): the
        prior count a level's effect is shrunk with; ``inf`` when the column
        shows no between-level variance (its effects are 0).
    embeddings_kept_ : list of bool
        Whether each column's embedding passed the validation test (else it
        is constant). Without early stopping every embedding is kept.
    categorical_features_ : ndarray of int
        Indices of the encoded columns.
    numeric_features_ : ndarray of int
        Indices of the numeric columns feeding the network.
    target_type_ : str
        Task of the network.
    classes_ : ndarray or None
        Class labels for a classification target.
    loss_curve_ : list of float
        Training loss per epoch of the full-data network.
    validation_scores_ : list of float
        Validation R^2 (continuous) or accuracy (classification) per epoch.
    validation_loss_ : list of float
        Validation loss per epoch (what early stopping monitors).
    n_iter_ : int
        Epochs run; ``best_epoch_`` is the one kept.
    net_score_ : float or None
        Validation score of the kept epoch (None without early stopping),
        a diagnostic of how much the network learnt.
    n_features_in_ : int
        Number of columns seen in ``fit``.
    feature_names_in_ : ndarray of str
        Column names seen in ``fit`` (DataFrame input only).

    See Also
    --------
    sklearn.preprocessing.TargetEncoder : cross-fitted target encoding.
    sklearn.preprocessing.OneHotEncoder : one column per level.

    Notes
    -----
    ``target_type="auto"`` follows :func:`~sklearn.utils.multiclass.type_of_target`,
    as :class:`~sklearn.preprocessing.TargetEncoder` does: a numeric ``y`` with
    few integer values (ratings 1-5) is ``"multiclass"``; pass
    ``target_type="continuous"`` to regress on it. A ``UserWarning`` says so
    when more than 10 classes are inferred from a numeric ``y``.

    Training needs only numpy and numba: embedding rows of a batch are
    gathered and updated by a row-sparse ("lazy") Adam step, so the cost of
    a step does not grow with the number of levels.

    References
    ----------
    C. Guo and F. Berkhahn, "Entity Embeddings of Categorical Variables",
    arXiv:1604.06737, 2016.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from skembed import EntityEmbeddingEncoder
    >>> rng = np.random.RandomState(0)
    >>> X = pd.DataFrame({"city": rng.choice(["a", "b", "c", "d"], 400)})
    >>> y = X["city"].map({"a": 0.0, "b": 0.0, "c": 3.0, "d": 3.0}) + rng.randn(400)
    >>> enc = EntityEmbeddingEncoder(n_components=2, random_state=0, cv=None)
    >>> Xt = enc.fit(X, y).transform(X)
    >>> Xt.shape
    (400, 3)
    >>> enc.get_feature_names_out().tolist()
    ['city_effect', 'city_emb0', 'city_emb1']
    >>> enc.embeddings_["city"].index.tolist()
    ['a', 'b', 'c', 'd', '<unknown>']
    >>> effect = enc.embeddings_["city"]["city_effect"]
    >>> bool(abs(effect["a"] - effect["b"]) < abs(effect["a"] - effect["c"]))
    True
    """

    _parameter_constraints: dict = {
        "n_components": [
            StrOptions({"auto"}),
            Interval(Integral, 1, None, closed="left"),
            dict,
        ],
        "max_dim": [Interval(Integral, 1, None, closed="left"), None],
        "hidden_layer_sizes": ["array-like"],
        "n_epochs": [Interval(Integral, 1, None, closed="left")],
        "batch_size": [
            Interval(Integral, 1, None, closed="left"),
            StrOptions({"auto"}),
        ],
        "learning_rate": [Interval(Real, 0, None, closed="neither")],
        "alpha": [Interval(Real, 0, None, closed="left")],
        "category_dropout": [Interval(Real, 0, 1, closed="left")],
        "early_stopping": ["boolean"],
        "validation_fraction": [Interval(Real, 0, 1, closed="neither")],
        "n_iter_no_change": [
            Interval(Integral, 1, None, closed="left"), StrOptions({"auto"}),
        ],
        "tol": [Interval(Real, 0, None, closed="left")],
        "min_frequency": [
            Interval(Integral, 1, None, closed="left"),
            Interval(RealNotInt, 0, 1, closed="neither"),
            None,
        ],
        "handle_unknown": [StrOptions({"value", "zeros", "return_nan", "error"})],
        "handle_missing": [StrOptions({"value", "return_nan", "error"})],
        "target_type": [StrOptions({"auto", "continuous", "binary", "multiclass"})],
        "numeric_features": [StrOptions({"auto"}), "array-like", None],
        "categorical_features": ["array-like", None],
        "encode": [StrOptions({"effects+embeddings", "effects", "embeddings"})],
        "include_prediction": ["boolean"],
        "cv": [
            Interval(Integral, 2, None, closed="left"),
            HasMethods(["split", "get_n_splits"]),
            None,
        ],
        "shuffle": ["boolean"],
        "dtype": [Options(type, {np.float32, np.float64})],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
    }

    #: fitted state, saved by save_model (see :mod:`skembed._fitted`)
    _fitted_state: dict = {
        "n_features_in_": INT,
        "feature_names_in_": array(None, 1),
        "categorical_features_": array(np.int64, 1),
        "numeric_features_": array(np.int64, 1),
        "target_type_": one_of("continuous", "binary", "multiclass"),
        "classes_": optional(array(None, 1)),
        "_y_mean": FLOAT,
        "_y_scale": FLOAT,
        "_hidden": list_of(_INT),
        "categories_": list_of(array(None, 1)),
        "infrequent_categories_": list_of(array(None, 1)),
        "_missing_trained": list_of(BOOL),
        "_num_mean": array(np.float64, 1),
        "_num_scale": array(np.float64, 1),
        "_n_rows": array(np.int64, 1),
        "embedding_dims_": list_of(_INT),
        "_init_seed": INT,
        "_intercept": array(np.float64, 1),
        "_effects": list_of(array(np.float64, 2)),
        "effect_shrinkage_": array(np.float64, 2),
        "embeddings_kept_": list_of(BOOL),
        "_net": instance_of(_net.EmbeddingNet, "an EmbeddingNet"),
        "loss_curve_": FLOATS,
        "validation_loss_": FLOATS,
        "validation_scores_": FLOATS,
        "n_iter_": INT,
        "best_epoch_": INT,
        "net_score_": optional(FLOAT),
    }

    def _check_fitted_state(self):
        state = vars(self)
        check_feature_names(state)
        if "categories_" in state:
            n_cat = len(state["categories_"])
            if len(state.get("infrequent_categories_", [None] * n_cat)) != n_cat or (
                len(state.get("categorical_features_", [None] * n_cat)) != n_cat
            ):
                raise ValueError("categories_ does not match the categorical features")
            if len(state.get("_missing_trained", [None] * n_cat)) != n_cat:
                raise ValueError("_missing_trained does not match categories_")
        if "target_type_" in state and (
            (state.get("classes_") is None) != (state["target_type_"] == "continuous")
        ):
            raise ValueError(
                f"target_type_ {state['target_type_']!r} does not match classes_"
            )
        net = state.get("_net")
        n_rows = state.get("_n_rows")
        if net is not None:
            cats = state.get("categories_")
            if not (
                isinstance(n_rows, np.ndarray)
                and isinstance(cats, list)
                and np.array_equal(net.n_rows, n_rows)
                and n_rows.tolist() == [len(c) + 2 for c in cats]
                and state.get("embedding_dims_") == net.dims.tolist()
            ):
                raise ValueError("the network's tables do not match categories_")
        effects = state.get("_effects")
        intercept = state.get("_intercept")
        if effects is not None:
            if not (
                isinstance(n_rows, np.ndarray)
                and isinstance(intercept, np.ndarray)
                and [e.shape for e in effects]
                == [(int(r), len(intercept)) for r in n_rows]
                and len(state.get("embeddings_kept_", [])) == len(effects)
                and getattr(state.get("effect_shrinkage_"), "shape", None)
                == (len(effects), len(intercept))
            ):
                raise ValueError("the level effects do not match categories_")

    def __init__(
        self,
        *,
        n_components="auto",
        max_dim=16,
        hidden_layer_sizes=(64, 32),
        n_epochs=20,
        batch_size="auto",
        learning_rate=3e-3,
        alpha=1e-3,
        category_dropout=0.01,
        early_stopping=True,
        validation_fraction=0.1,
        n_iter_no_change="auto",
        tol=1e-4,
        min_frequency=None,
        handle_unknown="value",
        handle_missing="value",
        target_type="auto",
        numeric_features="auto",
        categorical_features=None,
        encode="effects+embeddings",
        include_prediction=False,
        cv=5,
        shuffle=True,
        dtype=np.float32,
        random_state=None,
        verbose=0,
    ):
        self.n_components = n_components
        self.max_dim = max_dim
        self.hidden_layer_sizes = hidden_layer_sizes
        self.n_epochs = n_epochs
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.alpha = alpha
        self.category_dropout = category_dropout
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.tol = tol
        self.min_frequency = min_frequency
        self.handle_unknown = handle_unknown
        self.handle_missing = handle_missing
        self.target_type = target_type
        self.numeric_features = numeric_features
        self.categorical_features = categorical_features
        self.encode = encode
        self.include_prediction = include_prediction
        self.cv = cv
        self.shuffle = shuffle
        self.dtype = dtype
        self.random_state = random_state
        self.verbose = verbose

    # ------------------------------------------------------------------ input
    def _check_X(self, X, *, reset):
        """Columns of X as a list of 1-D arrays/Series, and the row count."""
        reject_lazy(X)
        X = as_pandas(X)
        if hasattr(X, "iloc") and getattr(X, "ndim", 0) == 2:
            n_samples, n_features = X.shape
            if n_samples < 1:
                raise ValueError(
                    f"Found array with 0 sample(s) (shape={X.shape}) while a "
                    "minimum of 1 is required by EntityEmbeddingEncoder."
                )
            if n_features < 1:
                raise ValueError(
                    f"Found array with 0 feature(s) (shape={X.shape}) while a "
                    "minimum of 1 is required by EntityEmbeddingEncoder."
                )
            columns = [X.iloc[:, j] for j in range(n_features)]
            for j, col in enumerate(columns):
                if col.dtype.kind == "f" and np.isinf(col.to_numpy()).any():
                    raise ValueError(
                        f"Input X contains infinity in column {X.columns[j]!r}."
                    )
        else:
            X = check_array(X, dtype=None, ensure_all_finite="allow-nan")
            n_samples = X.shape[0]
            columns = [X[:, j] for j in range(X.shape[1])]
        validate_data(self, X=X, reset=reset, skip_check_array=True)
        return columns, n_samples

    def _column_names(self):
        if hasattr(self, "feature_names_in_"):
            return [str(c) for c in self.feature_names_in_]
        return [f"x{j}" for j in range(self.n_features_in_)]

    def _resolve_selection(self, spec, param):
        """Column indices of a ``numeric_features``/``categorical_features`` spec."""
        n = self.n_features_in_
        names = list(getattr(self, "feature_names_in_", []))
        items = (
            np.asarray(spec, dtype=object).ravel().tolist()
            if not isinstance(spec, str)
            else [spec]
        )
        if len(items) == n and all(isinstance(v, (bool, np.bool_)) for v in items):
            return [j for j, v in enumerate(items) if v]
        out = []
        for v in items:
            if isinstance(v, (bool, np.bool_)):
                raise ValueError(
                    f"{param} as a boolean mask must have length {n} (the number "
                    f"of columns of X); got {len(items)}."
                )
            if isinstance(v, numbers.Integral):
                if not -n <= v < n:
                    raise ValueError(
                        f"{param} contains column index {v}, but X has {n} columns."
                    )
                out.append(int(v) % n)
            elif isinstance(v, str):
                if v not in names:
                    raise ValueError(
                        f"{param} contains {v!r}, which is not a column of X"
                        + (
                            f" (columns: {names})."
                            if names
                            else "; X has no column names (pass integer indices)."
                        )
                    )
                out.append(names.index(v))
            else:
                raise ValueError(
                    f"{param} must contain column names, integer indices or be a "
                    f"boolean mask; got {v!r} of type {type(v).__name__}."
                )
        return sorted(set(out))

    def _select_columns(self, columns):
        names = self._column_names()
        if isinstance(self.numeric_features, str) and self.numeric_features == "auto":
            listed = (
                []
                if self.categorical_features is None
                else self._resolve_selection(
                    self.categorical_features, "categorical_features"
                )
            )
            num = [
                j
                for j, col in enumerate(columns)
                if j not in listed and _is_continuous(col)
            ]
        elif self.numeric_features is None:
            num = []
        else:
            num = self._resolve_selection(self.numeric_features, "numeric_features")
        if self.categorical_features is None:
            cat = [j for j in range(self.n_features_in_) if j not in num]
            if not cat and isinstance(self.numeric_features, str):
                raise ValueError(
                    "EntityEmbeddingEncoder needs at least one categorical column "
                    f"to encode; every column ({[names[j] for j in num]}) looks "
                    "continuous (datetimes, or floats with more than "
                    f"{_CONTINUOUS_MIN_UNIQUE} distinct non-integer values) and "
                    "numeric_features='auto' feeds those to the network only. Pass "
                    "categorical_features=[...] to embed them as categories."
                )
        else:
            cat = self._resolve_selection(
                self.categorical_features, "categorical_features"
            )
            both = sorted(set(cat) & set(num))
            if both:
                raise ValueError(
                    "Columns cannot be both categorical_features and "
                    f"numeric_features; both contain column indices {both}."
                )
        if not cat:
            raise ValueError(
                "EntityEmbeddingEncoder needs at least one categorical column to "
                "encode; categorical_features / numeric_features left none."
            )
        return np.asarray(cat, dtype=np.int64), np.asarray(num, dtype=np.int64)

    def _numeric_matrix(self, columns, *, fit):
        if not len(self.numeric_features_):
            return None
        names = self._column_names()
        mats = []
        for j in self.numeric_features_:
            col = columns[j]
            if _is_datetime(col):
                mats.append(_datetime_seconds(col))
                continue
            dtype = getattr(col, "dtype", None)
            if isinstance(dtype, np.dtype) and dtype.kind in "iuf":
                # already numbers: no round trip through object (8 ms of a
                # 0.2 s cross-fit on hotel_rates' five numeric columns)
                mats.append(np.asarray(col, dtype=np.float64))
                continue
            try:
                vals = pd.to_numeric(
                    pd.Series(np.asarray(col, dtype=object)), errors="raise"
                )
                vals = np.asarray(vals, dtype=np.float64)
            except (TypeError, ValueError) as exc:
                raise ValueError(
                    f"numeric_features column {names[j]!r} must hold numbers; "
                    f"could not convert it ({exc})."
                ) from None
            mats.append(vals)
        M = np.column_stack(mats)
        if fit:
            mean = np.nanmean(np.where(np.isnan(M), np.nan, M), axis=0) if M.size else 0
            mean = np.where(np.isnan(mean), 0.0, mean)
            centered = np.where(np.isnan(M), 0.0, M - mean)
            scale = np.sqrt(np.mean(centered**2, axis=0))
            scale[scale == 0] = 1.0
            self._num_mean, self._num_scale = mean, scale
        M = (M - self._num_mean) / self._num_scale
        M[np.isnan(M)] = 0.0
        return np.ascontiguousarray(M, dtype=np.float32)

    def _check_missing_allowed(self, missing, name):
        if self.handle_missing == "error" and missing.any():
            raise ValueError(
                f"Column {name!r} of X contains missing values (NaN, None, pd.NA "
                "or NaT) and handle_missing='error'. Use handle_missing='value' "
                "or 'return_nan' to encode them."
            )

    def _fit_columns(self, columns, n_samples):
        """Levels, rare levels and table codes of each categorical column."""
        names = self._column_names()
        self.categories_, self.infrequent_categories_ = [], []
        self._missing_trained = []
        codes = np.empty((n_samples, len(self.categorical_features_)), dtype=np.int32)
        threshold = frequency_threshold(self.min_frequency, n_samples)
        for out_j, j in enumerate(self.categorical_features_):
            fcodes, uniques = factorize(columns[j])
            missing = fcodes < 0
            self._check_missing_allowed(missing, names[j])
            col_codes, levels, rare = fit_levels(fcodes, uniques, threshold)
            codes[:, out_j] = col_codes
            self.categories_.append(np.asarray(levels, dtype=object))
            self.infrequent_categories_.append(np.asarray(rare, dtype=object))
            self._missing_trained.append(bool(missing.any()))
        return codes

    def _transform_codes(self, columns):
        """Table codes plus unknown and missing masks for new data."""
        names = self._column_names()
        n = len(columns[0]) if columns else 0
        k = len(self.categorical_features_)
        codes = np.empty((n, k), dtype=np.int32)
        unknown = np.zeros((n, k), dtype=bool)
        missing = np.zeros((n, k), dtype=bool)
        for out_j, j in enumerate(self.categorical_features_):
            fcodes, uniques = factorize(columns[j])
            miss = fcodes < 0
            self._check_missing_allowed(miss, names[j])
            col, unk = encode_levels(
                fcodes, uniques, self.categories_[out_j],
                self.infrequent_categories_[out_j], self._missing_trained[out_j],
            )
            codes[:, out_j] = col
            unknown[:, out_j] = unk
            missing[:, out_j] = miss
        return codes, unknown, missing

    def _prepare_target(self, y, n_samples):
        if y is None:
            raise ValueError(
                "EntityEmbeddingEncoder requires y to be passed, but the target y "
                "is None."
            )
        y = check_array(
            y, ensure_2d=False, dtype=None, ensure_all_finite=False, input_name="y"
        )
        if y.ndim == 2 and y.shape[1] == 1:
            y = column_or_1d(y, warn=True)
        if y.ndim != 1:
            raise ValueError(
                "y must be a 1-D array of targets (one column); got an array of "
                f"shape {y.shape}. Multi-output targets are not supported."
            )
        if y.shape[0] != n_samples:
            raise ValueError(
                f"Found input variables with inconsistent numbers of samples: "
                f"X has {n_samples} rows but y has {y.shape[0]}."
            )
        if y.dtype == object or y.dtype.kind in "fc":
            if pd.isna(y).any():
                raise ValueError(
                    "Input y contains NaN (or None / pd.NA); EntityEmbeddingEncoder "
                    "needs a target for every row. Drop or impute those rows."
                )
        if y.dtype.kind == "f" and np.isinf(y).any():
            raise ValueError("Input y contains infinity.")
        if self.target_type == "auto":
            kind = type_of_target(y, input_name="y", raise_unknown=True)
            if kind not in _net.TASKS:
                raise ValueError(
                    f"target_type='auto' inferred {kind!r} from y; "
                    "EntityEmbeddingEncoder supports 'continuous', 'binary' and "
                    "'multiclass' targets only."
                )
            if kind == "multiclass" and y.dtype.kind in "iuf":
                n_classes = len(np.unique(y))
                if n_classes > _MANY_CLASSES:
                    warnings.warn(
                        f"target_type='auto' inferred a multiclass target with "
                        f"{n_classes} classes from a numeric y (integer values); "
                        f"each categorical column then gets {n_classes} effect "
                        "columns and a softmax network. If y is a quantity (a "
                        "count, a price, a score), pass target_type='continuous'.",
                        UserWarning,
                        stacklevel=3,
                    )
        else:
            kind = self.target_type
        self.classes_ = None
        if kind == "continuous":
            try:
                yf = y.astype(np.float64)
            except (TypeError, ValueError):
                raise ValueError(
                    "target_type='continuous' needs a numeric y; got values of "
                    f"dtype {y.dtype} that cannot be converted to float."
                ) from None
            mean = float(yf.mean())
            scale = float(yf.std())
            self._y_mean, self._y_scale = mean, (scale if scale > 0 else 1.0)
            y_enc = ((yf - mean) / self._y_scale).astype(np.float64)
            n_out = 1
        else:
            classes, y_int = np.unique(y, return_inverse=True)
            if kind == "binary" and len(classes) > 2:
                raise ValueError(
                    f"target_type='binary' but y has {len(classes)} classes."
                )
            self.classes_ = classes
            if kind == "binary":
                y_enc = y_int.astype(np.float64)
                n_out = 1
            else:
                y_enc = y_int.astype(np.int64)
                n_out = max(len(classes), 2)
        self.target_type_ = kind
        return y, y_enc, n_out

    def _resolve_dims(self, n_rows):
        names = self._column_names()
        dims = []
        spec = self.n_components
        if isinstance(spec, dict):
            cat_names = [names[j] for j in self.categorical_features_]
            for key in spec:
                ok = key in cat_names or (
                    isinstance(key, numbers.Integral)
                    and key in self.categorical_features_
                )
                if not ok:
                    raise ValueError(
                        f"n_components has key {key!r}, which is not a categorical "
                        f"column (categorical columns: {cat_names})."
                    )
        for out_j, j in enumerate(self.categorical_features_):
            auto = _net.embedding_dim_rule(n_rows[out_j])
            if self.max_dim is not None:
                auto = min(auto, self.max_dim)
            if isinstance(spec, dict):
                d = spec.get(names[j], spec.get(int(j), auto))
                if not isinstance(d, numbers.Integral) or isinstance(d, bool) or d < 1:
                    raise ValueError(
                        f"n_components[{names[j]!r}] must be a positive int; got {d!r}."
                    )
                dims.append(int(d))
            elif spec == "auto":
                dims.append(auto)
            else:
                dims.append(int(spec))
        return dims

    # ---------------------------------------------------------------- training
    def _patience(self):
        """``n_iter_no_change``, with ``"auto"`` resolved: the prediction
        column gains from a second epoch of patience, the encoded columns
        do not (``benchmarks/results/entity.md``, issue #14)."""
        if self.n_iter_no_change == "auto":
            return 2 if self.include_prediction else 1
        return self.n_iter_no_change

    def _needs_network(self):
        """Whether the output uses the network: its embeddings or its output."""
        return self.include_prediction or self.encode != "effects"

    def _fit_effects(self, codes, numeric, y_enc):
        """Shrunken level effects (closed form), see ``_effects``."""
        n_eff = len(self.classes_) if self.target_type_ == "multiclass" else 1
        return _effects.fit_level_effects(
            codes, self._n_rows, y_enc, self.target_type_, n_eff, numeric
        )

    def _train(
        self, codes, numeric, y_enc, n_out, init_seed, train_seed, name, keep=None,
        n_epochs=None,
    ):
        """Level effects, then the network on top of them (as an offset).

        The embedding of a column is kept only if it lowers the validation
        loss (``keep=None``: decided here, on the early-stopping rows; else
        the full-data network's decision, so that every fold agrees); the
        tables of the other columns are flattened onto their unknown row.
        ``n_epochs`` (fold networks) trains that many epochs without early
        stopping: the full-data network's best epoch count.

        Returns ``(intercept, effects, shrinkage, net, info, keep)``.
        """
        intercept, effects, shrinkage = self._fit_effects(codes, numeric, y_enc)
        offset = np.zeros((codes.shape[0], n_out), dtype=np.float32)
        offset[:, : len(intercept)] = _effects.link(
            self.target_type_, _effects.effects_offset(intercept, effects, codes)
        )
        hidden = self._hidden
        net = _net.init_net(
            self._n_rows,
            self.embedding_dims_,
            0 if numeric is None else numeric.shape[1],
            hidden,
            n_out,
            np.random.RandomState(init_seed),
            init_std=0.01,
            zero_output=True,
        )
        if not self._needs_network():
            # encode="effects": nothing in the output comes from the network
            keep = [False] * codes.shape[1]
            _net.flatten_tables(net, keep)
            info = {"loss_curve": [], "validation_loss": [],
                    "validation_scores": [], "n_iter": 0, "best_epoch": 0}
            return intercept, effects, shrinkage, net, info, keep
        info = _net.train_net(
            net,
            codes,
            numeric,
            y_enc,
            task=self.target_type_,
            n_epochs=self.n_epochs if n_epochs is None else n_epochs,
            batch_size=(
                self.batch_size
                if self.batch_size != "auto"
                else min(1024, max(16, codes.shape[0] // 32))
            ),
            learning_rate=self.learning_rate,
            alpha=self.alpha,
            category_dropout=self.category_dropout,
            early_stopping=self.early_stopping and n_epochs is None,
            validation_fraction=self.validation_fraction,
            n_iter_no_change=self._patience(),
            tol=self.tol,
            rng=np.random.RandomState(train_seed),
            offset=offset,
            verbose=self.verbose,
            name=name,
        )
        counts = [
            np.bincount(codes[:, j], minlength=self._n_rows[j])
            for j in range(codes.shape[1])
        ]
        _net.shrink_rows(net, counts, _effects.embedding_prior_counts(shrinkage))
        if keep is None:
            val = info["validation_index"]
            if len(val):
                gains = _net.column_gains(
                    net,
                    np.ascontiguousarray(codes[val]),
                    None if numeric is None else numeric[val],
                    y_enc[val],
                    self.target_type_,
                    offset[val],
                    np.random.RandomState(train_seed),
                )
                keep = [bool(g > _KEEP_Z) for g in gains]
            else:
                keep = [True] * codes.shape[1]
        _net.flatten_tables(net, keep)
        return intercept, effects, shrinkage, net, info, keep

    def _fit(self, X, y):
        columns, n_samples = self._check_X(X, reset=True)
        self.categorical_features_, self.numeric_features_ = self._select_columns(
            columns
        )
        hidden = np.asarray(self.hidden_layer_sizes, dtype=object).ravel().tolist()
        if not all(isinstance(h, numbers.Integral) and h >= 1 for h in hidden):
            raise ValueError(
                "hidden_layer_sizes must be a sequence of positive ints; got "
                f"{self.hidden_layer_sizes!r}."
            )
        self._hidden = [int(h) for h in hidden]
        y, y_enc, n_out = self._prepare_target(y, n_samples)
        codes = self._fit_columns(columns, n_samples)
        numeric = self._numeric_matrix(columns, fit=True)
        self._n_rows = np.array(
            [len(c) + _FIRST for c in self.categories_], dtype=np.int64
        )
        self.embedding_dims_ = self._resolve_dims(
            [
                len(c) + 1 + int(m)
                for c, m in zip(self.categories_, self._missing_trained, strict=True)
            ]
        )
        rng = check_random_state(self.random_state)
        self._init_seed, train_seed = (
            int(s) for s in rng.randint(1, np.iinfo(np.int32).max, 2)
        )
        name = type(self).__name__
        (
            self._intercept, self._effects, self.effect_shrinkage_, self._net, info,
            self.embeddings_kept_,
        ) = self._train(codes, numeric, y_enc, n_out, self._init_seed, train_seed, name)
        self.loss_curve_ = info["loss_curve"]
        self.validation_loss_ = info["validation_loss"]
        self.validation_scores_ = info["validation_scores"]
        self.n_iter_ = info["n_iter"]
        self.best_epoch_ = info["best_epoch"]
        self.net_score_ = (
            self.validation_scores_[self.best_epoch_ - 1]
            if self.validation_scores_
            else None
        )
        # principal axes: the same network function, tree-friendly coordinates
        counts = [
            np.bincount(codes[:, j], minlength=self._n_rows[j])
            for j in range(codes.shape[1])
        ]
        _net.rotate_to_principal_axes(self._net, counts)
        _net.flatten_minor_axes(self._net, counts, _MINOR_AXIS)
        return codes, numeric, y, y_enc, n_out, rng

    @property
    def embeddings_(self):
        """dict of str to DataFrame: the output rows of each column's levels.

        Per categorical column, its level effect(s) then its embedding (both
        blocks whatever ``encode``; ``transform`` returns the ones ``encode``
        selects), indexed by level, then ``"<unknown>"`` and (when missing
        values were seen) ``"<missing>"``. Built from the
        fitted arrays on each access, so the fitted state holds only arrays,
        lists and scalars (safe to share with skops).
        """
        if not hasattr(self, "_net"):
            raise AttributeError(
                "embeddings_ is available after fit: this "
                f"{type(self).__name__} is not fitted yet."
            )
        names = self._column_names()
        out_names = self._block_names(names)
        tables = self._output_tables(*self._fitted_effects(), self._net)
        embeddings = {}
        start = 0
        for out_j, j in enumerate(self.categorical_features_):
            table = tables[out_j]
            rows = [*range(_FIRST, table.shape[0]), _UNKNOWN]
            labels = [*self.categories_[out_j].tolist(), UNKNOWN_LABEL]
            if self._missing_trained[out_j]:
                rows.append(_MISSING)
                labels.append(MISSING_LABEL)
            d = table.shape[1]
            embeddings[names[j]] = pd.DataFrame(
                table[rows].astype(self.dtype),
                index=pd.Index(labels, dtype=object),
                columns=out_names[start : start + d],
            )
            start += d
        return embeddings

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Train the network on ``X`` and ``y``.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Categorical columns (and optional ``numeric_features``).
        y : array-like of shape (n_samples,)
            Target: numbers (regression) or class labels.

        Returns
        -------
        self : EntityEmbeddingEncoder
            The fitted encoder.
        """
        self._fit(X, y)
        return self

    @_fit_context(prefer_skip_nested_validation=True)
    def fit_transform(self, X, y=None):
        """Fit, then encode ``X`` out-of-fold (cross-fitted) when ``cv`` is set.

        The full-data network is kept for later ``transform`` calls; the rows
        of each fold are encoded by level effects fitted without them and by
        embedding tables from which their influence was removed (or, with
        ``include_prediction`` and for multiclass targets, by a network
        trained without them, aligned to the full-data embedding space).
        Hence ``fit(X, y).transform(X)`` is *not* equal to
        ``fit_transform(X, y)``.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Categorical columns (and optional ``numeric_features``).
        y : array-like of shape (n_samples,)
            Target.

        Returns
        -------
        X_out : ndarray of shape (n_samples, n_features_out)
            Level effects and / or embeddings of the categorical columns
            (``encode``), in the order of ``get_feature_names_out()``.
        """
        codes, numeric, y, y_enc, n_out, rng = self._fit(X, y)
        missing = codes == _MISSING
        no_unknown = np.zeros_like(missing)
        full_tables = self._output_tables(*self._fitted_effects(), self._net)
        if self.cv is None:
            out = self._lookup_tables(
                self._encoded(full_tables), codes, no_unknown, missing
            )
            if self.include_prediction:
                out = np.hstack([out, self._net_output(
                    self._net, codes, numeric, *self._fitted_effects()
                )])
            return out
        splitter = fold_splitter(
            self.cv, self.target_type_ != "continuous", y_enc, self.shuffle,
            self.random_state,
        )
        n = codes.shape[0]
        n_eff = self._n_effects()
        widths = [n_eff + d for d in self.embedding_dims_]
        width = int(sum(widths))
        n_pred = self._n_prediction_columns() if self.include_prediction else 0
        out = np.empty((n, width + n_pred), dtype=self.dtype)
        offsets = np.concatenate([[0], np.cumsum(widths)])
        fold_nets = self.include_prediction or any(self.embeddings_kept_)
        splits = list(splitter.split(np.zeros((n, 1)), y))
        influence = None
        if fold_nets and not self.include_prediction and n_out == 1:
            # the embeddings alone are asked for: each fold's tables are the
            # full-data tables without that fold's influence, no fold network
            fold_nets = False
            fold_of = np.zeros(n, dtype=np.int64)
            for k, (_, test_idx) in enumerate(splits):
                fold_of[np.asarray(test_idx)] = k
            influence = self._influence_terms(
                codes, numeric, y_enc, fold_of, len(splits)
            )
        fold = 0
        for train_idx, test_idx in splits:
            fold += 1
            train_idx = np.asarray(train_idx)
            test_idx = np.asarray(test_idx)
            fold_codes, counts_list = fold_level_codes(codes, train_idx, self._n_rows)
            if len(train_idx) == 0 or len(test_idx) == 0:
                raise ValueError(
                    "cv produced an empty training or test fold; use fewer folds."
                )
            train_seed = int(rng.randint(1, np.iinfo(np.int32).max))
            num_tr = None if numeric is None else numeric[train_idx]
            fold_train_codes = np.ascontiguousarray(fold_codes[train_idx])
            if fold_nets:
                intercept, effects, _, net, _, _ = self._train(
                    fold_train_codes,
                    num_tr,
                    y_enc[train_idx],
                    n_out,
                    self._init_seed,
                    train_seed,
                    f"{type(self).__name__} fold {fold}",
                    keep=self.embeddings_kept_,
                    n_epochs=self.best_epoch_,
                )
            else:  # no embedding kept: the level effects are all there is
                intercept, effects, _ = self._fit_effects(
                    fold_train_codes, num_tr, y_enc[train_idx]
                )
                net = self._net
            tables = self._output_tables(intercept, effects, net)
            for j in range(codes.shape[1]):
                table = tables[j]
                if influence is not None and influence[j] is not None:
                    active, all_sums, fold_sums, lam = influence[j]
                    table[:, n_eff:] = remove_fold_influence(
                        full_tables[j][:, n_eff:], active, all_sums,
                        fold_sums[fold - 1], lam,
                    )
                elif fold_nets and self.embeddings_kept_[j]:
                    full = full_tables[j][:, n_eff:]
                    aligned = align_tables(
                        table[:, n_eff:], full, counts_list[j],
                        self.category_dropout > 0,
                    )
                    # axes flattened in the full table stay constant
                    flat = np.ptp(full, axis=0) == 0
                    aligned[:, flat] = full[0, flat]
                    table[:, n_eff:] = aligned
                else:  # a flattened table: the same constant in every fold
                    table[:, n_eff:] = full_tables[j][:, n_eff:]
                out[test_idx, offsets[j] : offsets[j + 1]] = table[
                    fold_codes[test_idx, j]
                ]
            if n_pred:
                num_te = None if numeric is None else numeric[test_idx]
                te_codes = np.ascontiguousarray(fold_codes[test_idx])
                out[test_idx, width:] = self._net_output(
                    net, te_codes, num_te, intercept, effects
                )
        if self.handle_missing == "return_nan":
            for j in range(codes.shape[1]):
                out[missing[:, j], offsets[j] : offsets[j + 1]] = np.nan
        if self.encode != "effects+embeddings":
            keep = np.ones(out.shape[1], dtype=bool)
            keep[:width] = self._encoded_mask()
            out = out[:, keep]
        return out

    def _influence_terms(self, codes, numeric, y_enc, fold_of, n_folds):
        """Per column whose embedding is kept, what the cross-fit needs to
        remove a fold's influence from its table (else None): the
        non-constant axes, the per-level sums (count,
        gradient, Gauss-Newton curvature of the loss with respect to the
        row, through the full model) of all samples and of each fold's
        samples (``fold_of``), and the ridge ``lam`` fitted to the table
        (:func:`calibrate_ridge`), as :func:`fold_level_sums` takes them."""
        out, jac = _net.output_and_input_gradient(self._net, codes, numeric)
        z = out + _effects.link(
            self.target_type_,
            _effects.effects_offset(self._intercept, self._effects, codes),
        )[:, 0]
        grad, curv = _net.loss_derivatives(self.target_type_, z, y_enc)
        terms = []
        for j, kept in enumerate(self.embeddings_kept_):
            table = self._net.table(j)
            active = np.ptp(table, axis=0) > 0
            if not kept or not active.any():
                terms.append(None)
                continue
            o = int(self._net.col_out[j])
            J = np.ascontiguousarray(jac[:, o : o + table.shape[1]][:, active])
            sums, folds = fold_level_sums(
                codes[:, j], int(self._n_rows[j]), J, grad, curv, fold_of,
                n_folds,
            )
            lam = calibrate_ridge(table, active, sums)
            terms.append((active, sums, folds, lam))
        return terms

    # ---------------------------------------------------------------- encoding
    def _fitted_effects(self):
        """``(intercept, effects)``, or ``(None, None)`` for a model saved
        before the level effects existed (issue #14), which keeps working as
        it did: embeddings only, the network without offset."""
        return getattr(self, "_intercept", None), getattr(self, "_effects", None)

    def _n_effects(self):
        """Effect columns per categorical column: 1, or one per class."""
        if getattr(self, "_effects", None) is None:
            return 0
        if self.target_type_ == "multiclass":
            return len(self.classes_)
        return 1

    def _output_tables(self, intercept, effects, net):
        """Per column, the (n_rows, n_effects + dim) table of output rows.

        The level effect comes first: ``intercept + b``, a shrunken
        conditional mean like a target encoding (in target units, or a class
        probability, one per class for multiclass); then the embedding.
        """
        if effects is None:  # a model saved before the level effects
            return [net.table(j) for j in range(len(net.dims))]
        tables = []
        for j, b in enumerate(effects):
            eff = intercept[None, :] + b
            if self.target_type_ == "continuous":
                eff = eff * self._y_scale + self._y_mean
            tables.append(np.hstack([eff, net.table(j).astype(np.float64)]))
        return tables

    def _encoded_mask(self):
        """Which columns of the full layout (each column's effects, then its
        embedding) ``encode`` keeps."""
        n_eff = self._n_effects()
        if n_eff == 0 and self.encode != "effects+embeddings":
            raise ValueError(
                f"encode={self.encode!r} needs the level effects, which this "
                "model (saved before they existed) does not have; use "
                "encode='effects+embeddings'."
            )
        keep = []
        for d in self.embedding_dims_:
            keep += [self.encode != "embeddings"] * n_eff
            keep += [self.encode != "effects"] * d
        return np.asarray(keep, dtype=bool)

    def _encoded(self, tables):
        """The tables restricted to the blocks ``encode`` asks for."""
        if self.encode == "effects+embeddings":
            return tables
        keep = self._encoded_mask()
        out, start = [], 0
        for t in tables:
            out.append(t[:, keep[start : start + t.shape[1]]])
            start += t.shape[1]
        return out

    def _lookup_tables(self, tables, codes, unknown, missing):
        n = codes.shape[0]
        width = int(sum(t.shape[1] for t in tables))
        out = np.empty((n, width), dtype=self.dtype)
        offset = 0
        for j, table in enumerate(tables):
            d = table.shape[1]
            block = out[:, offset : offset + d]
            block[...] = table[codes[:, j]]
            if self.handle_unknown == "zeros":
                block[unknown[:, j]] = 0.0
            elif self.handle_unknown == "return_nan":
                block[unknown[:, j]] = np.nan
            if self.handle_missing == "return_nan":
                block[missing[:, j]] = np.nan
            offset += d
        return out

    def transform(self, X):
        """Replace each categorical column by the embedding of its level.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Same columns as in ``fit``.

        Returns
        -------
        X_out : ndarray of shape (n_samples, n_features_out)
            Level effects and / or embeddings (``encode``), in the order of
            ``get_feature_names_out()``.
        """
        check_is_fitted(self)
        columns, _ = self._check_X(X, reset=False)
        codes, unknown, missing = self._transform_codes(columns)
        if self.handle_unknown == "error" and unknown.any():
            names = self._column_names()
            for out_j, j in enumerate(self.categorical_features_):
                if unknown[:, out_j].any():
                    col = columns[j]
                    vals = np.asarray(col, dtype=object)[unknown[:, out_j]]
                    shown = pd.unique(vals)[:10].tolist()
                    raise ValueError(
                        f"Found unknown categories {shown} in column {names[j]!r} "
                        "during transform (handle_unknown='error')."
                    )
        tables = self._encoded(
            self._output_tables(*self._fitted_effects(), self._net)
        )
        out = self._lookup_tables(tables, codes, unknown, missing)
        if self.include_prediction:
            numeric = self._numeric_matrix(columns, fit=False)
            out = np.hstack([out, self._net_output(
                self._net, codes, numeric, *self._fitted_effects()
            )])
        return out

    def _n_prediction_columns(self):
        if self.target_type_ == "multiclass":
            return len(self.classes_)
        return 1

    def _forward(self, net, codes, numeric, intercept, effects):
        """Raw outputs of level effects + network (standardized / logits)."""
        out = _net.net_forward(net, codes, numeric).astype(np.float64)
        if effects is None:  # a model saved before the level effects
            return out
        out[:, : len(intercept)] += _effects.link(
            self.target_type_, _effects.effects_offset(intercept, effects, codes)
        )
        return out

    def _net_output(self, net, codes, numeric, intercept, effects):
        """Model outputs as features: the prediction (continuous) or logits."""
        out = self._forward(net, codes, numeric, intercept, effects)
        if self.target_type_ == "continuous":
            out = out * self._y_scale + self._y_mean
        return out[:, : self._n_prediction_columns()].astype(self.dtype)

    def _lazy_output(self):
        # the dtype parameter decides the output dtype (a dask meta)
        names, _ = super()._lazy_output()
        return names, np.dtype(self.dtype)

    def predict_net(self, X):
        """Predictions of the fitted network itself (a diagnostic).

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Same columns as in ``fit``.

        Returns
        -------
        pred : ndarray of shape (n_samples,) or (n_samples, n_classes)
            Predicted values (continuous target) or class probabilities in
            the order of ``classes_``. Unknown and missing levels use the
            trained unknown / missing rows whatever ``handle_unknown``.
        """
        check_is_fitted(self)
        columns, _ = self._check_X(X, reset=False)
        codes, _, _ = self._transform_codes(columns)
        numeric = self._numeric_matrix(columns, fit=False)
        out = self._forward(self._net, codes, numeric, *self._fitted_effects())
        if self.target_type_ == "continuous":
            return out[:, 0] * self._y_scale + self._y_mean
        if self.target_type_ == "binary":
            p = 1.0 / (1.0 + np.exp(-out[:, 0]))
            if len(self.classes_) == 1:
                return np.ones((len(p), 1))
            return np.column_stack([1.0 - p, p])
        out -= out.max(axis=1, keepdims=True)
        e = np.exp(out)
        return (e / e.sum(axis=1, keepdims=True))[:, : len(self.classes_)]

    def get_feature_names_out(self, input_features=None):
        """Output names: ``f"{column}_effect"`` (``_effect{k}`` per class for
        a multiclass target) and ``f"{column}_emb{k}"`` per categorical
        column, as ``encode`` selects them, then ``net_output``
        (``include_prediction``).

        Parameters
        ----------
        input_features : array-like of str or None, default=None
            Input column names; must match ``feature_names_in_`` if set.

        Returns
        -------
        feature_names_out : ndarray of str objects
            One name per output column.
        """
        check_is_fitted(self)
        names = _check_feature_names_in(self, input_features)
        out = self._block_names(names)
        if self.encode != "effects+embeddings":
            out = [n for n, k in zip(out, self._encoded_mask(), strict=True) if k]
        if self.include_prediction:
            k = self._n_prediction_columns()
            out.extend(
                ["net_output"] if k == 1 else [f"net_output{i}" for i in range(k)]
            )
        return np.asarray(out, dtype=object)

    def _block_names(self, names):
        """Names of every column's effects and embedding, whatever ``encode``."""
        out = []
        n_eff = self._n_effects()
        for j, d in zip(self.categorical_features_, self.embedding_dims_, strict=True):
            if n_eff == 1:
                out.append(f"{names[j]}_effect")
            else:
                out.extend(f"{names[j]}_effect{k}" for k in range(n_eff))
            out.extend(f"{names[j]}_emb{k}" for k in range(d))
        return out

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.categorical = True
        tags.input_tags.string = True
        tags.input_tags.allow_nan = True
        tags.target_tags.required = True
        tags.transformer_tags.preserves_dtype = []
        return tags
