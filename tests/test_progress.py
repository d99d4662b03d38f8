"""Progress on long work (#18): ``verbose`` lines and scikit-learn callbacks.

The callback tests use a recording callback, as scikit-learn's own callback
tests do (``sklearn/callback/tests/_utils.py``); the fallback below
scikit-learn 1.9 is simulated in a fresh interpreter where
``sklearn.callback`` cannot be imported.
"""

import re
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline

import skembed._progress as progress_module
from skembed import (
    Doc2VecVectorizer,
    EntityEmbeddingEncoder,
    ExtractiveSummarizer,
    LINEEmbedder,
    NetMFEmbedder,
    Node2VecEmbedder,
    ProNEEmbedder,
    SpectralPropagation,
    Word2VecVectorizer,
)
from skembed._engine import _driver, _sgns_kernels
from skembed._progress import HAS_CALLBACKS, Progress

needs_callbacks = pytest.mark.skipif(
    not HAS_CALLBACKS, reason="sklearn.callback needs scikit-learn >= 1.9"
)

WORDS = [f"w{i}" for i in range(200)]


def _docs(n_docs=1200, length=50, seed=0):
    rng = np.random.default_rng(seed)
    return [" ".join(rng.choice(WORDS, length)) for _ in range(n_docs)]


def _graph(n=120, seed=0):
    rng = np.random.default_rng(seed)
    rows = rng.integers(0, n, 6 * n)
    cols = (rows + rng.integers(1, 6, rows.size)) % n
    A = sp.coo_matrix((np.ones(rows.size), (rows, cols)), shape=(n, n)).tocsr()
    A = ((A + A.T) > 0).astype(np.float64)
    return A


@pytest.fixture
def every_line(monkeypatch):
    """In-task lines at every 10 % however fast the task, and kernels run in
    groups of one chunk, so that small data shows several in-task updates."""
    monkeypatch.setattr(progress_module, "LINE_MIN_SECONDS", 0.0)
    monkeypatch.setattr(_driver, "GROUP_CHUNKS", 1)


class Recording:
    """Records every hook call; auto-propagated (``max_propagation_depth``)."""

    max_propagation_depth = None

    def __init__(self):
        self.record = []

    def setup(self, estimator, context):
        self.record.append(("setup", context.estimator_name, context.task_name))

    def on_fit_task_begin(self, estimator, context):
        self.record.append(("begin", context.estimator_name, context.task_name))

    def on_fit_task_end(self, estimator, context):
        self.record.append(("end", context.estimator_name, context.task_name))

    def teardown(self, estimator, context):
        self.record.append(("teardown", context.estimator_name, context.task_name))


def _in_task_lines(err, name, task):
    """The in-task lines of ``task`` (``[name] task  NN%``) before its end."""
    lines = err.splitlines()
    pattern = re.compile(rf"^\[{name}\] {re.escape(task)}\s+\d+%")
    return [line for line in lines if pattern.match(line)]


# ----------------------------------------------------------------- verbose
def test_verbose_2_reports_inside_the_epoch_and_changes_nothing(every_line, capsys):
    docs = _docs()
    params = dict(n_components=8, n_epochs=2, min_count=1, random_state=0)
    quiet = Word2VecVectorizer(**params).fit(docs)
    assert capsys.readouterr() == ("", "")  # verbose=0 is silent
    loud = Word2VecVectorizer(**params, verbose=2).fit(docs)
    err = capsys.readouterr().err
    np.testing.assert_array_equal(loud.wv_.vectors, quiet.wv_.vectors)
    lines = err.splitlines()
    end = next(i for i, line in enumerate(lines) if "epoch 1/2  loss=" in line)
    inside = _in_task_lines("\n".join(lines[:end]), "Word2VecVectorizer", "epoch 1/2")
    assert len(inside) >= 3
    assert all("words/s=" in line and "eta " in line for line in inside)
    percents = [int(re.search(r"(\d+)%", line).group(1)) for line in inside]
    assert percents == sorted(percents) and percents[-1] < 100


def test_verbose_1_has_no_in_epoch_lines(every_line, capsys):
    Word2VecVectorizer(n_components=8, n_epochs=2, min_count=1, verbose=1).fit(
        _docs()
    )
    err = capsys.readouterr().err
    assert "epoch 2/2  loss=" in err and "%" not in err


def test_lines_are_rate_limited(monkeypatch, capsys):
    """Without the test's fixture, a fast epoch prints no in-epoch line: at
    most one per 10 % and LINE_MIN_SECONDS, or per LINE_SECONDS."""
    monkeypatch.setattr(_driver, "GROUP_CHUNKS", 1)
    monkeypatch.setattr(progress_module, "LINE_MIN_SECONDS", 60.0)
    Word2VecVectorizer(n_components=8, n_epochs=1, min_count=1, verbose=2).fit(
        _docs()
    )
    assert "%" not in capsys.readouterr().err


def test_node2vec_walks_and_its_single_epoch_show_progress(every_line, capsys):
    A = _graph()
    params = dict(
        n_components=8, n_walks=6, walk_length=40, random_state=0, memory=False
    )
    quiet = Node2VecEmbedder(**params).fit(A)
    loud = Node2VecEmbedder(**params, verbose=2).fit(A)
    np.testing.assert_array_equal(loud.embedding_, quiet.embedding_)
    err = capsys.readouterr().err
    assert len(_in_task_lines(err, "Node2VecEmbedder", "walks")) >= 3
    assert len(_in_task_lines(err, "Node2VecEmbedder", "epoch 1/1")) >= 1


def test_line_spectral_doc2vec_inference_and_entity_show_progress(
    every_line, capsys
):
    A = _graph()
    line = dict(n_components=8, n_samples=300_000, random_state=0, memory=False)
    np.testing.assert_array_equal(
        LINEEmbedder(**line, verbose=2).fit(A).embedding_,
        LINEEmbedder(**line).fit(A).embedding_,
    )
    assert len(_in_task_lines(capsys.readouterr().err, "LINEEmbedder", "order 1")) >= 3

    prone = dict(n_components=8, random_state=0, memory=False)
    np.testing.assert_array_equal(
        ProNEEmbedder(**prone, verbose=2).fit(A).embedding_,
        ProNEEmbedder(**prone).fit(A).embedding_,
    )
    err = capsys.readouterr().err
    assert _in_task_lines(err, "ProNEEmbedder", "factorisation")
    assert _in_task_lines(err, "ProNEEmbedder", "propagation")

    docs = _docs(n_docs=3000, length=20)
    d2v = Doc2VecVectorizer(n_components=8, n_epochs=1, min_count=1, random_state=0)
    d2v.fit(docs)
    quiet = d2v.transform(docs)
    capsys.readouterr()
    loud = d2v.set_params(verbose=2).transform(docs)
    np.testing.assert_array_equal(loud, quiet)
    assert len(
        _in_task_lines(capsys.readouterr().err, "Doc2VecVectorizer", "inference")
    ) >= 3

    rng = np.random.RandomState(0)
    X = np.array([[f"c{v}"] for v in rng.randint(0, 30, 3000)], dtype=object)
    y = rng.normal(size=3000)
    ent = dict(n_epochs=2, random_state=0, cv=None, batch_size=64)
    np.testing.assert_array_equal(
        EntityEmbeddingEncoder(**ent, verbose=2).fit(X, y).transform(X),
        EntityEmbeddingEncoder(**ent).fit(X, y).transform(X),
    )
    err = capsys.readouterr().err
    assert len(_in_task_lines(err, "EntityEmbeddingEncoder", "epoch 1/2")) >= 3


# --------------------------------------------------------------- callbacks
@needs_callbacks
def test_every_estimator_takes_callbacks():
    for cls in (
        Word2VecVectorizer, Doc2VecVectorizer, Node2VecEmbedder, LINEEmbedder,
        ProNEEmbedder, SpectralPropagation, NetMFEmbedder,
        EntityEmbeddingEncoder, ExtractiveSummarizer,
    ):
        est = cls()
        assert est.set_callbacks(Recording()) is est


@needs_callbacks
def test_a_callback_sees_epochs_and_chunks(every_line):
    rec = Recording()
    docs = _docs()
    params = dict(n_components=8, n_epochs=2, min_count=1, random_state=0)
    est = Word2VecVectorizer(**params).set_callbacks(rec)
    est.fit(docs)
    names = [r[:1] + r[2:] for r in rec.record]
    assert names[:2] == [("setup", "fit"), ("begin", "fit")]
    assert names[-2:] == [("end", "fit"), ("teardown", "fit")]
    for epoch in ("epoch 1/2", "epoch 2/2"):
        first = names.index(("begin", epoch))
        last = names.index(("end", epoch))
        chunks = names[first + 1 : last]
        # one leaf task per percent of the epoch, each begun and ended
        assert chunks == [("begin", "chunk"), ("end", "chunk")] * 100
    # the callbacks changed nothing, and fit_transform is one task too
    np.testing.assert_array_equal(
        est.wv_.vectors, Word2VecVectorizer(**params).fit(docs).wv_.vectors
    )
    rec.record.clear()
    est.fit_transform(docs)
    assert [r[0] for r in rec.record].count("setup") == 1
    assert rec.record[-1][0] == "teardown"


def _w2v_search(windows):
    """GridSearchCV over a Word2VecVectorizer + LogisticRegression pipeline
    (2 epochs, 2 folds)."""
    return GridSearchCV(
        make_pipeline(
            Word2VecVectorizer(n_components=8, n_epochs=2, min_count=1, random_state=0),
            LogisticRegression(),
        ),
        {"word2vecvectorizer__window": list(windows)},
        cv=2,
    )


@needs_callbacks
def test_a_search_over_a_pipeline_reaches_our_epochs_and_chunks(every_line):
    """GridSearchCV -> Pipeline -> Word2VecVectorizer: our tasks nest."""
    docs = _docs(n_docs=600)
    y = np.arange(len(docs)) % 2
    search = _w2v_search([2, 3])
    rec = Recording()
    search.set_callbacks(rec)
    search.fit(docs, y)
    ours = [r for r in rec.record if r[1] == "Word2VecVectorizer"]
    fits = 2 * 2 + 1  # candidates x folds + refit
    assert ours.count(("begin", "Word2VecVectorizer", "fit")) == fits
    assert ours.count(("end", "Word2VecVectorizer", "epoch 2/2")) == fits
    assert ours.count(("end", "Word2VecVectorizer", "chunk")) == fits * 2 * 100
    # the setup and teardown hooks run once, on the search
    assert [r[1] for r in rec.record if r[0] in ("setup", "teardown")] == [
        "GridSearchCV", "GridSearchCV"
    ]
    # an epoch is a task of our fit, merged into the pipeline step's task
    search.set_callbacks(Seeing := _ContextPaths())
    search.fit(docs, y)
    path = next(p for p in Seeing.paths if p[-1] == "epoch 1/2")
    assert path[0] == "GridSearchCV:fit"
    assert "Pipeline:fit" in path
    assert path[-2] == "Word2VecVectorizer:fit"


@needs_callbacks
def test_a_search_gets_chunk_tasks_while_each_epoch_runs(every_line, monkeypatch):
    """The in-epoch (chunk) tasks reach a search's callback between the
    kernel calls of an epoch, not only when the epoch ends (where the
    remaining ones are reported at once)."""
    kernel_calls = []
    serial = _sgns_kernels.sgns_epoch_serial

    def counted(*args):
        kernel_calls.append(None)
        return serial(*args)

    monkeypatch.setattr(_sgns_kernels, "sgns_epoch_serial", counted)

    class Stamping(Recording):
        """For each epoch, the kernel calls made when each chunk task ended."""

        def __init__(self):
            super().__init__()
            self.epochs = []

        def on_fit_task_begin(self, estimator, context):
            if context.task_name.startswith("epoch"):
                self.epochs.append([])

        def on_fit_task_end(self, estimator, context):
            if context.task_name == "chunk":
                self.epochs[-1].append(len(kernel_calls))

    docs = _docs(n_docs=600)
    search = _w2v_search([2])
    stamping = Stamping()
    search.set_callbacks(stamping).fit(docs, np.arange(len(docs)) % 2)
    assert len(stamping.epochs) == 3 * 2  # 2 folds + refit, 2 epochs each
    for stamps in stamping.epochs:
        assert len(stamps) == 100
        # some chunk tasks ended before the epoch's last kernel call
        assert min(stamps) < max(stamps)


class _ContextPaths(Recording):
    """Records the task path of every begun task."""

    def __init__(self):
        super().__init__()
        self.paths = []

    def on_fit_task_begin(self, estimator, context):
        path = []
        ctx = context
        while ctx is not None:
            path.append(f"{ctx.estimator_name}:{ctx.task_name}")
            ctx = ctx.parent
        *rest, leaf = path[::-1]
        self.paths.append((*rest, context.task_name))


@needs_callbacks
def test_nested_skembed_fits_are_sub_tasks():
    """SpectralPropagation fits its embedder inside its own fit: the
    embedder's tasks are reported under it."""
    rec = Recording()
    SpectralPropagation(
        embedder=ProNEEmbedder(n_components=8, propagate=False, memory=False),
        n_components=8,
    ).set_callbacks(rec).fit(_graph())
    tasks = [(r[0], r[1], r[2]) for r in rec.record]
    assert ("begin", "ProNEEmbedder", "factorisation") in tasks
    assert ("end", "SpectralPropagation", "propagation") in tasks
    assert [t[0] for t in tasks].count("setup") == 1


@needs_callbacks
def test_progress_bar_runs(every_line, capsys):
    pytest.importorskip("rich")
    from sklearn.callback import ProgressBar

    docs = _docs(n_docs=300)
    est = Word2VecVectorizer(n_components=8, n_epochs=2, min_count=1, random_state=0)
    est.set_callbacks(ProgressBar()).fit(docs)
    out = capsys.readouterr()
    assert "Word2VecVectorizer - epoch 2/2" in out.out + out.err
    # the user guide's recipe: a bar for the search, our epochs nested in it
    search = _w2v_search([2, 3])
    search.set_callbacks(ProgressBar(max_propagation_depth=None))
    search.fit(docs, np.arange(len(docs)) % 2)
    out = capsys.readouterr()
    assert "GridSearchCV" in out.out + out.err
    assert "Word2VecVectorizer - epoch 2/2" in out.out + out.err


def test_progress_outside_a_fit_has_no_callbacks():
    progress = Progress("x", 0)
    assert not progress.detailed
    progress.start("task", 10)
    progress.advance(5)
    progress.finish()


# --------------------------------------------------- below scikit-learn 1.9
def test_without_sklearn_callback_everything_else_works():
    """scikit-learn < 1.9 has no ``sklearn.callback``: simulated by making
    it unimportable while skembed is imported."""
    code = textwrap.dedent(
        """
        import sys, warnings
        import numpy as np
        import sklearn.base, sklearn.pipeline, sklearn.model_selection
        from sklearn.linear_model import LogisticRegression
        # skembed is imported while `import sklearn.callback` fails; scikit-
        # learn's own modules (this one's _fit_context imports it) keep theirs
        saved = {k: v for k, v in sys.modules.items() if k.startswith("sklearn.callback")}
        for name in saved:
            sys.modules[name] = None  # import raises ImportError
        # the package face loads estimators on first use: load them here
        from skembed import Word2VecVectorizer
        from skembed._progress import HAS_CALLBACKS
        sys.modules.update(saved)
        assert not HAS_CALLBACKS
        assert not hasattr(Word2VecVectorizer(), "set_callbacks")
        rng = np.random.default_rng(0)
        docs = [" ".join(rng.choice(["aa", "bb", "cc", "dd"], 20)) for _ in range(60)]
        y = np.arange(60) % 2
        est = Word2VecVectorizer(n_components=4, n_epochs=2, min_count=1, verbose=2)
        X = est.fit_transform(docs)
        assert X.shape == (60, 4)
        search = sklearn.model_selection.GridSearchCV(
            sklearn.pipeline.make_pipeline(
                Word2VecVectorizer(n_components=4, n_epochs=1, min_count=1),
                LogisticRegression(),
            ),
            {"word2vecvectorizer__window": [2, 3]}, cv=2,
        ).fit(docs, y)
        print("ok", search.best_params_)
        """
    )
    root = Path(__file__).resolve().parents[1]
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stdout.startswith("ok")
    assert "epoch 2/2" in proc.stderr


@needs_callbacks
def test_callbacks_are_not_saved(tmp_path):
    from skembed import load_model, save_model

    docs = _docs(n_docs=50)
    est = Word2VecVectorizer(n_components=4, n_epochs=1, min_count=1, random_state=0)
    est.set_callbacks(Recording()).fit(docs)
    save_model(est, tmp_path / "w2v.skembed")
    loaded = load_model(tmp_path / "w2v.skembed")
    assert not hasattr(loaded, "_skl_callbacks")
    np.testing.assert_array_equal(loaded.transform(docs), est.transform(docs))


def test_threads_report_inside_the_epoch_too(every_line, monkeypatch, capsys):
    """With threads, groups of chunks grow to about GROUP_SECONDS per call."""
    monkeypatch.setattr(_driver, "GROUP_SECONDS", 0.5)
    assert _driver._next_group(4, 0.01, threads=2) == 200  # 0.5 s at 400 chunks/s
    assert _driver._next_group(4, 10.0, threads=2) == 2  # the floor
    assert _driver._next_group(5, 10.0, threads=1) == 5  # one thread: as many again
    monkeypatch.setattr(_driver, "GROUP_SECONDS", 0.0)  # stay at the floor
    Word2VecVectorizer(
        n_components=8, n_epochs=1, min_count=1, n_jobs=2, verbose=2
    ).fit(_docs())
    err = capsys.readouterr().err
    assert len(_in_task_lines(err, "Word2VecVectorizer", "epoch 1/1")) >= 2


@needs_callbacks
def test_edge_features_embedder_is_a_sub_task():
    nx = pytest.importorskip("networkx")
    from skembed import EdgeFeatures

    G = nx.from_scipy_sparse_array(_graph())
    edges = np.array(list(G.edges())[:20])
    rec = Recording()
    embedder = Node2VecEmbedder(n_components=8, memory=False, graph=G)
    EdgeFeatures(embedder).set_callbacks(rec).fit(edges)
    tasks = {(r[1], r[2]) for r in rec.record}
    assert {("EdgeFeatures", "fit"), ("Node2VecEmbedder", "walks")} <= tasks
    assert ("Node2VecEmbedder", "epoch 1/1") in tasks
