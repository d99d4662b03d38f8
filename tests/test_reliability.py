"""Cross-cutting promises (issue 8): every fitted estimator is reproducible
across processes, survives pickle / joblib / skops, and transforms the same
from several threads at once."""

import subprocess
import sys
import textwrap
from concurrent.futures import ThreadPoolExecutor

import joblib
import numpy as np
import pandas as pd
import pytest

# Each case: (name, code building `est`, `fit_args`, `X_t`). The code is run
# in-process and, for the determinism test, in fresh interpreters.
CASES = {
    "Word2VecVectorizer": """
        from skembed import Word2VecVectorizer
        docs = ["the cat sat on the mat", "dogs chase cats", "a cat and a dog"] * 20
        est = Word2VecVectorizer(n_components=8, min_count=1, n_epochs=2,
                                 random_state=0)
        fit_args, X_t = (docs,), docs[:5]
    """,
    "EntityEmbeddingEncoder": """
        import numpy as np, pandas as pd
        from skembed import EntityEmbeddingEncoder
        rng = np.random.RandomState(0)
        X = pd.DataFrame({"a": rng.choice(list("abcde"), 200),
                          "b": rng.choice(list("xyz"), 200)})
        y = (X["a"] == "a").astype(float).to_numpy() + rng.normal(0, .1, 200)
        est = EntityEmbeddingEncoder(n_epochs=2, random_state=0)
        fit_args, X_t = (X, y), X.iloc[:7]
    """,
    "Item2VecTransformer": """
        from skembed import Item2VecTransformer
        baskets = [["a", "b", "c"], ["c", "d"], ["a", "d", "e"], ["b", "e"]] * 15
        est = Item2VecTransformer(n_components=8, n_epochs=3, random_state=0)
        fit_args, X_t = (baskets,), baskets[:6]
    """,
    "Node2VecEmbedder": """
        import numpy as np
        from skembed import Node2VecEmbedder
        rng = np.random.RandomState(0)
        edges = np.array([(i, (i * 7 + 3) % 40) for i in range(40)]
                         + [(i, i + 1) for i in range(39)])
        est = Node2VecEmbedder(n_components=8, walk_length=10, n_walks=3, p=0.5,
                               q=2.0, random_state=0)
        fit_args, X_t = (edges,), [0, 5, 17, 39]
    """,
    "LINEEmbedder": """
        import numpy as np
        from skembed import LINEEmbedder
        edges = np.array([(i, (i * 7 + 3) % 40) for i in range(40)]
                         + [(i, i + 1) for i in range(39)])
        est = LINEEmbedder(n_components=8, n_samples=20000, random_state=0)
        fit_args, X_t = (edges,), [0, 5, 17, 39]
    """,
}


def _build(name):
    env = {}
    exec(textwrap.dedent(CASES[name]), env)
    return env["est"], env["fit_args"], env["X_t"]


def _as_array(out):
    return out.to_numpy() if isinstance(out, pd.DataFrame) else np.asarray(out)


@pytest.fixture(scope="module", params=sorted(CASES))
def fitted(request):
    est, fit_args, X_t = _build(request.param)
    est.fit(*fit_args)
    return request.param, est, X_t


def test_bit_identical_across_processes(fitted):
    name, est, X_t = fitted
    code = textwrap.dedent(CASES[name]) + textwrap.dedent(
        """
        import hashlib, numpy as np
        out = np.ascontiguousarray(est.fit(*fit_args).transform(X_t), dtype=np.float64)
        print(hashlib.sha256(out.tobytes()).hexdigest())
        """
    )
    digests = {
        subprocess.run([sys.executable, "-c", code], capture_output=True,
                       text=True, check=True).stdout.strip()
        for _ in range(2)
    }
    assert len(digests) == 1
    here = np.ascontiguousarray(est.transform(X_t), dtype=np.float64)
    import hashlib

    assert hashlib.sha256(here.tobytes()).hexdigest() in digests


def test_pickle_free_sharing_with_skops(fitted, tmp_path):
    sio = pytest.importorskip("skops.io")
    name, est, X_t = fitted
    path = tmp_path / "model.skops"
    sio.dump(est, path)
    untrusted = sio.get_untrusted_types(file=path)
    # everything skops does not trust by default must be ours or numpy/pandas
    assert all(t.split(".")[0] in {"skembed", "numpy", "pandas", "builtins",
                                   "collections"} for t in untrusted), untrusted
    back = sio.load(path, trusted=untrusted)
    np.testing.assert_array_equal(_as_array(back.transform(X_t)),
                                  _as_array(est.transform(X_t)))


def test_joblib_round_trip(fitted, tmp_path):
    name, est, X_t = fitted
    joblib.dump(est, tmp_path / "m.joblib")
    back = joblib.load(tmp_path / "m.joblib")
    np.testing.assert_array_equal(_as_array(back.transform(X_t)),
                                  _as_array(est.transform(X_t)))


def test_transform_is_thread_safe(fitted):
    name, est, X_t = fitted
    expected = _as_array(est.transform(X_t))
    with ThreadPoolExecutor(4) as pool:
        outs = list(pool.map(lambda _: _as_array(est.transform(X_t)), range(16)))
    for out in outs:
        np.testing.assert_array_equal(out, expected)
