import pickle

import numpy as np
import pytest

from skembed import KeyedVectors


@pytest.fixture
def kv():
    return KeyedVectors(
        ["cat", "dog", "car", "zero"],
        [[1.0, 0.1, 0.0], [0.9, 0.2, 0.1], [0.0, 1.0, 0.5], [0.0, 0.0, 0.0]],
        counts=[10, 8, 5, 1],
    )


def test_basic_access(kv):
    assert len(kv) == 4
    assert kv.vector_size == 3
    assert kv.vectors.dtype == np.float32 and kv.vectors.flags.c_contiguous
    assert kv.index_to_key == ["cat", "dog", "car", "zero"]
    assert kv.key_to_index["car"] == 2
    assert kv.counts.dtype == np.int64
    assert list(kv) == kv.index_to_key
    assert "dog" in kv and "cow" not in kv and [1] not in kv
    assert kv.has_index_for("cat") and not kv.has_index_for("cow")
    np.testing.assert_array_equal(kv["dog"], np.float32([0.9, 0.2, 0.1]))
    assert kv[["dog", "cat"]].shape == (2, 3)
    assert kv[[]].shape == (0, 3)
    assert kv.get_index("car") == 2
    assert kv.get_index("cow") is None and kv.get_index("cow", -1) == -1
    assert kv.get_vector("cow", default=None) is None


def test_missing_key_message(kv):
    with pytest.raises(KeyError, match=r"'cow'.*key in kv.*get_vector"):
        kv["cow"]
    with pytest.raises(KeyError, match="'cow'"):
        kv[["cat", "cow"]]


def test_normed_vectors(kv):
    normed = kv.get_normed_vectors()
    assert not np.isnan(normed).any()
    np.testing.assert_allclose(np.linalg.norm(normed[:3], axis=1), 1, rtol=1e-6)
    np.testing.assert_array_equal(normed[3], 0)
    assert kv.get_normed_vectors() is normed
    np.testing.assert_allclose(np.linalg.norm(kv.get_vector("car", norm=True)), 1, rtol=1e-6)
    # replacing the vectors drops the cache
    kv.vectors = kv.vectors * 2
    assert kv.get_normed_vectors() is not normed


@pytest.mark.parametrize(
    "keys, vectors, counts, match",
    [
        (["a", "a"], np.ones((2, 2)), None, "unique.*'a'"),
        (["a", "b"], np.ones((3, 2)), None, "3 rows but 2 keys"),
        (["a"], np.ones(2), None, "2-D"),
        ("ab", np.ones((2, 2)), None, "single str"),
        (["a", "b"], np.ones((2, 2)), [1], "counts must have shape"),
        (["a"], np.array([["x"]]), None, "numeric"),
    ],
)
def test_constructor_errors(keys, vectors, counts, match):
    with pytest.raises(ValueError, match=match):
        KeyedVectors(keys, vectors, counts=counts)


def test_non_string_keys_and_pickle():
    kv = KeyedVectors([3, (1, 2), "x"], np.eye(3))
    assert kv[(1, 2)][1] == 1
    assert kv.get_index(0) is None  # ints are keys, never row numbers
    kv.get_normed_vectors()
    kv2 = pickle.loads(pickle.dumps(kv))
    np.testing.assert_array_equal(kv2.vectors, kv.vectors)
    assert kv2.index_to_key == kv.index_to_key
