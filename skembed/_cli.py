"""Command line: ``python -m skembed`` / ``skembed``.

Three subcommands with the flags their users already type:

* ``word2vec``: the flags of Mikolov's ``word2vec.c`` (``-train``, ``-output``,
  ``-size``, ``-window``, ``-negative``, ``-min-count``, ``-sample``,
  ``-iter``, ``-threads``, ``-cbow``, ``-binary``, ``-alpha``, ``-seed``);
* ``node2vec``: pecanpy's flags (``--input``, ``--output``, ``--dimensions``,
  ``--walk-length``, ``--num-walks``, ``--window-size``, ``--epochs``,
  ``--p``, ``--q``, ``--weighted``, ``--directed``, ``--workers``);
* ``item2vec``: one basket per line, items separated by white space.

Each writes vectors in the word2vec text (or binary) format that gensim's
``KeyedVectors.load_word2vec_format`` reads.

Exit status 0 on success, 2 with one line ``skembed <command>: error: ...``
on stderr for a usage or input error (a missing, empty, binary or
undecodable input file -- with its line and byte offset --, a malformed
edge-list line, an output folder that does not exist; all checked before
training), 1 for an error of the system while running (disk full, out of
memory). No traceback is printed for any of these.
"""

import argparse
import codecs
import itertools
import os
import time
from array import array
from collections import defaultdict

import numpy as np
import pandas as pd

from ._graph._node2vec import Node2VecEmbedder
from ._items._item2vec import Item2VecTransformer
from ._progress import Progress
from ._text._word2vec import Word2VecVectorizer
from ._vectors._keyedvectors import KeyedVectors

__all__ = ["main"]

_INT32 = "i" if array("i").itemsize == 4 else "l"
#: edges renumbered per numpy step of :func:`read_edgelist`
_EDGE_BLOCK = 2**20


class CLIError(Exception):
    """A user error: printed as ``skembed <command>: error: ...``, exit 2."""


def _log(args, message):
    Progress(f"skembed {args.command}", 0 if args.quiet else 1).log(message)


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
    with open(name, "rb") as f:
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
        f = open(name, encoding=encoding, errors=errors)
    except IsADirectoryError:
        raise CLIError(f"{what} {name!r}: is a directory; expected a file") from None
    except OSError as exc:
        raise CLIError(f"{what} {name!r}: cannot read: {exc.strerror or exc}") from None
    with f:
        try:
            for lineno, line in enumerate(f, 1):
                if "\x00" in line:
                    raise CLIError(
                        f"{what} {name!r}, line {lineno}: a NUL byte; this looks "
                        "like a binary file, not text"
                    )
                yield lineno, line
        except UnicodeDecodeError as exc:
            at = bad = ""
            where = _decode_error_at(name, encoding)
            if where is not None:
                at = f", line {where[0]} (byte offset {where[1]})"
                bad = f" {where[2]!r}" if where[2] else ""
            raise CLIError(
                f"{what} {name!r}{at}: bytes not valid {encoding}{bad} "
                f"({exc.reason}); pass --encoding (e.g. latin-1) or "
                "--decode-errors replace"
            ) from None
        except OSError as exc:
            raise CLIError(
                f"{what} {name!r}: cannot read: {exc.strerror or exc}"
            ) from None


class _Lines:
    """Re-iterable over the non-empty lines of text files (streamed)."""

    def __init__(self, files, encoding, errors, what="-train"):
        self.files, self.encoding, self.errors = files, encoding, errors
        self.what = what

    def __iter__(self):
        for name in self.files:
            for _, line in _read_lines(name, self.encoding, self.errors, self.what):
                if line.strip():
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


def _add_common(p):
    p.add_argument("-q", "--quiet", action="store_true", help="no progress output")
    p.add_argument(
        "--encoding", default="utf-8",
        help="input encoding (utf-8); bytes that are not valid in it stop the "
        "run with the file, line and byte offset",
    )
    p.add_argument(
        "--decode-errors", default="strict", choices=["strict", "replace", "ignore"],
        help="what to do with bytes that are not valid in --encoding (strict)",
    )


def _add(p, *names, **kw):
    """Accept ``-flag`` (word2vec.c style) and ``--flag`` spellings."""
    flags = []
    for n in names:
        flags += [n] if n.startswith("--") else [n, "-" + n]
    p.add_argument(*flags, **kw)


def _parser():
    parser = argparse.ArgumentParser(
        prog="skembed",
        description="Train embeddings from the command line; vectors are written "
        "in the word2vec text/binary format (gensim's load_word2vec_format reads "
        "them).",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    w = sub.add_parser(
        "word2vec", help="word vectors from a text file or directory",
        description="Train word2vec (skip-gram or CBOW, negative sampling) on "
        "text: one sentence per line, tokens separated by white space (as "
        "word2vec.c). A directory means every file in it.",
    )
    _add(w, "-train", dest="train", required=True, metavar="PATH",
         help="text file or directory")
    _add(w, "-output", dest="output", required=True, metavar="FILE",
         help="where to write the vectors")
    _add(w, "-size", dest="size", type=int, default=100, help="dimensions (100)")
    _add(w, "-window", dest="window", type=int, default=5, help="window (5)")
    _add(w, "-negative", dest="negative", type=int, default=5,
         help="negative samples (5)")
    _add(w, "-min-count", dest="min_count", type=int, default=5,
         help="discard rarer words (5)")
    _add(w, "-sample", dest="sample", type=float, default=1e-3,
         help="subsampling threshold (1e-3; 0 disables)")
    _add(w, "-iter", dest="iter", type=int, default=5, help="epochs (5)")
    _add(w, "-alpha", dest="alpha", type=float, default=None,
         help="start learning rate (0.025 skip-gram, 0.05 CBOW)")
    _add(w, "-threads", dest="threads", type=int, default=1,
         help="threads (1 is reproducible; -1 all cores)")
    _add(w, "-cbow", dest="cbow", type=int, choices=[0, 1], default=0,
         help="1 for CBOW, 0 for skip-gram (0)")
    _add(w, "-binary", dest="binary", type=int, choices=[0, 1], default=0,
         help="1 writes the binary format (0)")
    _add(w, "-seed", dest="seed", type=int, default=1, help="random seed (1)")
    _add(w, "-lowercase", dest="lowercase", type=int, choices=[0, 1], default=0,
         help="1 lowercases the text first (0, as word2vec.c)")
    _add_common(w)

    n = sub.add_parser(
        "node2vec", help="node vectors from an edge list",
        description="Node2vec (DeepWalk when p = q = 1) on an edge list: one "
        "edge per line, 'src dst' or 'src dst weight', separated by white space, "
        "commas or tabs; blank lines and lines starting with # are skipped. A "
        "malformed line stops the run with its line number (exit status 2).",
    )
    n.add_argument("--input", required=True, metavar="FILE", help="edge list")
    n.add_argument("--output", required=True, metavar="FILE", help="vectors file")
    n.add_argument("--dimensions", type=int, default=128, help="dimensions (128)")
    n.add_argument("--walk-length", type=int, default=80,
                   help="nodes per walk (80)")
    n.add_argument("--num-walks", type=int, default=10,
                   help="walks per node (10)")
    n.add_argument("--window-size", type=int, default=10, help="window (10)")
    n.add_argument("--epochs", type=int, default=1, help="epochs (1)")
    n.add_argument("--p", type=float, default=1.0, help="return parameter (1)")
    n.add_argument("--q", type=float, default=1.0, help="in-out parameter (1)")
    n.add_argument("--weighted", action="store_true",
                   help="read a weight column (finite, >= 0); without it a "
                   "third column is ignored")
    n.add_argument("--directed", action="store_true", help="directed graph")
    n.add_argument("--workers", type=int, default=1, help="threads (1)")
    n.add_argument("--seed", type=int, default=1, help="random seed (1)")
    n.add_argument("--binary", action="store_true", help="binary output")
    _add_common(n)

    i = sub.add_parser(
        "item2vec", help="item vectors from baskets",
        description="Item2vec: one basket (session, playlist) per line, item "
        "ids separated by white space. By default every other item of the "
        "basket is context (--context set).",
    )
    i.add_argument("--input", required=True, metavar="PATH",
                   help="basket file or directory")
    i.add_argument("--output", required=True, metavar="FILE", help="vectors file")
    i.add_argument("--dimensions", type=int, default=64, help="dimensions (64)")
    i.add_argument("--context", choices=["set", "sequence", "shuffle"],
                   default="set", help="context of an item (set)")
    i.add_argument("--window", type=int, default=5,
                   help="window for sequence/shuffle (5)")
    i.add_argument("--max-context", type=int, default=None,
                   help="with --context set: at most this many context items per "
                   "item, drawn anew each epoch (default: every other item)")
    i.add_argument("--negative", type=int, default=5, help="negatives (5)")
    i.add_argument("--min-count", type=int, default=1,
                   help="discard rarer items (1)")
    i.add_argument("--epochs", type=int, default=None,
                   help="epochs (the estimator's default)")
    i.add_argument("--workers", type=int, default=1, help="threads (1)")
    i.add_argument("--seed", type=int, default=1, help="random seed (1)")
    i.add_argument("--binary", action="store_true", help="binary output")
    _add_common(i)
    return parser


def _check_positive(args, **values):
    for flag, value in values.items():
        if value is not None and value <= 0:
            raise CLIError(f"{flag} must be positive, got {value}")


def _save(kv, path, binary, args):
    try:
        kv.save_word2vec_format(path, binary=bool(binary))
    except OSError as exc:
        raise CLIError(f"cannot write {path!r}: {exc.strerror or exc}") from exc
    _log(args, f"wrote {len(kv):,} vectors of {kv.vector_size} dimensions to {path}")


def _lower_split(text):
    return text.lower().split()


def _word2vec(args):
    _check_positive(args, **{"-size": args.size, "-window": args.window,
                             "-negative": args.negative, "-iter": args.iter,
                             "-min-count": args.min_count})
    files = _input_files(args.train)
    _check_output(args.output, "-output")
    lines = _Lines(files, args.encoding, args.decode_errors)
    lines.check_not_empty(args.train)
    model = Word2VecVectorizer(
        analyzer=_lower_split if args.lowercase else str.split,
        n_components=args.size, window=args.window, negative=args.negative,
        min_count=args.min_count, sample=args.sample, n_epochs=args.iter,
        algorithm="cbow" if args.cbow else "skipgram",
        learning_rate=args.alpha if args.alpha else (0.05 if args.cbow else 0.025),
        n_jobs=args.threads, random_state=args.seed, verbose=0 if args.quiet else 1,
    )
    _log(args, f"training on {len(files)} file(s)")
    t0 = time.perf_counter()
    model.fit(lines)
    _log(args, f"trained {len(model.wv_):,} words in {time.perf_counter() - t0:.1f}s")
    _save(model.wv_, args.output, args.binary, args)


def read_edgelist(path, weighted, encoding="utf-8", errors="strict"):
    """Read 'src dst [weight]' lines; returns ``(edges, weights or None, names)``.

    Blank lines and lines starting with ``#`` are skipped; columns are
    separated by white space or commas. Without ``weighted`` a third column
    is ignored. Weights must be finite, non-negative numbers.

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
    need = 3 if weighted else 2
    for lineno, line in _read_lines(path, encoding, errors, "--input"):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.replace(",", " ").split()
        if len(parts) < need or len(parts) > 3:
            raise CLIError(
                f"--input {path!r}, line {lineno}: expected "
                f"{'src dst weight' if weighted else 'src dst [weight]'}, "
                f"got {len(parts)} column(s) in {line[:80]!r}"
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


def _node2vec(args):
    _check_positive(args, **{"--dimensions": args.dimensions,
                             "--walk-length": args.walk_length,
                             "--num-walks": args.num_walks,
                             "--window-size": args.window_size,
                             "--epochs": args.epochs, "--p": args.p, "--q": args.q})
    _input_files(args.input, "--input", directory=False)
    _check_output(args.output, "--output")
    codes, weights, names = read_edgelist(args.input, args.weighted, args.encoding,
                                          args.decode_errors)
    # integer codes: the estimator numbers them in sorted order, which is
    # the order read_edgelist gave them (that of string ids)
    columns = {"source": codes[:, 0], "target": codes[:, 1]}
    if weights is not None:
        columns["weight"] = weights
    edges = pd.DataFrame(columns, copy=False)
    del codes, columns
    _log(args, f"read {len(edges):,} edges")
    model = Node2VecEmbedder(
        n_components=args.dimensions, walk_length=args.walk_length,
        n_walks=args.num_walks, window=args.window_size, n_epochs=args.epochs,
        p=args.p, q=args.q, directed=args.directed, n_jobs=args.workers,
        random_state=args.seed, verbose=0 if args.quiet else 1,
    )
    vectors = model.fit_transform(edges)
    kv = KeyedVectors([names[i] for i in model.nodes_.tolist()], vectors)
    _save(kv, args.output, args.binary, args)


def _item2vec(args):
    _check_positive(args, **{"--dimensions": args.dimensions,
                             "--window": args.window, "--negative": args.negative,
                             "--min-count": args.min_count, "--epochs": args.epochs,
                             "--max-context": args.max_context})
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
        negative=args.negative, min_count=args.min_count, n_jobs=args.workers,
        max_context=args.max_context,
        random_state=args.seed, verbose=0 if args.quiet else 1,
    )
    if args.epochs is not None:
        params["n_epochs"] = args.epochs
    # streamed from the files in one pass (no list of baskets)
    model = Item2VecTransformer(**params).fit(baskets)
    _log(args, f"read {model.n_baskets_:,} baskets")
    _save(model.wv_, args.output, args.binary, args)


def main(argv=None):
    parser = _parser()
    args = parser.parse_args(argv)
    run = {"word2vec": _word2vec, "node2vec": _node2vec, "item2vec": _item2vec}
    try:
        try:
            codecs.lookup(args.encoding)
        except LookupError:
            raise CLIError(f"--encoding {args.encoding!r}: unknown encoding") from None
        run[args.command](args)
    except CLIError as exc:
        parser.exit(2, f"skembed {args.command}: error: {exc}\n")
    except (ValueError, TypeError) as exc:  # estimator parameter/input errors
        parser.exit(2, f"skembed {args.command}: error: {exc}\n")
    except OSError as exc:  # e.g. the disk filled up while writing
        parser.exit(1, f"skembed {args.command}: error: {exc}\n")
    except MemoryError:
        parser.exit(1, f"skembed {args.command}: error: out of memory\n")
    return 0
