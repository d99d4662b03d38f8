import os
import shutil
import stat
import subprocess
import sys
import textwrap

import skembed


def test_version_is_a_string():
    assert isinstance(skembed.__version__, str) and skembed.__version__


def test_import_from_read_only_location(tmp_path):
    """Importing skembed (and compiling a cached kernel) works read-only."""
    src = os.path.dirname(skembed.__file__)
    dst = tmp_path / "site" / "skembed"
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns("__pycache__"))
    for root, dirs, files in os.walk(tmp_path / "site"):
        for name in dirs + files:
            path = os.path.join(root, name)
            mode = os.stat(path).st_mode
            os.chmod(path, mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    os.chmod(tmp_path / "site", 0o555)
    env = {k: v for k, v in os.environ.items() if not k.startswith("NUMBA_")}
    env["PYTHONPATH"] = str(tmp_path / "site")
    env["XDG_CACHE_HOME"] = str(tmp_path / "xdg")
    code = textwrap.dedent(
        """
        import skembed, skembed._numba_config as c
        from skembed import _kernels
        import numpy as np
        print(c.CACHE, bool(_kernels.splitmix64(np.uint64(1))))
        """
    )
    try:
        out = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True,
            cwd=tmp_path,
        )
    finally:
        for root, dirs, files in os.walk(tmp_path / "site"):
            os.chmod(root, 0o755)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["True", "True"]
    assert (tmp_path / "xdg" / "skembed" / "numba").is_dir()
