"""
Chinese text without a dictionary
=================================

Chinese is written without spaces between words, so scikit-learn's default
``token_pattern`` sees a whole sentence as one "word".
:class:`~skembed.Word2VecVectorizer` needs no segmenter: by default every
document that contains a Chinese, Japanese or Korean character is cut by a
built-in rule -- each run of CJK characters gives its characters *and* its
character bigrams, and the rest of the text gives words as usual. Most Chinese
words are one or two characters long, so the bigrams contain them, and
word2vec learns which of them are used alike.

The corpus here is generated from sentence templates with interchangeable
cities, foods, fruits and sports, so that the result can be checked: the
nearest neighbours of a city should be cities. (With the ``zh`` extra
installed, ``tokenizer="jieba"`` segments real words instead.)
"""

# %%
# A small generated corpus
# ------------------------
import numpy as np

slots = {
    "城市": ["北京", "上海", "广州", "深圳", "杭州", "成都", "南京", "西安"],
    "食物": ["米饭", "面条", "饺子", "包子", "火锅", "豆腐", "烤鸭", "馄饨"],
    "水果": ["苹果", "香蕉", "西瓜", "葡萄", "橘子", "草莓", "芒果", "桃子"],
    "运动": ["篮球", "足球", "网球", "排球", "棒球", "台球"],
}
templates = {
    "城市": [
        "我明天要去{}开会",
        "他从{}坐火车回家",
        "{}的天气今天很好",
        "她在{}工作了三年",
        "我们下个月去{}旅游",
    ],
    "食物": [
        "我中午想吃{}",
        "妈妈晚上做了{}",
        "这家店的{}很好吃",
        "他每天早上吃{}",
    ],
    "水果": [
        "超市里的{}很新鲜",
        "她买了两斤{}",
        "夏天我喜欢吃{}",
        "这个{}又大又甜",
    ],
    "运动": [
        "我们周末一起去打{}",
        "他从小就喜欢{}",
        "学校下午有{}比赛",
        "她每天练习{}",
    ],
}
rng = np.random.default_rng(0)
categories = list(slots)
corpus = []
for _ in range(3000):
    category = categories[rng.integers(len(categories))]
    template = templates[category][rng.integers(len(templates[category]))]
    corpus.append(template.format(slots[category][rng.integers(len(slots[category]))]))
print(len(corpus), "sentences, e.g.", corpus[:3])

# %%
# How the text is cut
# -------------------
# ``build_analyzer()`` returns the tokeniser the vectorizer uses: characters
# and bigrams for CJK runs, words for the rest (lower-cased, as scikit-learn).
from skembed import Word2VecVectorizer

analyze = Word2VecVectorizer().build_analyzer()
print(analyze("我明天要去北京开会"))
print(analyze("我在Python里写代码"))

# %%
# Training
# --------
# Every sentence is short and the vocabulary small, so the frequent-token
# subsampling, made for large corpora, is switched off (``sample=0``; see
# the :ref:`user guide <word2vec>`).
vec = Word2VecVectorizer(
    n_components=32, min_count=5, sample=0, n_epochs=10, random_state=0
)
vec.fit(corpus)
print(len(vec.vocabulary_), "tokens in the vocabulary")

# %%
# Nearest neighbours
# ------------------
# Among all tokens, the nearest neighbours of a word mix words that share a
# character with it, its own characters and the bigrams that straddle its
# borders, which occur in exactly its contexts:
print([(w, round(s, 2)) for w, s in vec.wv_.most_similar("北京", topn=6)])

# %%
# Among the slot words, ranked by cosine distance with
# :meth:`~skembed.KeyedVectors.distances`, the neighbours of a word are the
# words of its own category, learnt from nothing but their contexts:
words = [w for c in categories for w in slots[c]]
labels = np.array([c for c in categories for w in slots[c]])
for query in ["北京", "饺子", "西瓜", "足球"]:
    others = [w for w in words if w != query]
    ranked = np.argsort(vec.wv_.distances(query, others))[:4]
    print(query, "->", " ".join(others[i] for i in ranked))

similarity = vec.wv_.get_normed_vectors()[vec.wv_.get_indices(words)]
similarity = similarity @ similarity.T
np.fill_diagonal(similarity, -np.inf)
same = labels[similarity.argmax(axis=1)] == labels
print(f"nearest slot word in the same category: {same.mean():.0%}")

# %%
# Words of three characters or more (乒乓球, 羽毛球) are not single tokens
# under this rule, only their bigrams are; ``tokenizer="jieba"`` or a
# tokenizer of your own keeps them whole.

# %%
# The slot words in two dimensions
# --------------------------------
# A PCA projection of the two-character words' vectors, coloured by their
# category. (Matplotlib's default fonts lack Chinese glyphs, so the points
# are labelled by category only.)
import matplotlib.pyplot as plt
from sklearn.decomposition import PCA

xy = PCA(n_components=2).fit_transform(vec.wv_[words])
english = {"城市": "city", "食物": "food", "水果": "fruit", "运动": "sport"}
fig, ax = plt.subplots(figsize=(5, 4))
for category, colour in zip(categories, ["C0", "C1", "C2", "C3"], strict=True):
    mask = labels == category
    ax.scatter(*xy[mask].T, c=colour, label=english[category])
ax.legend()
ax.set_title("Word vectors of the slot words (PCA)")
fig.tight_layout()
