"""What the word-based text vectorizers share.

:class:`Word2VecVectorizer`, :class:`FastTextVectorizer` and
:class:`Doc2VecVectorizer` take scikit-learn's ``CountVectorizer`` text
parameters (``input``, ``lowercase``, ``token_pattern``, ``analyzer``...);
:class:`_TextMixin` turns them into token lists once, for all three.
"""

import numpy as np

from .._compat import StrOptions
from .._progress import Progress
from ._analyzer import build_analyzer, iter_documents

__all__ = ["TEXT_CONSTRAINTS", "_TextMixin", "l2_normalize_rows"]

#: ``_parameter_constraints`` of the ``CountVectorizer``-style parameters
#: that :class:`_TextMixin` reads
TEXT_CONSTRAINTS = {
    "input": [StrOptions({"content", "filename", "file"})],
    "encoding": [str],
    "decode_error": [StrOptions({"strict", "ignore", "replace"})],
    "lowercase": ["boolean"],
    "token_pattern": [str],
    "stop_words": [StrOptions({"english"}), list, None],
    "preprocessor": [callable, None],
    "tokenizer": [StrOptions({"cjk", "jieba"}), callable, None],
    "analyzer": [StrOptions({"word"}), callable],
}


def l2_normalize_rows(out):
    """Scale the non-zero rows of the float32 matrix ``out`` to unit length,
    in place (norms summed in float64); return ``out``."""
    norms = np.sqrt(np.einsum("ij,ij->i", out, out, dtype=np.float64))
    nonzero = norms > 0
    out[nonzero] /= norms[nonzero, None].astype(np.float32)
    return out


class _TextMixin:
    """Analyzer, token lists, messages and input tags of a text vectorizer.

    The class defines the ``CountVectorizer``-style parameters and
    ``verbose``.
    """

    def build_analyzer(self):
        """Return the callable ``str -> list of str`` used on raw text.

        An ``analyzer`` other than ``"word"`` or a callable (e.g.
        ``"char"``) raises a ``ValueError``, as ``fit`` does.

        Returns
        -------
        analyzer : callable
        """
        return build_analyzer(
            lowercase=self.lowercase,
            token_pattern=self.token_pattern,
            stop_words=self.stop_words,
            preprocessor=self.preprocessor,
            tokenizer=self.tokenizer,
            analyzer=self.analyzer,
        )

    def _token_lists(self, docs):
        """Token lists of the checked documents ``docs`` (read from files
        first when ``input`` says so)."""
        return iter_documents(
            docs,
            self.build_analyzer(),
            input=self.input,
            encoding=self.encoding,
            decode_error=self.decode_error,
        )

    def _log(self, message):
        Progress(type(self).__name__, self.verbose).log(message)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        return tags
