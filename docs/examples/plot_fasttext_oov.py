"""
Vectors for words never seen: fastText subwords
===============================================

:class:`~skembed.Word2VecVectorizer` knows only the words of its training
documents: a typo, a rare inflection or a new compound is dropped from the
document. :class:`~skembed.FastTextVectorizer` also learns vectors for the
character n-grams of the words (``"<wa"``, ``"walk"``, ``"ers>"``, ...), so any
word gets a vector: the mean of its known n-gram vectors.

The corpus here is generated so that the answer is known: six families of
words share a stem (``walk``, ``walks``, ``walked``, ``walking``, ``walker``)
and a topic (streets, parks, feet). Some forms never occur in the training
text (``walkers``, ``painting``, ...), and some are misspelt. Their vectors
come from n-grams alone; the plot shows where they land.
"""

# %%
# A corpus with word families
# ---------------------------
import numpy as np

stems = {
    "walk": ["street", "park", "feet", "slowly"],
    "paint": ["canvas", "brush", "colour", "wall"],
    "jump": ["high", "fence", "rope", "leap"],
    "read": ["book", "page", "novel", "library"],
    "cook": ["kitchen", "dinner", "stove", "recipe"],
    "play": ["game", "ball", "team", "match"],
}
suffixes = ["", "s", "ed", "ing", "er", "ers"]
held_out = {"walkers", "painting", "jumped", "reader", "cooks", "players"}

rng = np.random.default_rng(0)
docs = []
for _ in range(600):
    stem = list(stems)[rng.integers(len(stems))]
    forms = [stem + s for s in suffixes if stem + s not in held_out]
    words = [forms[rng.integers(len(forms))] for _ in range(3)]
    words += list(rng.choice(stems[stem], 4))
    rng.shuffle(words)
    docs.append(" ".join(words))
print(docs[:3])

# %%
# Fit, and ask for words that were never seen
# -------------------------------------------
from skembed import FastTextVectorizer

vec = FastTextVectorizer(
    n_components=24, min_count=2, n_epochs=10, sample=0, min_n=3, max_n=5,
    bucket=50_000, random_state=0,
).fit(docs)
print(vec.wv_)
print(vec.wv_.subwords)

unseen = sorted(held_out) + ["walkign", "paintr", "kitchenn"]
for word in unseen:
    assert word not in vec.vocabulary_
    neighbours = [w for w, _ in vec.wv_.most_similar(word, topn=3)]
    print(f"{word:10s} -> {neighbours}")

# %%
# ``transform`` uses them too: a document made only of unseen words is not
# a zero row, as it would be for :class:`~skembed.Word2VecVectorizer`.
print(vec.transform(["walkign paintr"]).any())

# %%
# Where the unseen words land
# ---------------------------
# A 2-D projection (PCA) of the vocabulary, coloured by family; the unseen
# words are stars with their name, placed by their n-gram vectors.
import matplotlib.pyplot as plt
from sklearn.decomposition import PCA

words = vec.wv_.index_to_key
family = [next((i for i, s in enumerate(stems) if w.startswith(s)), None)
          for w in words]
topic = {t: i for i, s in enumerate(stems) for t in stems[s]}
colour = [f if f is not None else topic.get(w) for w, f in zip(words, family)]

pca = PCA(n_components=2, random_state=0).fit(vec.wv_.get_normed_vectors())
xy = pca.transform(vec.wv_.get_normed_vectors())
new = np.stack([vec.wv_.get_vector(w, norm=True) for w in unseen])
new_xy = pca.transform(new)

fig, ax = plt.subplots(figsize=(7, 6))
cmap = plt.get_cmap("tab10")
for i, stem in enumerate(stems):
    rows = [k for k, c in enumerate(colour) if c == i]
    ax.scatter(xy[rows, 0], xy[rows, 1], color=cmap(i), s=18, alpha=0.6,
               label=f"{stem}* and its topic")
for w, (x, y) in zip(unseen, new_xy):
    i = next((k for k, s in enumerate(stems) if w.startswith(s)), None)
    if i is None:  # a misspelt topic word: colour of its topic
        i = topic.get(vec.wv_.most_similar(w, topn=1)[0][0], 0)
    ax.scatter(x, y, marker="*", s=220, color=cmap(i), edgecolor="black")
    ax.annotate(w, (x, y), xytext=(5, 5), textcoords="offset points", fontsize=9)
ax.set_title("Unseen words (stars) placed by their character n-grams")
ax.legend(fontsize=8, loc="best")
plt.tight_layout()
plt.show()

# %%
# Pretrained fastText models
# --------------------------
# Facebook's ``.bin`` models keep their n-gram table, so the same works with
# the published vectors of 157 languages (``cc.en.300.bin``, not downloaded
# here)::
#
#     from skembed import load_vectors
#     kv = load_vectors("cc.en.300.bin", mmap="r")   # n-grams memory-mapped
#     kv.most_similar("walkign")
#     FastTextVectorizer(vectors="cc.en.300.bin").fit(texts)
