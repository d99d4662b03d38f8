import os
import subprocess
import sys
import textwrap

import pytest
from numba.core import config

import skembed
from skembed._engine import _numba_config


def test_version_is_a_string():
    assert isinstance(skembed.__version__, str) and skembed.__version__


@pytest.fixture
def restore_numba_cache_dir(monkeypatch):
    saved = config.CACHE_DIR
    monkeypatch.delenv("NUMBA_CACHE_DIR", raising=False)
    config.CACHE_DIR = ""
    yield
    config.CACHE_DIR = saved


def test_cache_falls_back_to_user_dir_when_install_is_read_only(
    tmp_path, monkeypatch, restore_numba_cache_dir
):
    pkg = str(tmp_path / "site" / "skembed")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))

    def writable(path):  # the install folder is read-only, the rest is not
        return not path.startswith(pkg) and _numba_config._writable(path)

    assert _numba_config._configure_cache(pkg, writable) is True
    assert config.CACHE_DIR == str(tmp_path / "xdg" / "skembed" / "numba")


def test_cache_disabled_when_nothing_is_writable(monkeypatch, restore_numba_cache_dir):
    assert _numba_config._configure_cache("/nonexistent", lambda p: False) is False
    assert config.CACHE_DIR == ""


def test_kernels_compile_with_an_unwritable_cache(tmp_path):
    """A subprocess whose only cache choices fail still imports and runs."""
    code = textwrap.dedent(
        """
        import skembed._engine._numba_config as c
        c.CACHE = c._configure_cache("/nonexistent", lambda p: False)
        from skembed._engine import _random
        import numpy as np
        print(c.CACHE, int(_random.splitmix64(np.uint64(1))) > 0)
        """
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("NUMBA_")}
    # the skembed under test, also from a checkout that is not the installed one
    env["PYTHONPATH"] = os.path.dirname(os.path.dirname(skembed.__file__))
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True,
        cwd=tmp_path,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["False", "True"]


def _modules_after(code):
    """The skembed modules loaded by ``code`` in a fresh interpreter."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.path.dirname(os.path.dirname(skembed.__file__))
    out = subprocess.run(
        [sys.executable, "-c", code + "\nimport sys\n"
         "print(' '.join(m for m in sys.modules if m.startswith('skembed')))"],
        env=env, capture_output=True, text=True,
    )
    assert out.returncode == 0, out.stderr
    return set(out.stdout.split())


def test_face_loads_public_names_lazily():
    """``import skembed`` loads no family; ProNE's import loads only the
    graph family, the engine and support (not text, tabular, items, persist)."""
    assert _modules_after("import skembed") <= {"skembed", "skembed._version"}
    loaded = _modules_after("from skembed import ProNEEmbedder")
    assert "skembed._graph._prone" in loaded
    for family in ("_text", "_tabular", "_items", "_persist"):
        assert not {m for m in loaded if m.startswith(f"skembed.{family}")}


def test_face_public_names():
    assert sorted(skembed.__all__) == sorted([*skembed._PUBLIC, "__version__"])
    assert set(skembed.__all__) <= set(dir(skembed))
    for name in skembed.__all__:
        assert getattr(skembed, name) is not None
    namespace = {}
    exec("from skembed import *", namespace)
    assert set(skembed.__all__) <= set(namespace)
    with pytest.raises(AttributeError, match="no attribute 'NotAName'"):
        skembed.NotAName  # noqa: B018
