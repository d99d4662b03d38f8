"""#19 Doc2Vec experiments: per-fold accuracies of both protocols (trained /
inferred training vectors) for skembed (env EXP_DOC_INIT to override
DOC_INIT_SCALE) or gensim, bench_doc2vec.py's data, settings and folds.
usage: exp_d2v.py skembed|gensim out.json [seeds]"""
import json, os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
import numpy as np
from sklearn.model_selection import StratifiedKFold
import bench_doc2vec as bd
import skembed._engine._driver as drv

if os.environ.get("EXP_DOC_INIT"):
    drv.DOC_INIT_SCALE = float(os.environ["EXP_DOC_INIT"])

impl, out = sys.argv[1], sys.argv[2]
if os.environ.get("EXP_EPOCHS"):
    bd.SETTINGS["n_epochs"] = int(os.environ["EXP_EPOCHS"])
seeds = int(sys.argv[3]) if len(sys.argv) > 3 else 3
texts, y = bd.load_tweets()
tokens = np.asarray([bd.ANALYZE(t) for t in texts], dtype=object)
res = dict(trained=[], inferred=[])
for seed in range(seeds):
    for train, test in StratifiedKFold(5, shuffle=True, random_state=seed).split(tokens, y):
        if impl == "gensim":
            f = bd.GensimDoc2Vec(seed=seed, **{k: v for k, v in bd.SETTINGS.items()})
        else:
            f = bd.Doc2VecVectorizer(**bd.SETTINGS, random_state=seed)
        Xtr = f.fit_transform(list(tokens[train]))
        Xin = f.transform(list(tokens[train]))
        Xte = f.transform(list(tokens[test]))
        for name, X in (("trained", Xtr), ("inferred", Xin)):
            acc = bd.dense_clf().fit(X, y[train]).score(Xte, y[test])
            res[name].append(float(acc))
        print(seed, res["trained"][-1], res["inferred"][-1], flush=True)
json.dump(res, open(out, "w"))
print({k: (np.mean(v), np.std(v)) for k, v in res.items()})
