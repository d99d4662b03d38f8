"""Shared fixtures: small corpora, baskets and graphs generated in code."""

import numpy as np
import pytest


@pytest.fixture(autouse=True)
def _seeded_global_rng():
    """Every test starts from the same global numpy state.

    An estimator left at ``random_state=None`` draws its seed from numpy's
    global RandomState, which the tests that ran before have advanced: such
    a test then saw a different draw depending on test order and selection
    (CI failed once on a warning that comes with most draws, not all). A test
    that means "any seed" says so with explicit seeds.
    """
    np.random.seed(0)
    yield


@pytest.fixture
def global_random_seed():
    """A fixed seed (sklearn's fixture of the same name draws from a range)."""
    return 42


def planted_synonym_corpus(n_sentences=600, seed=0):
    """Sentences where words of the same topic co-occur.

    Four topics of six words each; a sentence draws 8 words from one topic,
    plus a word from a shared filler vocabulary. Words of a topic must end up
    nearest neighbours of each other.
    """
    rng = np.random.RandomState(seed)
    topics = [[f"t{t}w{i}" for i in range(6)] for t in range(4)]
    filler = [f"f{i}" for i in range(10)]
    sentences = []
    for _ in range(n_sentences):
        topic = topics[rng.randint(len(topics))]
        words = list(rng.choice(topic, size=8)) + [filler[rng.randint(len(filler))]]
        rng.shuffle(words)
        sentences.append(words)
    return sentences, topics


@pytest.fixture
def planted_corpus():
    return planted_synonym_corpus()


@pytest.fixture(scope="module")
def karate():
    """networkx's karate club and its two factions (1 = Officer)."""
    nx = pytest.importorskip("networkx")
    G = nx.karate_club_graph()
    y = np.array([G.nodes[v]["club"] == "Officer" for v in G], dtype=int)
    return G, y


@pytest.fixture
def fresh_graph_cache():
    """An empty in-process walk/embedding cache before and after a test."""
    from skembed._graph._cache import clear_graph_cache

    clear_graph_cache()
    yield
    clear_graph_cache()
