"""Rule-based sentence splitting for English, Chinese and mixed text.

No model and no dictionary: a handful of rules that are right on edited
prose and conservative where a rule cannot tell (an abbreviation at the end
of a sentence stays joined to the next sentence rather than splitting
``Mr. Smith``).

Chinese (and any text where the character before the mark is a CJK
character): every ``。！？；`` (and the full-width ``．``), or a run of them,
ends a sentence, and so do ``…``/``……`` and ASCII ``. ! ?`` written after a
CJK character. Closing quotes and brackets right after the mark stay with
the sentence (``他说：“好。”`` is one sentence).

English: ``.``, ``!``, ``?`` (or a run such as ``?!``), followed by optional
closing quotes/brackets, end a sentence when whitespace and then an
upper-case letter, an opening quote or bracket, or a CJK character follow
(or a CJK character follows at once, or the text ends). A ``.`` does not end
a sentence after a known abbreviation (``Mr.``, ``Dr.``, ``e.g.``,
``et al.``, ...), a single upper-case initial (``J. R. R. Tolkien``) or a
dotted acronym (``U.S.``, ``a.m.``); decimals (``3.14``) never match because
no space follows the point; an ellipsis (``...`` or ``…`` after a Latin
character) never ends a sentence. A list number (``1.`` at the start of a
sentence or after a colon) never ends a sentence, and a sentence ends before
the next list number (``Open it. 2. Close it.``).

Line breaks: with ``line_breaks="sentence"`` (the default) every line break
ends a sentence (titles, list items and lines of verse stay apart); with
``"paragraph"`` only blank lines do, and a single line break inside a
paragraph is a space (hard-wrapped English text), or nothing between two CJK
characters.
"""

import re

from ._analyzer import CJK_CHARACTERS

__all__ = ["split_sentences"]

#: Words whose trailing period is not the end of a sentence (compared in
#: lower case, without the period). Only words that are rarely the last word
#: of a sentence: not "etc.", "Inc." or month names, which often are, and not
#: "No.", "Fig.", "p." which precede a number (no split before a digit anyway).
ABBREVIATIONS = frozenset(
    """mr mrs ms mx dr prof sr jr st mt messrs mme mlle gen gov sen rep rev hon
    capt lt col cmdr adm sgt cpl maj pres supt vs cf al approx ca viz e.g i.e
    eg ie esp incl""".split()
)

_CJK_CHAR = re.compile(f"[{CJK_CHARACTERS}]")
#: a run of sentence marks followed by closing quotes and brackets
_BOUNDARY = re.compile(
    "(?P<marks>[。！？；．!?.…‥]+)(?P<closers>[\"'”’」』）)\\]】》〉〕｝}]*)"
)
#: marks that end a sentence whatever follows (the full-width "．" only after
#: a CJK character, as it also appears in numbers)
_CJK_MARKS = frozenset("。！？；")
#: white space, then opening quotes, brackets or a bullet, before a
#: sentence's first letter
_LEAD = re.compile("\\s+[\"'“‘(\\[「『（【《•‣◦▪]*\\s*")
#: the Latin word (with inner dots: "e.g", "U.S") right before a period
_WORD_BEFORE = re.compile(r"[A-Za-z.]*$")
_INITIAL = re.compile(r"^[A-Z]$")
_ACRONYM = re.compile(r"^(?:[A-Za-z]\.)+[A-Za-z]$")
_PARAGRAPH = re.compile(r"\n\s*\n")
_HAS_WORD = re.compile(r"\w")
#: a list number right before a period: alone at the start of the sentence
#: or after a colon ("1. First item", "Steps: 2. Open it")
_ENUMERATOR = re.compile(r"\s*[(\[]?\d{1,3}")
_ENUMERATOR_AFTER_COLON = re.compile(r":\s*[(\[]?\d{1,3}$")
#: a list number and its period, then the item's first letter
_NEXT_ITEM = re.compile(r"\d{1,3}\.\s+[\"'“‘(\[]?[A-Z]")


def _ends_sentence(text, match, begin, last):
    """Whether the marks of ``match`` end a sentence.

    ``begin`` is where the current sentence starts and ``last`` the end of
    the block without its trailing white space. Only a bounded window
    around the match is read, so splitting is linear in the text length.
    """
    marks = match.group("marks")
    start, end = match.span()
    before = text[start - 1] if start > 0 else ""
    if end >= last:
        return True  # the end of the block
    if any(m in _CJK_MARKS for m in marks):
        return True
    if before and _CJK_CHAR.match(before):
        return True  # ASCII or ellipsis marks written after Chinese text
    if _CJK_CHAR.match(text[end]):
        return True  # "It is good.你呢"
    if "…" in marks or "‥" in marks or ".." in marks:
        return False  # an English ellipsis: never a boundary
    if marks == "." and (
        _ENUMERATOR.fullmatch(text, begin, start)  # "1. First item"
        or _ENUMERATOR_AFTER_COLON.search(text, max(begin, start - 12), start)
    ):
        return False  # a list number, not the end of a sentence
    lead = _LEAD.match(text, end)
    if lead is None or lead.end() == len(text):
        return False
    first = text[lead.end()]
    if not (
        first.isupper()
        or _CJK_CHAR.match(first)
        or _NEXT_ITEM.match(text, lead.end())  # "Open it. 2. Close it."
    ):
        return False
    if marks == ".":
        word = _WORD_BEFORE.search(text[max(0, start - 40) : start]).group()
        if word.lower() in ABBREVIATIONS:
            return False
        if _INITIAL.match(word) or _ACRONYM.match(word):
            return False
    return True


def _split_block(block):
    sentences = []
    begin = 0
    last = len(block.rstrip())
    for match in _BOUNDARY.finditer(block):
        if _ends_sentence(block, match, begin, last):
            sentences.append(block[begin : match.end()])
            begin = match.end()
    sentences.append(block[begin:])
    return sentences


def _join_lines(paragraph):
    """Join the lines of a hard-wrapped paragraph (no space between CJK)."""
    lines = [line.strip() for line in paragraph.split("\n")]
    out = ""
    for line in lines:
        if not line:
            continue
        if out and not (_CJK_CHAR.match(out[-1]) and _CJK_CHAR.match(line[0])):
            out += " "
        out += line
    return out


def split_sentences(text, *, line_breaks="sentence"):
    """Split a text into sentences (English, Chinese or both).

    Parameters
    ----------
    text : str
        The text.
    line_breaks : {"sentence", "paragraph"}, default="sentence"
        ``"sentence"``: every line break ends a sentence. ``"paragraph"``:
        only an empty line does; single line breaks are hard wraps.

    Returns
    -------
    list of str
        The sentences in order, stripped of surrounding white space.
        Pieces without any letter or digit (``"***"``, a lone ``"……"``)
        are dropped, so an empty text gives an empty list.

    Examples
    --------
    >>> from skembed import split_sentences
    >>> split_sentences("Mr. Smith paid $3.50 for it. Then he left! Did he?")
    ['Mr. Smith paid $3.50 for it.', 'Then he left!', 'Did he?']
    >>> split_sentences("他说：“今天下雨。”我们没有出门……后来天晴了！")
    ['他说：“今天下雨。”', '我们没有出门……', '后来天晴了！']
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str; got {type(text).__name__}.")
    if line_breaks not in ("sentence", "paragraph"):
        raise ValueError(
            f"line_breaks must be 'sentence' or 'paragraph'; got {line_breaks!r}."
        )
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if line_breaks == "sentence":
        blocks = text.split("\n")
    else:
        blocks = [_join_lines(p) for p in _PARAGRAPH.split(text)]
    sentences = []
    for block in blocks:
        for piece in _split_block(block):
            piece = piece.strip()
            if piece and _HAS_WORD.search(piece):
                sentences.append(piece)
    return sentences
