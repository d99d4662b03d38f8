"""The documentation builds without a warning, and its snippets run as shown.

``test_docs_build`` runs the same command as ``make docs`` (sphinx with
``-W --keep-going``, gallery examples executed) into a temporary directory.
``test_user_guide_snippets`` executes the ``.. code-block:: python`` blocks of
each user-guide page, in order and in one namespace, and checks the output of every
``print(...)  # expected`` line (or a ``print`` with the comment on the line
below) against the comment.
"""

import contextlib
import importlib.util
import io
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[1] / "docs"
PAGES = [
    page
    for page in sorted((DOCS / "user_guide").glob("*.rst"))
    if ".. code-block:: python" in page.read_text(encoding="utf8")
]


@pytest.mark.slow
def test_docs_build(tmp_path):
    """``sphinx -W --keep-going`` exits with 0: no warning, no failing example."""
    pytest.importorskip("sphinx")
    env = dict(os.environ, MPLBACKEND="Agg", PYTHONHASHSEED="0")
    cmd = [
        sys.executable,
        "-m",
        "sphinx",
        "-W",
        "--keep-going",
        "-q",
        "-b",
        "html",
        "-d",
        str(tmp_path / "doctrees"),
        # re-run every gallery example, even if an earlier build cached it
        "-D",
        "sphinx_gallery_conf.run_stale_examples=True",
        str(DOCS),
        str(tmp_path / "html"),
    ]
    proc = subprocess.run(
        cmd, cwd=DOCS.parent, env=env, capture_output=True, text=True, timeout=900
    )
    assert proc.returncode == 0, (
        f"sphinx exited with {proc.returncode}\n--- stderr ---\n{proc.stderr[-6000:]}"
        f"\n--- stdout ---\n{proc.stdout[-3000:]}"
    )
    assert (tmp_path / "html" / "index.html").exists()


def _code_blocks(text):
    """The bodies of the ``.. code-block:: python`` directives of a page."""
    lines = text.splitlines()
    blocks = []
    i = 0
    while i < len(lines):
        if lines[i].strip() == ".. code-block:: python":
            i += 1
            while i < len(lines) and (
                not lines[i].strip() or lines[i].strip().startswith(":")
            ):
                i += 1
            body = []
            while i < len(lines) and (
                lines[i].startswith("   ") or not lines[i].strip()
            ):
                body.append(lines[i])
                i += 1
            blocks.append(textwrap.dedent("\n".join(body)).strip("\n"))
        else:
            i += 1
    return blocks


_PRINT = re.compile(r"^(\s*)print\((.*)\)\s*(?:#\s(.+))?$")
_COMMENT = re.compile(r"^\s*#\s(.+)$")


def _with_checks(block):
    """Turn ``print(x)  # shown`` into a check of the printed text.

    The expected text is the comment at the end of the ``print`` line, or a
    comment line right below it.
    """
    lines = block.splitlines()
    out = []
    for i, line in enumerate(lines):
        match = _PRINT.match(line)
        if match:
            indent, args, expected = match.groups()
            if expected is None and i + 1 < len(lines):
                below = _COMMENT.match(lines[i + 1])
                expected = below.group(1) if below else None
            if expected is not None:
                line = f"{indent}__expect(lambda: print({args}), {expected.strip()!r})"
        out.append(line)
    return "\n".join(out)


def _expect(call, expected):
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        call()
    shown = buffer.getvalue().strip()
    assert shown == expected, f"printed {shown!r}, the page says {expected!r}"


@pytest.mark.parametrize("page", PAGES, ids=[p.stem for p in PAGES])
def test_user_guide_snippets(page, tmp_path, monkeypatch):
    blocks = _code_blocks(page.read_text(encoding="utf8"))
    monkeypatch.chdir(tmp_path)  # snippets that write files write here
    namespace = {"__name__": f"__docs_{page.stem}__", "__expect": _expect}
    for number, block in enumerate(blocks):
        needed = re.findall(r'tokenizer="(jieba)"', block)
        needed += re.findall(r"^(?:import|from) (torch|transformers)\b", block, re.M)
        for module in needed:
            if importlib.util.find_spec(module) is None:
                pytest.skip(f"block {number} of {page.name} needs {module}")
        code = compile(_with_checks(block), f"{page.name} block {number}", "exec")
        exec(code, namespace)


def test_api_page_lists_every_public_name():
    """``docs/api.rst`` documents each name of ``skembed.__all__``."""
    import skembed

    text = (DOCS / "api.rst").read_text(encoding="utf8")
    listed = set(re.findall(r"^   (\w+)$", text, re.M))
    public = {name for name in skembed.__all__ if not name.startswith("_")}
    assert public <= listed, f"missing from docs/api.rst: {sorted(public - listed)}"
