"""ROUGE-1, ROUGE-2 and ROUGE-L (Lin, 2004), written for the benchmarks.

Tokens: for English, lower-cased runs of letters and digits (``[a-z0-9]+``,
as the ``rouge-score`` package without stemming); for Chinese, every CJK
character is a token and runs of Latin letters/digits are words
(character-level ROUGE, the usual choice for Chinese, e.g. LCSTS).
Punctuation is never a token.

* ROUGE-N: n-gram overlap with clipped counts, ``overlap = sum over n-grams
  of min(count in candidate, count in reference)``; precision = overlap /
  candidate n-grams, recall = overlap / reference n-grams, F1 their
  harmonic mean (0 when both are 0).
* ROUGE-L: the longest common subsequence of the two token sequences
  (whole summary as one sequence, not the per-sentence union "ROUGE-Lsum");
  precision = LCS / candidate length, recall = LCS / reference length,
  F1 as above.
"""

import re
from collections import Counter

__all__ = ["rouge_n", "rouge_l", "rouge_scores", "tokenize"]

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af"
_ZH_TOKEN = re.compile(f"[{_CJK}]|[a-z0-9]+")
_EN_TOKEN = re.compile(r"[a-z0-9]+")


def tokenize(text, language="en"):
    """Lower-cased word tokens (``"en"``) or CJK characters + words (``"zh"``)."""
    text = text.lower()
    if language == "zh":
        return _ZH_TOKEN.findall(text)
    if language == "en":
        return _EN_TOKEN.findall(text)
    raise ValueError(f"language must be 'en' or 'zh'; got {language!r}.")


def _prf(overlap, n_candidate, n_reference):
    precision = overlap / n_candidate if n_candidate else 0.0
    recall = overlap / n_reference if n_reference else 0.0
    if precision + recall == 0:
        return precision, recall, 0.0
    return precision, recall, 2 * precision * recall / (precision + recall)


def _ngrams(tokens, n):
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def rouge_n(candidate, reference, n=1):
    """``(precision, recall, f1)`` of n-gram overlap of two token lists."""
    cand, ref = _ngrams(candidate, n), _ngrams(reference, n)
    overlap = sum((cand & ref).values())  # Counter & = min of the counts
    return _prf(overlap, sum(cand.values()), sum(ref.values()))


def lcs_length(a, b):
    """Length of the longest common subsequence (O(len(a) * len(b)) time,
    O(len(b)) memory)."""
    if len(a) < len(b):
        a, b = b, a
    previous = [0] * (len(b) + 1)
    for x in a:
        current = [0]
        for j, y in enumerate(b):
            current.append(
                previous[j] + 1 if x == y else max(previous[j + 1], current[j])
            )
        previous = current
    return previous[-1]


def rouge_l(candidate, reference):
    """``(precision, recall, f1)`` of the LCS of two token lists."""
    return _prf(lcs_length(candidate, reference), len(candidate), len(reference))


def rouge_scores(candidate, reference, language="en"):
    """F1 of ROUGE-1, ROUGE-2 and ROUGE-L of two texts, as a dict."""
    cand, ref = tokenize(candidate, language), tokenize(reference, language)
    return {
        "rouge1": rouge_n(cand, ref, 1)[2],
        "rouge2": rouge_n(cand, ref, 2)[2],
        "rougeL": rouge_l(cand, ref)[2],
    }
