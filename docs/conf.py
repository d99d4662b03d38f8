"""Sphinx configuration of the skembed documentation (builds offline)."""

import os
import sys
import warnings

# document (and run the gallery with) the skembed of this source tree, even
# when another copy is installed in the environment
sys.path.insert(0, os.path.abspath(".."))

import skembed  # noqa: E402

project = "skembed"
author = "skembed developers"
copyright = "2026, skembed developers"
release = skembed.__version__
version = ".".join(release.split(".")[:2])

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "sphinx.ext.viewcode",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
]

autosummary_generate = True
autodoc_default_options = {"members": True, "inherited-members": False}
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
# numpydoc's cross-reference checker would need intersphinx inventories, which
# need the network; keep the build offline.
numpydoc_xref_param_type = False

templates_path = ["_templates"]
exclude_patterns = ["_build", "auto_examples/*.ipynb", "auto_examples/*.py.md5"]
html_theme = "alabaster"
html_static_path = ["_static"]
html_theme_options = {
    "description": "scikit-learn compatible embedding transformers",
    "fixed_sidebar": True,
}

# matplotlib without a display
os.environ.setdefault("MPLBACKEND", "Agg")
warnings.filterwarnings("ignore", category=UserWarning, message=".*non-interactive.*")

sphinx_gallery_conf = {
    "examples_dirs": "examples",
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"/plot_",
    "download_all_examples": False,
    "remove_config_comments": True,
    "within_subsection_order": "FileNameSortKey",
    "abort_on_example_error": True,
    # "Examples using X" on each API page
    "doc_module": ("skembed",),
    "backreferences_dir": "generated/backreferences",
}


def _skip_metadata_request_methods(app, what, name, obj, skip, options):
    """Hide sklearn's generated ``set_{method}_request`` methods.

    scikit-learn adds them to estimators whose ``fit``/``transform`` take
    extra arguments; their docstrings point into scikit-learn's own glossary
    and user guide, which this build (offline, no intersphinx) cannot link.
    """
    if name.startswith("set_") and name.endswith("_request"):
        return True
    return None


def setup(app):
    app.connect("autodoc-skip-member", _skip_metadata_request_methods)
