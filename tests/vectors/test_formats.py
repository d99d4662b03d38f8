"""Vector file formats: round trips, gensim interop, malformed files."""

import bz2
import gzip
import io
import os
import re
import zipfile

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skembed import KeyedVectors, load_vectors
from skembed._vectors._formats import read_word2vec, sniff_format, write_word2vec

KEYS = ["the", "中文", "日本語", "naïve", "a,b", "#x", "'q'", '"', "1", "nan"]
KEYS += ["nb\u00a0sp", "全角\u3000空格", "\x00nul", "sep\x1c\x85\u2028"]


def gensim_data(name):
    gensim = pytest.importorskip("gensim")
    path = os.path.join(os.path.dirname(gensim.__file__), "test", "test_data", name)
    if not os.path.exists(path):
        pytest.skip(f"gensim test file {name} not installed")
    return path


@pytest.fixture
def kv():
    rng = np.random.default_rng(0)
    vectors = rng.standard_normal((len(KEYS), 7)).astype(np.float32)
    vectors[3] = 0.0
    vectors[4, 0] = 1e-30
    vectors[4, 1] = 3e20
    return KeyedVectors(KEYS, vectors)


def assert_same(a, b, exact=True):
    assert a.index_to_key == b.index_to_key
    if exact:
        np.testing.assert_array_equal(a.vectors, b.vectors)
    else:
        np.testing.assert_allclose(a.vectors, b.vectors, rtol=1e-6)


# ----------------------------------------------------------------- round trips
@pytest.mark.parametrize("suffix", ["", ".gz", ".bz2", ".xz"])
@pytest.mark.parametrize("binary", [False, True])
def test_round_trip_paths(tmp_path, kv, binary, suffix):
    path = tmp_path / f"v{suffix}"
    kv.save_word2vec_format(path, binary=binary)
    loaded = KeyedVectors.load_word2vec_format(str(path), binary=binary)
    assert_same(kv, loaded)
    assert load_vectors(path).index_to_key == KEYS
    if suffix == ".gz":
        assert gzip.open(path).read(3) == b"14 "
    if suffix == ".bz2":
        assert bz2.open(path).read(3) == b"14 "


def test_round_trip_headerless(tmp_path, kv):
    path = tmp_path / "glove.txt"
    kv.save_word2vec_format(path, write_header=False)
    assert not path.read_bytes().startswith(b"14 7")
    assert_same(kv, KeyedVectors.load_word2vec_format(path, no_header=True))
    assert sniff_format(path) == "glove"
    assert_same(kv, load_vectors(path))
    assert_same(kv, load_vectors(path, format="glove"))


def test_file_objects(kv):
    for binary in (False, True):
        buf = io.BytesIO()
        kv.save_word2vec_format(buf, binary=binary)
        buf.seek(0)
        assert_same(kv, KeyedVectors.load_word2vec_format(buf, binary=binary))
        buf.seek(0)
        assert_same(kv, load_vectors(buf))
    # text-mode file objects work for the text format
    text = io.StringIO()
    kv.save_word2vec_format(text)
    text.seek(0)
    assert_same(kv, KeyedVectors.load_word2vec_format(text))


def test_open_file_handles(tmp_path, kv):
    path = tmp_path / "v.txt"
    with open(path, "w", encoding="utf8") as f:
        kv.save_word2vec_format(f)
    with open(path, "rb") as f:
        assert_same(kv, load_vectors(f))
    with open(path, encoding="utf8") as f:
        assert_same(kv, KeyedVectors.load_word2vec_format(f))


def test_limit(tmp_path, kv):
    for binary in (False, True):
        path = tmp_path / f"v{binary}"
        kv.save_word2vec_format(path, binary=binary)
        small = KeyedVectors.load_word2vec_format(path, binary=binary, limit=3)
        assert small.index_to_key == KEYS[:3]
        np.testing.assert_array_equal(small.vectors, kv.vectors[:3])
        assert (
            len(KeyedVectors.load_word2vec_format(path, binary=binary, limit=99)) == 14
        )
    kv.save_word2vec_format(tmp_path / "g", write_header=False)
    assert len(load_vectors(tmp_path / "g", limit=4)) == 4


def test_text_format_details(kv):
    buf = io.BytesIO()
    kv.save_word2vec_format(buf)
    lines = buf.getvalue().decode("utf8").split("\n")
    assert lines[0] == "14 7"
    assert lines[2].startswith("中文 ")
    assert lines[5].split(" ")[1:3] == ["1e-30", "3e+20"]  # numpy's shortest repr


def test_word2vec_c_binary_with_newlines():
    """word2vec.c writes a newline after each vector; gensim does not."""
    vectors = np.arange(6, dtype="<f4").reshape(2, 3)
    data = b"2 3\n" + b"".join(
        k + b" " + v.tobytes() + b"\n"
        for k, v in zip([b"ab", b"\xe4\xb8\xad"], vectors, strict=True)
    )
    kv = KeyedVectors.load_word2vec_format(io.BytesIO(data), binary=True)
    assert kv.index_to_key == ["ab", "中"]
    np.testing.assert_array_equal(kv.vectors, vectors)
    assert sniff_format(io.BytesIO(data)) == "word2vec_binary"


def test_word2vec_c_text_trailing_space_and_crlf():
    data = b"2 2\r\nab 0.5 1.5 \r\ncd -1 2e-3 \r\n"
    kv = KeyedVectors.load_word2vec_format(io.BytesIO(data))
    np.testing.assert_array_equal(kv.vectors, np.float32([[0.5, 1.5], [-1, 2e-3]]))
    # tabs or repeated spaces between numbers are accepted too (slow path)
    kv = KeyedVectors.load_word2vec_format(io.BytesIO(b"1 2\nab 0.5\t 1.5\n"))
    np.testing.assert_array_equal(kv.vectors, np.float32([[0.5, 1.5]]))


def test_special_values():
    kv = KeyedVectors.load_word2vec_format(io.BytesIO(b"1 3\nx nan inf -inf\n"))
    assert np.isnan(kv.vectors[0, 0]) and np.isinf(kv.vectors[0, 1:]).all()


def test_header_only_and_trailing_blank_lines():
    kv = KeyedVectors.load_word2vec_format(io.BytesIO(b"0 4\n"))
    assert len(kv) == 0 and kv.vector_size == 4
    kv = KeyedVectors.load_word2vec_format(io.BytesIO(b"1 1\na 1\n\n\n"))
    assert kv.index_to_key == ["a"]


def test_datatype_rounds_values():
    kv = KeyedVectors.load_word2vec_format(
        io.BytesIO(b"1 1\na 0.1\n"), datatype=np.float16
    )
    assert kv.vectors.dtype == np.float32
    assert kv.vectors[0, 0] == np.float32(np.float16(0.1))


def test_int_keys_written_as_str():
    kv = KeyedVectors([10, 20], np.eye(2))
    buf = io.BytesIO()
    kv.save_word2vec_format(buf)
    buf.seek(0)
    assert load_vectors(buf).index_to_key == ["10", "20"]


def test_npz_round_trip(tmp_path):
    keys = ["a", 3, (1, "x"), 2.5, None, True]
    kv = KeyedVectors(keys, np.arange(12).reshape(6, 2), counts=[6, 5, 4, 3, 2, 1])
    path = tmp_path / "model.kv"  # no .npz suffix added
    kv.save(path)
    assert os.listdir(tmp_path) == ["model.kv"]
    loaded = KeyedVectors.load(path)
    assert loaded.index_to_key == keys
    assert [type(k) for k in loaded.index_to_key] == [type(k) for k in keys]
    np.testing.assert_array_equal(loaded.counts, kv.counts)
    np.testing.assert_array_equal(loaded.vectors, kv.vectors)
    assert sniff_format(path) == "npz"
    assert load_vectors(path).index_to_key == keys
    # no pickle inside: numpy can read every member with allow_pickle=False
    with np.load(path, allow_pickle=False) as data:
        assert sorted(data.files) == ["counts", "meta", "vectors"]


def test_npz_errors(tmp_path):
    with pytest.raises(ValueError, match="cannot be saved"):
        KeyedVectors([object()], np.ones((1, 1))).save(tmp_path / "x")
    other = tmp_path / "other.npz"
    np.savez(other, a=np.ones(2))
    with pytest.raises(ValueError, match=r"other\.npz.*KeyedVectors \.npz"):
        KeyedVectors.load(other)
    pickled = tmp_path / "pickled.npz"
    np.savez(pickled, meta=np.array([{"a": 1}], dtype=object), vectors=np.ones((1, 1)))
    with pytest.raises(ValueError, match="pickled.npz"):
        KeyedVectors.load(pickled)
    wrong = tmp_path / "wrong.npz"
    with zipfile.ZipFile(wrong, "w"):
        pass
    with pytest.raises(ValueError, match="wrong.npz"):
        KeyedVectors.load(wrong)


# ---------------------------------------------------------------- hypothesis
_key_chars = st.characters(
    blacklist_categories=("Cs",), blacklist_characters=" \t\n\r\x0b\x0c"
)
_keys = st.lists(
    st.text(_key_chars, min_size=1, max_size=8), min_size=1, max_size=12, unique=True
)


@st.composite
def _tables(draw):
    keys = draw(_keys)
    d = draw(st.integers(1, 5))
    values = draw(
        st.lists(
            st.floats(width=32, allow_nan=False),
            min_size=len(keys) * d,
            max_size=len(keys) * d,
        )
    )
    return keys, np.array(values, dtype=np.float32).reshape(len(keys), d)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_tables(), st.booleans())
def test_property_round_trip(table, binary):
    keys, vectors = table
    buf = io.BytesIO()
    write_word2vec(buf, keys, vectors, binary=binary)
    buf.seek(0)
    read_keys, read_vectors = read_word2vec(buf, binary=binary)
    assert read_keys == keys
    # exact in binary, and in text too: str(float32) is the shortest repr
    # that reads back to the same float32
    np.testing.assert_array_equal(read_vectors, vectors)
    buf.seek(0)
    assert sniff_format(buf) == ("word2vec_binary" if binary else "word2vec")


@settings(max_examples=30, deadline=None)
@given(_tables())
def test_property_headerless_round_trip(table):
    keys, vectors = table
    buf = io.BytesIO()
    write_word2vec(buf, keys, vectors, write_header=False)
    buf.seek(0)
    read_keys, read_vectors = read_word2vec(buf, no_header=True)
    assert read_keys == keys
    np.testing.assert_array_equal(read_vectors, vectors)


# --------------------------------------------------------------- gensim interop
@pytest.fixture
def gensim_kv(kv):
    gensim = pytest.importorskip("gensim")
    g = gensim.models.KeyedVectors(kv.vector_size)
    g.add_vectors(kv.index_to_key, kv.vectors)
    return g


@pytest.mark.parametrize(
    "binary, header", [(False, True), (True, True), (False, False)]
)
def test_byte_identical_to_gensim(tmp_path, kv, gensim_kv, binary, header):
    ours, theirs = tmp_path / "ours", tmp_path / "theirs"
    kv.save_word2vec_format(ours, binary=binary, write_header=header)
    gensim_kv.save_word2vec_format(theirs, binary=binary, write_header=header)
    assert ours.read_bytes() == theirs.read_bytes()


@pytest.mark.parametrize("binary", [False, True])
def test_gensim_reads_ours_and_we_read_gensims(tmp_path, kv, gensim_kv, binary):
    from gensim.models import KeyedVectors as GensimKV

    kv.save_word2vec_format(tmp_path / "ours", binary=binary)
    theirs = GensimKV.load_word2vec_format(tmp_path / "ours", binary=binary)
    assert theirs.index_to_key == kv.index_to_key
    np.testing.assert_array_equal(theirs.vectors, kv.vectors)

    gensim_kv.save_word2vec_format(tmp_path / "theirs.gz", binary=binary)
    assert_same(
        kv, KeyedVectors.load_word2vec_format(tmp_path / "theirs.gz", binary=binary)
    )


@pytest.mark.filterwarnings(
    "ignore::pytest.PytestUnraisableExceptionWarning"
)  # gensim leaks a file
def test_gensim_reads_our_glove(tmp_path, kv):
    from gensim.models import KeyedVectors as GensimKV

    kv.save_word2vec_format(tmp_path / "g.txt", write_header=False)
    theirs = GensimKV.load_word2vec_format(tmp_path / "g.txt", no_header=True)
    np.testing.assert_array_equal(theirs.vectors, kv.vectors)


@pytest.mark.filterwarnings(
    "ignore::pytest.PytestUnraisableExceptionWarning"
)  # gensim leaks a file
@pytest.mark.parametrize(
    "name, kwargs, fmt",
    [
        ("test_glove.txt", {"no_header": True}, "glove"),
        ("lee_fasttext.vec", {}, "word2vec"),
        ("euclidean_vectors.bin", {"binary": True}, "word2vec_binary"),
        ("high_precision.kv.txt", {}, "word2vec"),
        ("high_precision.kv.bin", {"binary": True}, "word2vec_binary"),
    ],
)
def test_gensim_test_files(name, kwargs, fmt):
    from gensim.models import KeyedVectors as GensimKV

    path = gensim_data(name)
    theirs = GensimKV.load_word2vec_format(path, **kwargs)
    ours = KeyedVectors.load_word2vec_format(path, **kwargs)
    assert ours.index_to_key == theirs.index_to_key
    np.testing.assert_array_equal(ours.vectors, theirs.vectors)
    assert sniff_format(path) == fmt
    assert load_vectors(path).index_to_key == theirs.index_to_key


def test_gensim_truncated_test_file():
    """gensim's pretrained.vec announces 3 vectors and holds 1: an EOFError there."""
    path = gensim_data("pretrained.vec")
    with pytest.raises(
        ValueError, match=r"pretrained\.vec, line 1: expected 3 vectors.*only 1"
    ):
        KeyedVectors.load_word2vec_format(path)
    assert len(KeyedVectors.load_word2vec_format(path, limit=1)) == 1


# ------------------------------------------------------------- malformed files
def load_bytes(data, name="bad.txt", tmp_path=None, **kwargs):
    path = tmp_path / name
    path.write_bytes(data)
    return KeyedVectors.load_word2vec_format(path, **kwargs)


BIN = (
    b"2 2\n"
    + b"ab "
    + np.float32([1, 2]).tobytes()
    + b"cd "
    + np.float32([3, 4]).tobytes()
)


@pytest.mark.parametrize(
    "data, kwargs, match",
    [
        (b"", {}, r"bad\.txt: the file is empty"),
        (b"", {"no_header": True}, r"bad\.txt: the file holds no vectors"),
        (
            b"the 0.1 0.2\n",
            {},
            r"bad\.txt, line 1: expected a header .*found b'the 0\.1 0\.2'.*no_header=True",  # noqa: E501
        ),
        (b"2 x\n", {}, r"line 1: expected a header"),
        (b"1 0\n", {}, r"line 1: expected a vector size >= 1"),
        (b"3 2\na 1 2\nb 3 4\n", {}, r"line 1: expected 3 vectors.*found only 2"),
        (
            b"1 2\na 1 2\nb 3 4\n",
            {},
            r"line 3: expected no more vectors after the 1 .*'b'",
        ),
        (
            b"2 3\na 1 2 3\nb 3 4\n",
            {},
            r"line 3: expected a key followed by 3 numbers; found 2 numbers in b'b 3 4'",  # noqa: E501
        ),
        (
            b"2 2\na 1 2\nb 3 4 5\n",
            {},
            r"line 3: expected a key followed by 2 numbers; found 3",
        ),
        (
            b"2 2\na 1 2\nb 3 x4\n",
            {},
            r"line 3: expected a number as value 2 of 2; found b'x4'",
        ),
        (b"2 2\na 1 2\n 3 4\n", {}, r"line 3: expected a key at the start of the line"),
        (
            b"1 2\na 1 2_0\n",
            {},
            r"line 2: expected a number as value 2 of 2; found b'2_0'",
        ),
        (
            b"3 2\na 1 2\n\nb 3 4\n",
            {},
            r"line 3: expected a key followed by numbers \(empty lines",
        ),
        (
            b"2 2\na 1 2\na 3 4\n",
            {},
            r"line 3: expected unique keys; found 'a' again \(first at line 2",
        ),
        (
            b"a 1 2\nb 1\n",
            {"no_header": True},
            r"line 2: expected a key followed by 2 numbers; found 1",
        ),
        (
            b"a\n",
            {"no_header": True},
            r"line 1: expected a key followed by at least one number",
        ),
        (
            b"1 2\n\xff\xfe 1 2\n",
            {},
            r"line 2: expected a key in utf8; found b'\\xff\\xfe'",
        ),
        (
            BIN[:-1],
            {"binary": True},
            r"byte offset 15: expected vector 2 of 2 \(b'cd'\): 8 bytes \(2 float32\); found only 7 bytes",  # noqa: E501
        ),
        (
            BIN[:-9],
            {"binary": True},
            r"byte offset 15: expected vector 2 of 2: a key followed by a space; found b'cd' and then the end of the file",  # noqa: E501
        ),
        (
            BIN[:15],
            {"binary": True},
            r"byte offset 15: expected vector 2 of 2: a key followed by a space; found the end of the file",  # noqa: E501
        ),
        (
            BIN + b"ef ",
            {"binary": True},
            r"byte offset 26: expected the end of the file after the 2 vectors .*found more data: b'ef'",  # noqa: E501
        ),
        (
            b"2 2\nab "
            + np.float32([1, 2]).tobytes()
            + b"ab "
            + np.float32([3, 4]).tobytes(),
            {"binary": True},
            r"byte offset 15: expected unique keys; found 'ab' again \(first at byte offset 4",  # noqa: E501
        ),
        (
            b"2 3\nab 0.125 0.25 0.5\ncd 0.125 0.25 0.5\n",
            {"binary": True},
            r"byte offset \d+: expected vector 2 of 2: a key followed by a space and 3 float32.*binary=False",  # noqa: E501
        ),
        (
            b"2 2\nab "
            + np.float32([1, 2]).tobytes()
            + b"\ncd "
            + np.float32([3, 4]).tobytes(),
            {},
            r"bad\.txt, line 2: .*binary=True",
        ),
    ],
)
def test_malformed(tmp_path, data, kwargs, match):
    with pytest.raises(ValueError, match=match):
        load_bytes(data, tmp_path=tmp_path, **kwargs)


@pytest.mark.parametrize("suffix, kind", [(".gz", "gzip"), (".bz2", "bzip2"),
                                          (".xz", "xz/lzma")])
@pytest.mark.parametrize("damage", ["truncated", "not compressed"])
@pytest.mark.parametrize("binary", [False, True])
def test_damaged_compressed_file(tmp_path, kv, suffix, kind, damage, binary):
    """A truncated or mislabelled archive raises a ValueError naming the
    file (not the decompressor's bare EOFError / OSError / LZMAError)."""
    path = tmp_path / ("v.bin" + suffix)
    kv.save_word2vec_format(path, binary=binary)
    raw = path.read_bytes()
    path.write_bytes(raw[: len(raw) // 2] if damage == "truncated" else b"1 2\n" * 9)
    with pytest.raises(ValueError, match=re.escape(f"{path}: cannot decompress")
                       + f".*not {re.escape(kind)} data"):
        load_vectors(path)
    with pytest.raises(ValueError, match="cannot decompress"):
        KeyedVectors.load_word2vec_format(path, binary=binary)


def test_duplicate_policies(tmp_path):
    data = b"3 2\na 1 2\nb 3 4\na 5 6\n"
    first = load_bytes(data, tmp_path=tmp_path, on_duplicate="first")
    last = load_bytes(data, tmp_path=tmp_path, on_duplicate="last")
    assert first.index_to_key == last.index_to_key == ["a", "b"]
    np.testing.assert_array_equal(first["a"], [1, 2])
    np.testing.assert_array_equal(last["a"], [5, 6])
    with pytest.raises(ValueError, match="on_duplicate must be one of"):
        load_bytes(data, tmp_path=tmp_path, on_duplicate="keep")


def test_unicode_errors_replace(tmp_path):
    kv = load_bytes(b"1 2\n\xff 1 2\n", tmp_path=tmp_path, unicode_errors="replace")
    assert kv.index_to_key == ["\ufffd"]


def test_argument_errors(tmp_path):
    with pytest.raises(ValueError, match="no_header=True is only supported for text"):
        load_bytes(b"a 1\n", tmp_path=tmp_path, binary=True, no_header=True)
    with pytest.raises(ValueError, match="limit must be None or a positive int"):
        load_bytes(b"1 1\na 1\n", tmp_path=tmp_path, limit=0)
    with pytest.raises(ValueError, match="format must be one of"):
        load_vectors(io.BytesIO(b"a 1\n"), format="w2v")
    with pytest.raises(ValueError, match="empty"):
        load_vectors(io.BytesIO(b""))
    with pytest.raises(
        ValueError,
        match="line 1: expected a header '<n_vectors> <vector_size>' or a key",
    ):
        load_vectors(io.BytesIO(b"hello world\n"))
    with pytest.raises(
        ValueError, match="write_header=False is only supported for text"
    ):
        KeyedVectors(["a"], [[1.0]]).save_word2vec_format(
            io.BytesIO(), binary=True, write_header=False
        )


@pytest.mark.parametrize(
    "key", ["two words", "tab\tkey", "new\nline", "", "cr\r", "ff\x0c"]
)
def test_save_rejects_keys_with_whitespace(key):
    kv = KeyedVectors([key, "ok"], np.ones((2, 2)))
    with pytest.raises(
        ValueError, match=re.escape(repr(key)) + r" \(row 0\).*no ASCII whitespace"
    ):
        kv.save_word2vec_format(io.BytesIO())


def test_save_rejects_keys_colliding_as_str():
    kv = KeyedVectors([1, "1"], np.ones((2, 2)))
    with pytest.raises(ValueError, match="both written as '1'"):
        kv.save_word2vec_format(io.BytesIO())


def test_sniff_needs_seekable_stream():
    class Stream:
        name = "<pipe>"

        def __init__(self):
            self._data = io.BytesIO(b"1 1\na 1\n")
            self.read, self.readline = self._data.read, self._data.readline

        def __iter__(self):
            return iter(self._data)

    with pytest.raises(ValueError, match="non-seekable"):
        load_vectors(Stream())
    assert load_vectors(Stream(), format="word2vec").index_to_key == ["a"]


def test_large_file_blocks(tmp_path):
    """More lines than one parse block, with an error deep inside."""
    rng = np.random.default_rng(1)
    n = 10_000
    keys = [f"k{i}" for i in range(n)]
    vectors = rng.standard_normal((n, 3)).astype(np.float32)
    path = tmp_path / "big.txt"
    write_word2vec(path, keys, vectors)
    assert_same(KeyedVectors(keys, vectors), load_vectors(path))
    lines = path.read_bytes().split(b"\n")
    lines[9001] = lines[9001] + b" 0.5"
    path.write_bytes(b"\n".join(lines))
    with pytest.raises(
        ValueError,
        match=r"big\.txt, line 9002: expected a key followed by 3 numbers; found 4",
    ):
        load_vectors(path)


def test_no_pickle_in_io_module():
    import skembed._vectors._formats as io_module
    import skembed._vectors._keyedvectors as kv_module

    for module in (io_module, kv_module):
        with open(module.__file__, encoding="utf8") as f:
            source = f.read()
        assert "import pickle" not in source
        assert "allow_pickle=True" not in source


def test_sniff_one_dimensional_glove():
    data = b"1 2\n3 4\n"
    assert sniff_format(io.BytesIO(data)) == "glove"
    assert load_vectors(io.BytesIO(data)).index_to_key == ["1", "3"]


@pytest.mark.parametrize("binary", [False, True])
def test_lying_header_does_not_allocate(binary):
    kv = KeyedVectors(["a", "b"], [[1.0, 2.0], [3.0, 4.0]])
    buf = io.BytesIO()
    kv.save_word2vec_format(buf, binary=binary)
    data = buf.getvalue().replace(b"2 2\n", b"1000000000000 2\n", 1)
    with pytest.raises(ValueError, match="(of|expected) 1000000000000( vectors)?"):
        KeyedVectors.load_word2vec_format(io.BytesIO(data), binary=binary)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.floats(allow_nan=False, width=64), min_size=1, max_size=20),
    st.sampled_from(["%r", "%.3e", "%.6g", "%.17g", "%f", "%.0f", "%E"]),
)
def test_property_text_numbers_parse_like_numpy(values, fmt):
    """Any decimal notation reads as np.float32(text) (what gensim does)."""
    tokens = [fmt % v for v in values]
    line = ("k " + " ".join(tokens) + "\n").encode()
    data = f"1 {len(values)}\n".encode() + line
    with np.errstate(over="ignore"):
        expected = np.array([np.float32(t) for t in tokens])
    _, vectors = read_word2vec(io.BytesIO(data))
    np.testing.assert_array_equal(vectors[0], expected)


@pytest.mark.parametrize("data", [b"1 2\na 1 2\n", b"a 1 2\n"])
def test_utf8_bom_is_skipped(data):
    kv = load_vectors(io.BytesIO(b"\xef\xbb\xbf" + data))
    assert kv.index_to_key == ["a"]


def test_fvocab_round_trip_and_gensim(tmp_path, kv):
    gensim = pytest.importorskip("gensim")
    counts = np.arange(len(KEYS), 0, -1) * 10  # decreasing: gensim keeps order
    ours = KeyedVectors(KEYS, kv.vectors, counts=counts)
    ours.save_word2vec_format(tmp_path / "v.txt", fvocab=tmp_path / "vocab.txt")
    g = gensim.models.KeyedVectors(kv.vector_size)
    g.add_vectors(KEYS, kv.vectors)
    for key, c in zip(KEYS, counts, strict=True):
        g.set_vecattr(key, "count", int(c))
    g.save_word2vec_format(tmp_path / "g.txt", fvocab=tmp_path / "gvocab.txt")
    assert (tmp_path / "vocab.txt").read_bytes() == (
        tmp_path / "gvocab.txt"
    ).read_bytes()
    assert (tmp_path / "v.txt").read_bytes() == (tmp_path / "g.txt").read_bytes()
    loaded = KeyedVectors.load_word2vec_format(
        tmp_path / "v.txt", fvocab=tmp_path / "vocab.txt"
    )
    np.testing.assert_array_equal(loaded.counts, counts)
    (tmp_path / "part.txt").write_bytes(b"the 5\n")
    with pytest.warns(UserWarning, match="13 key\\(s\\) are not in the vocabulary"):
        part = KeyedVectors.load_word2vec_format(
            tmp_path / "v.txt", fvocab=tmp_path / "part.txt"
        )
    assert part.counts[0] == 5 and part.counts[1] == 0
    (tmp_path / "bad.txt").write_bytes(b"the 5\nof x\n")
    with pytest.raises(ValueError, match=r"bad\.txt, line 2: expected '<key> <count>'"):
        KeyedVectors.load_word2vec_format(
            tmp_path / "v.txt", fvocab=tmp_path / "bad.txt"
        )
    with pytest.raises(ValueError, match="no counts to write"):
        kv.save_word2vec_format(tmp_path / "x.txt", fvocab=tmp_path / "y.txt")


def _valid_or_value_error(data, **kwargs):
    """Loading arbitrary bytes gives vectors or a ValueError, nothing else."""
    try:
        keys, vectors = read_word2vec(io.BytesIO(data), **kwargs)
    except ValueError:
        return None
    assert len(keys) == len(vectors)
    return keys, vectors


@settings(max_examples=40, deadline=None)
@given(_tables(), st.booleans(), st.data())
def test_property_damaged_files_raise_value_error(table, binary, data):
    keys, vectors = table
    buf = io.BytesIO()
    write_word2vec(buf, keys, vectors, binary=binary)
    raw = buf.getvalue()
    cut = data.draw(st.integers(0, len(raw) - 2))
    truncated = _valid_or_value_error(raw[:cut], binary=binary)
    if binary:  # text cut inside the last number can still be a valid file
        assert truncated is None
    flips = data.draw(st.lists(st.integers(0, len(raw) - 1), max_size=3))
    damaged = bytearray(raw)
    for i in flips:
        damaged[i] = data.draw(st.integers(0, 255))
    _valid_or_value_error(bytes(damaged), binary=binary)
    _valid_or_value_error(bytes(damaged), no_header=True)


def test_binary_reads_records_with_newlines_property_style():
    rng = np.random.default_rng(5)
    for d in (1, 3, 50):
        vectors = rng.standard_normal((20, d)).astype("<f4")
        keys = [f"k{i}" for i in range(20)]
        data = f"20 {d}\n".encode() + b"".join(
            k.encode() + b" " + v.tobytes() + b"\n"
            for k, v in zip(keys, vectors, strict=True)
        )
        read_keys, read = read_word2vec(io.BytesIO(data), binary=True)
        assert read_keys == keys
        np.testing.assert_array_equal(read, vectors)


def test_binary_lying_vector_size():
    data = b"2 1000000000000\nab " + np.float32([1, 2]).tobytes()
    with pytest.raises(ValueError, match="4000000000000 bytes"):
        read_word2vec(io.BytesIO(data), binary=True)
