"""Command line: ``python -m skembed`` / ``skembed``.

Each subcommand takes the flags, and the defaults, of the tool its users
come from, so that their command lines run unchanged:

* ``word2vec``: Mikolov's ``word2vec.c`` (``-train``, ``-output``, ``-size``,
  ``-window``, ``-sample``, ``-hs``, ``-negative``, ``-threads``, ``-iter``,
  ``-min-count``, ``-alpha``, ``-classes``, ``-debug``, ``-binary``,
  ``-save-vocab``, ``-read-vocab``, ``-cbow``, default CBOW) and the
  spellings of gensim's ``word2vec_standalone.py`` (``-min_count``,
  ``-accuracy``);
* ``node2vec``: pecanpy's (``--input``, ``--output``, ``--dimensions``,
  ``--walk-length``, ``--num-walks``, ``--window-size``, ``--epochs``,
  ``--p``, ``--q``, ``--weighted``, ``--directed``, ``--workers`` with 0 =
  every core, ``--mode``, ``--delimiter``, ``--random_state``,
  ``--verbose``, ``--task tocsr / todense``) and its files: edge lists and
  ``.npz`` graphs in, word2vec text or ``.npz`` vectors out;
* ``deepwalk``: node2vec's flags without ``--p`` / ``--q`` (also
  deepwalk's ``--number-walks`` and ``--representation-size``);
* ``line``: the LINE reference's (``-train``, ``-output``, ``-size``,
  ``-order``, ``-negative``, ``-samples`` in millions, ``-rho``,
  ``-threads``, ``-binary``);
* ``item2vec``: one basket per line, items separated by white space.

One style for all: every flag is accepted with one dash or two and with
``-`` or ``_`` inside (``-min-count``, ``--min_count``); yes/no flags take
an optional 0/1 (``--binary`` = ``-binary 1``); where the ecosystems
differ, both names work in every subcommand: ``-threads`` = ``--workers``
(0, the default, is every core; 1 is bit-reproducible for a seed),
``-seed`` = ``--seed`` = ``--random_state``, ``-size`` = ``--dimensions``,
``-iter`` = ``--epochs``, ``-train`` = ``--input``, ``-debug N`` =
``--verbose [N]`` (``--quiet`` = ``-debug 0``). Input files may be
compressed (``.gz``, ``.bz2``, ``.xz``, or such data under any name).
Progress and messages go to stderr; stdout stays empty (but for
``--help`` and ``--version``).

Exit status 0 on success, 2 with one line ``skembed <command>: error: ...``
on stderr for a usage or input error (a missing, empty, binary or
undecodable input file -- with its line and byte offset --, a malformed
edge-list line, an output folder that does not exist, a flag skembed does
not implement; all checked before training), 1 for an error of the system
while running (disk full, out of memory). No traceback is printed for any
of these.
"""

import argparse
import codecs
import io
import itertools
import lzma
import os
import re
import sys
import time
import zlib
from array import array
from collections import Counter, defaultdict

import numpy as np
import pandas as pd
import scipy.sparse as sp

from ._graph._line import LINEEmbedder
from ._graph._node2vec import DeepWalkEmbedder, Node2VecEmbedder
from ._items._item2vec import Item2VecTransformer
from ._progress import Progress
from ._text._word2vec import Word2VecVectorizer, _NoVocabularyError
from ._vectors._formats import open_input, read_vocab, write_vocab
from ._vectors._keyedvectors import KeyedVectors
from ._version import __version__

__all__ = ["main", "read_edgelist"]

_INT32 = "i" if array("i").itemsize == 4 else "l"
#: edges renumbered per numpy step of :func:`read_edgelist`
_EDGE_BLOCK = 2**20


class CLIError(Exception):
    """A user error: printed as ``skembed <command>: error: ...``, exit 2."""


def _input_files(path, what="-train", directory=True):
    if not os.path.exists(path):
        raise CLIError(f"{what} {path!r}: no such file or directory")
    if os.path.isdir(path):
        if not directory:
            raise CLIError(f"{what} {path!r}: is a directory; expected a file")
        files = sorted(
            os.path.join(root, f)
            for root, _, names in os.walk(path)
            for f in names
            if not f.startswith(".")
        )
        if not files:
            raise CLIError(f"{what} {path!r}: the directory holds no file")
        return files
    return [path]


def _check_output(path, what):
    """Fail before training, not after, when the output cannot be written."""
    folder = os.path.dirname(os.path.abspath(path))
    if os.path.isdir(path):
        raise CLIError(f"{what} {path!r}: is a directory; expected a file name")
    if not os.path.isdir(folder):
        raise CLIError(f"{what} {path!r}: the directory {folder!r} does not exist")
    if not os.access(folder, os.W_OK) or (
        os.path.exists(path) and not os.access(path, os.W_OK)
    ):
        raise CLIError(f"{what} {path!r}: not writable (permission denied)")


def _decode_error_at(name, encoding):
    """``(line, byte offset, bad bytes)`` of the first bytes of a file that do
    not decode, found again in binary (the text reader decodes ahead in
    chunks, so its own position is not the line's)."""
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    offset = 0
    lineno = 0
    with open_input(name) as f:
        for lineno, raw in enumerate(f, 1):
            try:
                decoder.decode(raw)
            except UnicodeDecodeError as exc:
                return lineno, offset + exc.start, raw[exc.start : exc.end + 3]
            offset += len(raw)
    try:
        decoder.decode(b"", True)
    except UnicodeDecodeError:
        return max(lineno, 1), offset, b""
    return None


def _read_lines(name, encoding, errors, what):
    """Yield ``(line number, line)`` of a text file; every way a file can be
    unreadable becomes one clear :class:`CLIError` naming it."""
    try:
        raw = open_input(name)
    except IsADirectoryError:
        raise CLIError(f"{what} {name!r}: is a directory; expected a file") from None
    except OSError as exc:
        raise CLIError(f"{what} {name!r}: cannot read: {exc.strerror or exc}") from None
    compressed = not isinstance(raw, io.BufferedReader)
    with io.TextIOWrapper(raw, encoding=encoding, errors=errors) as f:
        try:
            for lineno, line in enumerate(f, 1):
                if "\x00" in line:
                    raise CLIError(
                        f"{what} {name!r}, line {lineno}: a NUL byte; this looks "
                        "like a binary file, not text"
                    )
                yield lineno, line
        except UnicodeDecodeError as exc:
            with open_input(name) as head:
                if b"\x00" in head.read(8192):
                    raise CLIError(
                        f"{what} {name!r}: NUL bytes; this looks like a binary "
                        "file, not text"
                    ) from None
            at = bad = ""
            where = _decode_error_at(name, encoding)
            if where is not None:
                of = " of the decompressed text" if compressed else ""
                at = f", line {where[0]} (byte offset {where[1]}{of})"
                bad = f" {where[2]!r}" if where[2] else ""
            raise CLIError(
                f"{what} {name!r}{at}: bytes not valid {encoding}{bad} "
                f"({exc.reason}); pass --encoding (e.g. latin-1) or "
                "--decode-errors replace"
            ) from None
        except (OSError, EOFError, zlib.error, lzma.LZMAError) as exc:
            damaged = " (a truncated or damaged archive?)" if compressed else ""
            raise CLIError(
                f"{what} {name!r}: cannot read{damaged}: "
                f"{getattr(exc, 'strerror', None) or exc}"
            ) from None


class _Lines:
    """Re-iterable over the non-empty lines of text files (streamed)."""

    def __init__(self, files, encoding, errors, what="-train"):
        self.files, self.encoding, self.errors = files, encoding, errors
        self.what = what
        self.n_lines = 0

    def __iter__(self):
        self.n_lines = 0
        for name in self.files:
            for _, line in _read_lines(name, self.encoding, self.errors, self.what):
                if line.strip():
                    self.n_lines += 1
                    yield line

    def check_not_empty(self, path):
        """A clear error for input without a single non-blank line."""
        for _ in self:
            return
        raise CLIError(
            f"{self.what} {path!r}: no text found (empty, or only blank lines)"
        )


class _Baskets(_Lines):
    """Re-iterable over the baskets (item lists) of the non-empty lines."""

    def __iter__(self):
        for line in super().__iter__():
            yield line.split()


# ------------------------------------------------------------------ flags
class _HelpFormatter(argparse.HelpFormatter):
    """Shows each flag under the names its ecosystems use (``-size,
    --dimensions``), not under every accepted spelling."""

    def _format_action_invocation(self, action):
        shown = getattr(action, "shown", None)
        if not shown:
            return super()._format_action_invocation(action)
        if action.nargs == 0:
            return ", ".join(shown)
        args = self._format_args(action, self._get_default_metavar_for_optional(action))
        return ", ".join(shown) + " " + args


def _spellings(names):
    """Every accepted spelling of the flags ``names``: one dash or two, ``-``
    or ``_`` between words."""
    flags = list(names)  # as written first: argparse's usage line shows it
    for name in names:
        bare = name.lstrip("-")
        for word in (bare, bare.replace("-", "_"), bare.replace("_", "-")):
            for dash in ("-", "--"):
                if dash + word not in flags:
                    flags.append(dash + word)
    return flags


def _opt(parser, *names, **kw):
    """A flag under ``names`` (shown in the help as written) and all their
    spellings."""
    action = parser.add_argument(*_spellings(names), **kw)
    action.shown = names
    return action


def _yes_no(text):
    value = text.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise argparse.ArgumentTypeError(f"expected 0 or 1, got {text!r}")


def _switch(parser, *names, default=False, help=None, dest=None):
    """A yes/no flag: ``--binary`` (pecanpy style) or ``-binary 1``
    (word2vec.c style)."""
    kw = {} if dest is None else {"dest": dest}
    return _opt(parser, *names, type=_yes_no, nargs="?", const=True,
                default=default, metavar="0|1", help=help, **kw)


def _names(c_style, *names):
    """``names`` as word2vec.c / LINE users write them (one dash first) or,
    for the pecanpy-style commands, with the two-dash names first."""
    if c_style:
        return names
    return sorted(names, key=lambda name: not name.startswith("--"))


def _add_output(p, required=True, c_style=False):
    _opt(p, *_names(c_style, "-output", "--output"), dest="output",
         required=required,
         metavar="FILE",
         help="where to write the vectors: the word2vec text format (gensim's "
         "load_word2vec_format reads it), binary with -binary 1, or pecanpy's "
         ".npz (arrays IDs, data) when FILE ends with .npz")
    _switch(p, *_names(c_style, "-binary", "--binary"),
            help="1: the word2vec binary format (0)")


def _add_run(p, c_style=False):
    """Threads, seed, verbosity and input decoding: the same in every
    subcommand."""
    _opt(p, *_names(c_style, "-threads", "--workers"), dest="threads", type=int,
         default=0, metavar="N",
         help="threads; 0 = every core (the default, as pecanpy's --workers); "
         "1 trains bit-reproducibly for a seed")
    _opt(p, *_names(c_style, "-seed", "--seed", "--random_state"), dest="seed",
         type=int, default=1, metavar="N", help="random seed (1)")
    _opt(p, *_names(c_style, "-debug", "--verbose"), dest="verbose", type=int,
         nargs="?", const=2, default=None, metavar="N",
         help="progress on stderr: 0 none, 1 a line per epoch, 2 also lines "
         "within epochs (percent, rate, time left); the default is 2 when "
         "stderr is a terminal, else 1; --verbose alone is 2")
    _opt(p, "--quiet", dest="verbose", action="store_const", const=0,
         help="no progress output (-debug 0)")
    _opt(p, "--encoding", dest="encoding", default="utf-8",
         help="input encoding (utf-8); bytes that are not valid in it stop the "
         "run with the file, line and byte offset")
    _opt(p, "--decode-errors", dest="decode_errors", default="strict",
         choices=["strict", "replace", "ignore"],
         help="what to do with bytes that are not valid in --encoding (strict)")


def _add_graph_input(p, weighted_help, weighted=False, c_style=False):
    input_names = ("-train", "--input") if c_style else ("--input", "-train")
    _opt(p, *input_names, dest="input", required=True, metavar="FILE",
         help="edge list: 'src dst [weight]' lines (also .gz / .bz2 / .xz; # "
         "comments and blank lines skipped), or pecanpy's .npz graph (CSR: "
         "IDs, data, indptr, indices; dense: IDs, data)")
    _switch(p, "--weighted", "-weighted", default=weighted, help=weighted_help)
    _switch(p, "--directed", "-directed",
            help="directed graph (walks follow src -> dst); default undirected")
    _opt(p, "--delimiter", "-delimiter", dest="delimiter", default=None,
         metavar="SEP",
         help="column separator; '\\t' is a tab (default: any white space or "
         "comma, which covers pecanpy's tab)")
    _switch(p, "--header", "-header", default=None,
            help="1: the first line is a header (skipped); 0: it is an edge; "
            "default: detected (a first line whose ids or weight do not parse "
            "as the lines below it do), and said on stderr")


def _add_walks(p, dimensions=128):
    _opt(p, "--dimensions", "-size", "--representation-size", dest="dimensions",
         type=int, default=dimensions, metavar="N",
         help=f"dimensions ({dimensions})")
    _opt(p, "--walk-length", dest="walk_length", type=int, default=80, metavar="N",
         help="steps per walk, as pecanpy: a walk holds N + 1 nodes (80)")
    _opt(p, "--num-walks", "--number-walks", dest="num_walks", type=int,
         default=10, metavar="N", help="walks per node (10)")
    _opt(p, "--window-size", "-window", dest="window", type=int, default=10,
         metavar="N", help="skip-gram window (10)")
    _opt(p, "--epochs", "-iter", dest="epochs", type=int, default=1, metavar="N",
         help="epochs of skip-gram over the walks (1)")
    _opt(p, "--negative", "-negative", dest="negative", type=int, default=5,
         metavar="N", help="negative samples (5, gensim's, as pecanpy)")
    _opt(p, "--task", dest="task", default="pecanpy",
         choices=["pecanpy", "tocsr", "todense"],
         help="pecanpy: train (default); tocsr / todense: only convert the edge "
         "list to pecanpy's .npz graph (--output FILE.npz)")


def _parser():
    parser = argparse.ArgumentParser(
        prog="skembed", allow_abbrev=False, formatter_class=_HelpFormatter,
        description="Train embeddings from the command line, with the flags of "
        "word2vec.c, pecanpy and LINE; vectors are written in the word2vec "
        "text/binary format (gensim's load_word2vec_format reads them).",
    )
    parser.add_argument("--version", action="version",
                        version=f"skembed {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def command(name, **kw):
        return sub.add_parser(name, allow_abbrev=False,
                              formatter_class=_HelpFormatter, **kw)

    w = command(
        "word2vec", help="word vectors from a text file or directory",
        description="word2vec (CBOW or skip-gram, negative sampling) with the "
        "flags and defaults of word2vec.c: one sentence per line, words "
        "separated by white space. A directory means every file in it. "
        "Differences: no </s> row in the output, lines longer than 1000 words "
        "are not cut, with -read-vocab the counts that drive subsampling and "
        "negative sampling are those of the text (the same when the file came "
        "from -save-vocab on it), -classes is not implemented.",
    )
    _opt(w, "-train", "--input", dest="input", required=True, metavar="PATH",
         help="text file or directory (also .gz / .bz2 / .xz)")
    _add_output(w, required=False, c_style=True)
    _opt(w, "-size", "--dimensions", dest="dimensions", type=int, default=100,
         metavar="N", help="dimensions (100)")
    _opt(w, "-window", "--window-size", dest="window", type=int, default=5,
         metavar="N", help="window (5)")
    _opt(w, "-sample", dest="sample", type=float, default=1e-3, metavar="X",
         help="subsampling threshold (1e-3; 0 disables)")
    _opt(w, "-hs", dest="hs", type=int, choices=[0, 1], default=0,
         help="1: hierarchical softmax (0)")
    _opt(w, "-negative", dest="negative", type=int, default=5, metavar="N",
         help="negative samples (5)")
    _opt(w, "-iter", "--epochs", dest="epochs", type=int, default=5, metavar="N",
         help="epochs (5)")
    _opt(w, "-min-count", dest="min_count", type=int, default=5, metavar="N",
         help="discard words seen fewer times (5)")
    _opt(w, "-alpha", "--learning-rate", dest="alpha", type=float, default=None,
         metavar="X", help="start learning rate (0.05 CBOW, 0.025 skip-gram)")
    _opt(w, "-classes", dest="classes", type=int, default=0, metavar="N",
         help="word classes instead of vectors (not implemented: 0 only)")
    _switch(w, "-cbow", default=True, help="1 CBOW (default), 0 skip-gram")
    _opt(w, "-save-vocab", dest="save_vocab", metavar="FILE",
         help="write the vocabulary ('word count' lines, word2vec.c's format); "
         "without -output only the vocabulary is built")
    _opt(w, "-read-vocab", dest="read_vocab", metavar="FILE",
         help="train only the words of this vocabulary file whose count there "
         "is at least -min-count")
    _opt(w, "-accuracy", dest="accuracy", metavar="FILE",
         help="report the analogy accuracy on these questions "
         "(questions-words.txt format; gensim's standalone flag)")
    _switch(w, "-lowercase", help="1 lowercases the text first (0, as word2vec.c)")
    _add_run(w, c_style=True)

    weighted_help = ("read a third column as edge weights (finite, >= 0); "
                     "without it a third column is ignored, as pecanpy")
    n = command(
        "node2vec", help="node vectors from an edge list (pecanpy's flags)",
        description="node2vec with the flags, defaults and files of pecanpy: an "
        "edge list or pecanpy's .npz graph in, word2vec text or .npz vectors "
        "out. A malformed line stops the run with its line number.",
    )
    _add_graph_input(n, weighted_help)
    _add_output(n)
    _add_walks(n)
    _opt(n, "--p", dest="p", type=float, default=1.0, metavar="X",
         help="return parameter (1)")
    _opt(n, "--q", dest="q", type=float, default=1.0, metavar="X",
         help="in-out parameter (1)")
    _opt(n, "--mode", dest="mode", default="SparseOTF", choices=sorted(_MODES),
         help="pecanpy's execution mode: SparseOTF / DenseOTF draw second-order "
         "steps on the fly (sampler='rejection', default), PreComp precomputes "
         "alias tables (sampler='alias'); the FirstOrder modes need p = q = 1")
    _switch(n, "--extend", help="node2vec+ (not implemented)")
    _opt(n, "--gamma", dest="gamma", type=float, default=0.0, metavar="X",
         help="node2vec+ noise threshold (only with --extend)")
    _add_run(n)

    d = command(
        "deepwalk", help="node vectors from uniform random walks",
        description="DeepWalk: node2vec's flags and files without --p / --q "
        "(uniform walks, skip-gram with negative sampling).",
    )
    _add_graph_input(d, weighted_help)
    _add_output(d)
    _add_walks(d)
    _add_run(d)

    li = command(
        "line", help="node vectors by edge sampling (LINE's flags)",
        description="LINE with the flags and defaults of the reference "
        "implementation (-order 2, -size 100, -samples 1 million). The reference "
        "reads every line as an arc; here edges are undirected unless "
        "--directed.",
    )
    _add_graph_input(li, "use the third column as weights (default: when "
                     "the lines have one, as LINE's input always does)",
                     weighted=None, c_style=True)
    _add_output(li, c_style=True)
    _opt(li, "-size", "--dimensions", dest="dimensions", type=int, default=100,
         metavar="N", help="dimensions (100)")
    _opt(li, "-order", "--order", dest="order", default="2",
         choices=["1", "2", "both"],
         help="1 first-order, 2 second-order (default), both: LINE(1st+2nd)")
    _opt(li, "-negative", "--negative", dest="negative", type=int, default=5,
         metavar="N", help="negative samples (5)")
    _opt(li, "-samples", "--samples", dest="samples", type=float, default=1.0,
         metavar="M", help="million edge samples per order (1)")
    _opt(li, "-rho", "--learning-rate", dest="rho", type=float, default=0.025,
         metavar="X", help="start learning rate (0.025)")
    _add_run(li, c_style=True)

    i = command(
        "item2vec", help="item vectors from baskets",
        description="Item2vec: one basket (session, playlist) per line, item "
        "ids separated by white space. By default each item takes 10 context "
        "items drawn from its basket each epoch (--context set, --n-context).",
    )
    _opt(i, "--input", "-train", dest="input", required=True, metavar="PATH",
         help="basket file or directory (also .gz / .bz2 / .xz)")
    _add_output(i)
    _opt(i, "--dimensions", "-size", dest="dimensions", type=int, default=64,
         metavar="N", help="dimensions (64)")
    _opt(i, "--context", dest="context", choices=["set", "sequence", "shuffle"],
         default="set", help="context of an item (set)")
    _opt(i, "--window", "--window-size", dest="window", type=int, default=5,
         metavar="N", help="window for sequence/shuffle (5)")
    _opt(i, "--n-context", dest="n_context", type=int, default=10, metavar="N",
         help="with --context set: context items drawn from the basket per "
         "item and epoch (10); 0: every other item (all pairs)")
    _opt(i, "--max-context", dest="max_context", type=int, default=None,
         metavar="N",
         help="with --context set and --n-context 0: at most this many context "
         "items per item, drawn anew each epoch (default: every other item)")
    _opt(i, "--negative", "-negative", dest="negative", type=int, default=5,
         metavar="N", help="negatives (5)")
    _opt(i, "--min-count", "-min-count", dest="min_count", type=int, default=1,
         metavar="N", help="discard rarer items (1)")
    _opt(i, "--epochs", "-iter", dest="epochs", type=int, default=None,
         metavar="N", help="epochs (the estimator's default)")
    _add_run(i)
    return parser


# ---------------------------------------------------------------- helpers
def _check_positive(**values):
    for flag, value in values.items():
        if value is not None and value <= 0:
            raise CLIError(f"{flag} must be positive, got {value}")


def _n_jobs(threads):
    """pecanpy's and our ``0`` is every core: joblib's ``-1``."""
    return -1 if threads == 0 else threads


def _log(args, message):
    Progress(f"skembed {args.command}", args.verbose).log(message)


def _save(keys, vectors, args, counts=None):
    """Write vectors as word2vec text / binary or pecanpy's ``.npz``."""
    path = args.output
    try:
        if path.lower().endswith(".npz"):
            np.savez(path, IDs=np.array([str(k) for k in keys]), data=vectors)
        else:
            KeyedVectors(list(keys), vectors, counts=counts).save_word2vec_format(
                path, binary=bool(args.binary)
            )
    except OSError as exc:
        raise CLIError(f"cannot write {path!r}: {exc.strerror or exc}") from exc
    _log(args, f"wrote {len(keys):,} vectors of {vectors.shape[1]} dimensions "
         f"to {path}")


# --------------------------------------------------------------- word2vec
class _Split:
    """word2vec.c's tokens: split on white space, optionally lowercased, and
    (``-read-vocab``) only the words of a fixed vocabulary -- others are
    skipped before windows are taken, as word2vec.c skips them."""

    def __init__(self, lowercase=False, vocabulary=None):
        self.lowercase, self.vocabulary = lowercase, vocabulary

    def __call__(self, text):
        words = (text.lower() if self.lowercase else text).split()
        if self.vocabulary is None:
            return words
        return [word for word in words if word in self.vocabulary]


def _read_vocab(path, min_count):
    _input_files(path, "-read-vocab", directory=False)
    try:
        table = read_vocab(path)
    except (ValueError, UnicodeDecodeError) as exc:
        raise CLIError(f"-read-vocab {path!r}: {exc}") from None
    table.pop("</s>", None)  # word2vec.c's sentence end: not a word here
    known = {word for word, count in table.items() if count >= min_count}
    if not known:
        raise CLIError(
            f"-read-vocab {path!r}: no word has a count >= -min-count {min_count} "
            f"(the file lists {len(table):,} words)"
        )
    return known


def _save_vocab(path, keys, counts, n_lines):
    """word2vec.c's ``-save-vocab`` file: ``</s>`` (one per line of text)
    first, then the words by decreasing count."""
    order = np.argsort(-np.asarray(counts), kind="stable")
    try:
        write_vocab(path, ["</s>"] + [keys[k] for k in order],
                    [n_lines] + [int(counts[k]) for k in order])
    except OSError as exc:
        raise CLIError(f"cannot write {path!r}: {exc.strerror or exc}") from exc


def _word2vec(args):
    _check_positive(**{"-size": args.dimensions, "-window": args.window,
                       "-iter": args.epochs, "-min-count": args.min_count})
    if args.negative < 0 or (args.negative == 0 and not args.hs):
        raise CLIError(f"-negative must be positive (or 0 with -hs 1), got "
                       f"{args.negative}")
    if args.classes:
        raise CLIError(
            f"-classes {args.classes}: word classes are not implemented; write "
            "the vectors (-classes 0) and cluster them, e.g. with "
            "sklearn.cluster.KMeans"
        )
    if args.output is None and args.save_vocab is None:
        raise CLIError("-output FILE is required (or -save-vocab FILE alone, to "
                       "only build the vocabulary, as word2vec.c)")
    files = _input_files(args.input)
    for flag in ("output", "save_vocab"):
        if getattr(args, flag) is not None:
            _check_output(getattr(args, flag), "-" + flag.replace("_", "-"))
    lines = _Lines(files, args.encoding, args.decode_errors)
    lines.check_not_empty(args.input)
    split, min_count = _Split(args.lowercase), args.min_count
    if args.read_vocab is not None:
        split = _Split(args.lowercase, _read_vocab(args.read_vocab, min_count))
        min_count = 1  # the vocabulary is the file's
    if args.output is None:  # word2vec.c: -save-vocab without -output
        counts = Counter(word for line in lines for word in split(line))
        keys = [word for word, count in counts.items() if count >= min_count]
        _save_vocab(args.save_vocab, keys, [counts[k] for k in keys], lines.n_lines)
        _log(args, f"wrote the vocabulary of {len(keys):,} words to "
             f"{args.save_vocab}")
        return
    params = dict(
        analyzer=split, n_components=args.dimensions, window=args.window,
        negative=args.negative, min_count=min_count, sample=args.sample,
        n_epochs=args.epochs, algorithm="cbow" if args.cbow else "skipgram",
        learning_rate=args.alpha or (0.05 if args.cbow else 0.025),
        n_jobs=_n_jobs(args.threads), random_state=args.seed,
        verbose=args.verbose,
    )
    if args.hs:
        params["hs"] = True
    model = Word2VecVectorizer(**params)
    _log(args, f"training on {len(files)} file(s)")
    t0 = time.perf_counter()
    try:
        model.fit(lines)
    except _NoVocabularyError as exc:
        raise CLIError(
            f"-train {args.input!r}: no word occurs -min-count {args.min_count} "
            f"times or more in its {exc.n_docs:,} lines (words are separated by "
            "white space); lower -min-count"
        ) from None
    wv = model.wv_
    _log(args, f"trained {len(wv):,} words in {time.perf_counter() - t0:.1f}s")
    _save(wv.index_to_key, wv.vectors, args, counts=wv.counts)
    if args.save_vocab is not None:
        _save_vocab(args.save_vocab, wv.index_to_key, wv.counts, lines.n_lines)
    if args.accuracy is not None:
        _input_files(args.accuracy, "-accuracy", directory=False)
        score, sections = wv.evaluate_word_analogies(args.accuracy)
        n = sum(len(s["correct"]) + len(s["incorrect"]) for s in sections[-1:])
        # stderr, as every message: stdout stays empty
        Progress(f"skembed {args.command}", 1).log(
            f"analogy accuracy {score:.4f} on {n:,} questions of {args.accuracy}"
        )


# ------------------------------------------------------------- edge lists
#: the data lines read ahead of the first one to tell a header
_HEADER_LOOKAHEAD = 100
#: first-line fields that name columns rather than nodes
_HEADER_WORDS = frozenset(
    "source target src dst from to node1 node2 node_1 node_2 head tail id1 id2 "
    "sender receiver start end begin weight".split()
)


def _is_number(text):
    try:
        float(text)
    except ValueError:
        return False
    return True


def _header_reason(first, below):
    """Why the fields ``first`` of the first data line look like a header,
    given the fields of the lines ``below`` it; None if they do not."""
    for col in range(min(len(first), 3)):
        values = [row[col] for row in below if len(row) > col]
        if values and all(map(_is_number, values)) and not _is_number(first[col]):
            return (f"column {col + 1} holds numbers below it, "
                    f"{first[col]!r} is not one")
    if len(first) >= 2 and all(f.lower() in _HEADER_WORDS for f in first[:2]):
        return "its fields are column names"
    return None


def _edge_rows(path, encoding, errors, delimiter):
    """``(line number, fields, text)`` of the data lines of an edge list."""
    for lineno, line in _read_lines(path, encoding, errors, "--input"):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        if delimiter is None:
            fields = text.replace(",", " ").split()
        else:
            fields = [field.strip() for field in text.split(delimiter)]
        yield lineno, fields, text


def _skip_header(rows, path, header, log):
    """``rows`` without a first line that is a header: forced (``header``
    True / False) or detected, and then said through ``log``."""
    first = next(rows, None)
    if first is None:
        return rows
    ahead = list(itertools.islice(rows, _HEADER_LOOKAHEAD))
    reason = header and "--header 1"
    if header is None:
        reason = _header_reason(first[1], [row[1] for row in ahead])
    if not reason:
        return itertools.chain([first], ahead, rows)
    if log is not None:
        log(f"--input {path!r}: skipped line {first[0]} {first[2][:80]!r} as a "
            f"header ({reason}); --header 0 reads it as an edge")
    return itertools.chain(ahead, rows)


def read_edgelist(path, weighted, encoding="utf-8", errors="strict", *,
                  delimiter=None, header=None, log=None):
    """Read 'src dst [weight]' lines; returns ``(edges, weights or None, names)``.

    Blank lines and lines starting with ``#`` are skipped; columns are
    separated by ``delimiter``, or by default by white space or commas. A
    first line that is a header (``header=True``, or detected when
    ``header=None``: its ids or weight do not parse as those of the lines
    below, or it names columns) is skipped and said through ``log``.
    Without ``weighted`` a third column is ignored; ``weighted=None`` reads
    it when the first edge has one. Weights must be finite, non-negative
    numbers.

    Streamed: ``edges`` is an ``(n_edges, 2)`` int32 array of node codes
    (rows of ``names``, the node ids as str) and ``weights`` float64, so the
    memory is 8 (16 weighted) bytes per edge plus one dictionary entry per
    node -- no Python object per edge. Codes number the nodes in order of
    first appearance as a source, then as a target only: the order in which
    the estimator numbers string ids of an edge list.
    """
    index = defaultdict(itertools.count().__next__)
    lookup = index.__getitem__
    ends = array(_INT32)  # src, dst of each edge
    weights = array("d")
    rows = _skip_header(_edge_rows(path, encoding, errors, delimiter), path,
                        header, log)
    for lineno, parts, line in rows:
        if weighted is None:
            weighted = len(parts) >= 3
        need = 3 if weighted else 2
        if len(parts) < need or len(parts) > 3 or not all(parts[:need]):
            sep = "white space or commas" if delimiter is None else repr(delimiter)
            raise CLIError(
                f"--input {path!r}, line {lineno}: expected "
                f"{'src dst weight' if weighted else 'src dst [weight]'}, "
                f"got {len(parts)} column(s) in {line[:80]!r} (separated by "
                f"{sep}; see --delimiter)"
            )
        ends.append(lookup(parts[0]))
        ends.append(lookup(parts[1]))
        if weighted:
            try:
                w = float(parts[2])
            except ValueError:
                raise CLIError(
                    f"--input {path!r}, line {lineno}: weight {parts[2]!r} "
                    "is not a number"
                ) from None
            if not w >= 0 or w == float("inf"):
                raise CLIError(
                    f"--input {path!r}, line {lineno}: weight {parts[2]!r} must "
                    "be a finite number >= 0"
                )
            weights.append(w)
    if not ends:
        raise CLIError(
            f"--input {path!r}: no edge found (empty, or only blank and # "
            "comment lines)"
        )
    # a writable view of the array's buffer: renumbered in place
    edges = np.frombuffer(ends, dtype=np.int32).reshape(-1, 2)
    n_edges, n_nodes = edges.shape[0], len(index)
    # renumber: first appearance as a source, then (never a source) as a target
    first = np.full((2, n_nodes), n_edges, dtype=np.int64)
    for start in range(0, n_edges, _EDGE_BLOCK):
        stop = min(start + _EDGE_BLOCK, n_edges)
        position = np.arange(start, stop)
        np.minimum.at(first[0], edges[start:stop, 0], position)
        np.minimum.at(first[1], edges[start:stop, 1], position)
    key = np.where(first[0] < n_edges, first[0], n_edges + first[1])
    del first
    order = np.argsort(key, kind="stable")
    rank = np.empty(n_nodes, dtype=np.int32)
    rank[order] = np.arange(n_nodes, dtype=np.int32)
    for start in range(0, n_edges, _EDGE_BLOCK):
        block = edges[start : start + _EDGE_BLOCK]
        block[...] = rank[block]
    keys = list(index)
    del index
    names = [keys[i] for i in order.tolist()]
    w = np.frombuffer(weights, dtype=np.float64) if weighted else None
    return edges, w, names


def _read_npz_graph(path, weighted):
    """pecanpy's ``.npz`` graphs: CSR (``IDs``, ``data``, ``indptr``,
    ``indices``) or dense (``IDs``, ``data``); rows are out-edges. With
    ``weighted=False`` every edge weighs 1, as pecanpy."""
    try:
        with np.load(path, allow_pickle=False) as raw:
            arrays = {key: raw[key] for key in raw.files}
    except (OSError, ValueError) as exc:
        raise CLIError(f"--input {path!r}: not a readable .npz file: {exc}") from None
    names = [str(x) for x in arrays.get("IDs", np.zeros(0)).tolist()]
    n = len(names)
    if {"IDs", "data", "indptr", "indices"} <= arrays.keys():
        data, indptr = arrays["data"], arrays["indptr"]
        if indptr.shape != (n + 1,) or data.shape != arrays["indices"].shape:
            raise CLIError(
                f"--input {path!r}: a CSR graph needs indptr of length len(IDs) + "
                f"1 = {n + 1} and data as long as indices; got {indptr.shape} and "
                f"{data.shape} / {arrays['indices'].shape}"
            )
        graph = sp.csr_matrix(
            (data.astype(np.float64), arrays["indices"].astype(np.int64),
             indptr.astype(np.int64)), shape=(n, n),
        )
    elif {"IDs", "data"} <= arrays.keys() and arrays["data"].shape == (n, n):
        graph = sp.csr_matrix(arrays["data"].astype(np.float64))
    else:
        raise CLIError(
            f"--input {path!r}: expected pecanpy's .npz graph, arrays IDs, data, "
            "indptr, indices (CSR) or IDs and an n x n data (dense); got arrays "
            f"{sorted(arrays)}"
        )
    if weighted is False:  # None (line): the file's weights
        graph.data[:] = 1.0
    return graph, names


def _read_graph(args):
    """The graph of ``--input`` for an estimator, and the node names by
    estimator row (``nodes_`` are codes or matrix rows)."""
    _input_files(args.input, "--input", directory=False)
    if args.input.lower().endswith(".npz"):
        graph, names = _read_npz_graph(args.input, args.weighted)
        _log(args, f"read {graph.nnz:,} arcs between {len(names):,} nodes")
        return graph, names
    codes, weights, names = read_edgelist(
        args.input, args.weighted, args.encoding, args.decode_errors,
        delimiter=_delimiter(args.delimiter), header=args.header,
        log=lambda message: _log(args, message),
    )
    # integer codes: the estimator numbers them in sorted order, which is
    # the order read_edgelist gave them (that of string ids)
    columns = {"source": codes[:, 0], "target": codes[:, 1]}
    if weights is not None:
        columns["weight"] = weights
    edges = pd.DataFrame(columns, copy=False)
    _log(args, f"read {len(edges):,} edges")
    return edges, names


def _delimiter(text):
    if text is None:
        return None
    text = text.replace("\\t", "\t")
    if not text:
        raise CLIError("--delimiter: expected a separator, got ''")
    return text


def _to_pecanpy_npz(args):
    """``--task tocsr / todense``: pecanpy's conversions of an edge list."""
    _check_output(args.output, "--output")
    edges, names = _read_graph(args)
    if sp.issparse(edges):
        graph = edges
    else:
        frame = edges.rename(columns={"source": "u", "target": "v"})
        if "weight" not in frame:
            frame["weight"] = 1.0
        if not args.directed:
            back = frame.rename(columns={"u": "v", "v": "u"})
            frame = pd.concat([frame, back[frame.columns]], ignore_index=True)
        # a repeated edge takes its last weight, as pecanpy
        frame = frame.drop_duplicates(["u", "v"], keep="last")
        graph = sp.csr_matrix(
            (frame["weight"].to_numpy(), (frame["u"], frame["v"])),
            shape=(len(names), len(names)),
        )
        graph.sort_indices()
    ids = np.array(names)
    try:
        if args.task == "tocsr":
            np.savez(args.output, IDs=ids, data=graph.data.astype(np.float32),
                     indptr=graph.indptr.astype(np.uint32),
                     indices=graph.indices.astype(np.uint32))
        else:
            np.savez(args.output, IDs=ids, data=graph.toarray())
    except OSError as exc:
        raise CLIError(f"cannot write {args.output!r}: {exc.strerror or exc}") from exc
    _log(args, f"wrote the graph of {len(names):,} nodes to {args.output}")


# ------------------------------------------------------------ graph runs
#: pecanpy's --mode -> Node2VecEmbedder(sampler=...); None: p = q = 1 only
_MODES = {
    "SparseOTF": "rejection",
    "DenseOTF": "rejection",
    "PreComp": "alias",
    "PreCompFirstOrder": None,
    "FirstOrderUnweighted": None,
}


def _walk_params(args):
    _check_positive(**{"--dimensions": args.dimensions,
                       "--walk-length": args.walk_length,
                       "--num-walks": args.num_walks,
                       "--window-size": args.window, "--epochs": args.epochs,
                       "--negative": args.negative})
    return dict(
        n_components=args.dimensions,
        # pecanpy's walk-length counts steps; ours counts nodes
        walk_length=args.walk_length + 1, n_walks=args.num_walks,
        window=args.window, n_epochs=args.epochs, negative=args.negative,
        n_jobs=_n_jobs(args.threads), random_state=args.seed,
        verbose=args.verbose,
    )


def _fit_graph(args, model):
    """Read the graph, fit ``model`` on it, write the vectors."""
    if getattr(args, "task", "pecanpy") != "pecanpy":
        return _to_pecanpy_npz(args)
    _check_output(args.output, "--output")
    graph, names = _read_graph(args)
    # a matrix is walked along its rows (pecanpy's .npz); None: its symmetry
    model.set_params(directed=True if args.directed else None)
    vectors = model.fit_transform(graph)
    _save([names[i] for i in model.nodes_.tolist()], vectors, args)


def _node2vec(args):
    _check_positive(**{"--p": args.p, "--q": args.q})
    if args.extend:
        raise CLIError("--extend: node2vec+ is not implemented in skembed; drop "
                       "--extend for node2vec")
    first_order = args.p == 1 and args.q == 1
    if _MODES[args.mode] is None and not first_order:
        raise CLIError(f"--mode {args.mode} needs --p 1 --q 1 (first-order "
                       f"walks), as pecanpy; got --p {args.p} --q {args.q}")
    if args.mode == "FirstOrderUnweighted" and args.weighted:
        raise CLIError("--mode FirstOrderUnweighted needs an unweighted graph, "
                       "as pecanpy; drop --weighted or pick another --mode")
    model = Node2VecEmbedder(**_walk_params(args), p=args.p, q=args.q,
                             sampler=_MODES[args.mode] or "rejection")
    _fit_graph(args, model)


def _deepwalk(args):
    _fit_graph(args, DeepWalkEmbedder(**_walk_params(args)))


def _line(args):
    _check_positive(**{"-size": args.dimensions, "-negative": args.negative,
                       "-samples": args.samples, "-rho": args.rho})
    model = LINEEmbedder(
        n_components=args.dimensions,
        order="both" if args.order == "both" else int(args.order),
        n_samples=max(1, round(args.samples * 1e6)), negative=args.negative,
        learning_rate=args.rho, n_jobs=_n_jobs(args.threads),
        random_state=args.seed, verbose=args.verbose,
    )
    _fit_graph(args, model)


# ---------------------------------------------------------------- item2vec
def _item2vec(args):
    _check_positive(**{"--dimensions": args.dimensions, "--window": args.window,
                       "--negative": args.negative, "--min-count": args.min_count,
                       "--epochs": args.epochs, "--max-context": args.max_context})
    if args.n_context < 0:
        raise CLIError(f"--n-context must be >= 0; got {args.n_context}")
    files = _input_files(args.input, "--input")
    _check_output(args.output, "--output")
    baskets = _Baskets(files, args.encoding, args.decode_errors, "--input")
    for _ in baskets:
        break
    else:
        raise CLIError(
            f"--input {args.input!r}: no basket found (empty, or only blank lines)"
        )
    params = dict(
        n_components=args.dimensions, context=args.context, window=args.window,
        negative=args.negative, min_count=args.min_count,
        n_jobs=_n_jobs(args.threads), max_context=args.max_context,
        n_context=args.n_context or None, random_state=args.seed,
        verbose=args.verbose,
    )
    if args.epochs is not None:
        params["n_epochs"] = args.epochs
    # streamed from the files in one pass (no list of baskets)
    try:
        model = Item2VecTransformer(**params).fit(baskets)
    except ValueError as exc:  # the pruning error, in the flag's words
        raise CLIError(str(exc).replace(f"min_count={args.min_count}",
                                        f"--min-count {args.min_count}")) from None
    _log(args, f"read {model.n_baskets_:,} baskets")
    _save(model.wv_.index_to_key, model.wv_.vectors, args)


#: estimator parameter -> the flag that sets it, per command
_FLAGS = {
    "n_components": "-size / --dimensions", "window": "-window / --window-size",
    "negative": "-negative", "min_count": "-min-count", "sample": "-sample",
    "n_epochs": "-iter / --epochs", "n_jobs": "-threads / --workers",
    "random_state": "-seed / --seed", "walk_length": "--walk-length",
    "n_walks": "--num-walks", "p": "--p", "q": "--q", "n_samples": "-samples",
    "order": "-order", "n_context": "--n-context", "max_context": "--max-context",
}
_LEARNING_RATE = {"word2vec": "-alpha", "line": "-rho"}


def _in_flags(exc, args):
    """An estimator's parameter error, in the command's flags: "The
    'learning_rate' parameter of Word2VecVectorizer must be ..." becomes
    "-alpha must be ..."."""
    message = str(exc)
    found = re.match(r"The '(\w+)' parameter of \w+ must be", message)
    if found is None:
        return message
    name = found.group(1)
    flag = _FLAGS.get(name)
    if name == "learning_rate":
        flag = _LEARNING_RATE.get(args.command)
    if flag is None:
        return message
    return flag + message[found.end() - len(" must be"):]


_COMMANDS = {
    "word2vec": _word2vec,
    "node2vec": _node2vec,
    "deepwalk": _deepwalk,
    "line": _line,
    "item2vec": _item2vec,
}


def _stderr_is_terminal():
    isatty = getattr(sys.stderr, "isatty", None)
    return bool(isatty and isatty())


def main(argv=None):
    parser = _parser()
    args = parser.parse_args(argv)
    if getattr(args, "verbose", 0) is None:
        # a person watching a terminal sees the work move; a log file gets
        # one line per epoch
        args.verbose = 2 if _stderr_is_terminal() else 1
    try:
        try:
            codecs.lookup(args.encoding)
        except LookupError:
            raise CLIError(f"--encoding {args.encoding!r}: unknown encoding") from None
        _COMMANDS[args.command](args)
    except CLIError as exc:
        parser.exit(2, f"skembed {args.command}: error: {exc}\n")
    except (ValueError, TypeError) as exc:  # estimator parameter/input errors
        parser.exit(2, f"skembed {args.command}: error: {_in_flags(exc, args)}\n")
    except OSError as exc:  # e.g. the disk filled up while writing
        parser.exit(1, f"skembed {args.command}: error: {exc}\n")
    except MemoryError:
        parser.exit(1, f"skembed {args.command}: error: out of memory\n")
    return 0
