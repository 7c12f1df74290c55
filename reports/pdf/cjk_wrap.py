"""Chinese line breaking for every paragraph: reportlab's two CJK splitters (textsplit.dumbSplit for a
paragraph of one style, paragraph.cjkFragSplit for mixed styles; reportlab 5.x) with the rule it lacks — an opening bracket or quote never ends a line (GB/T 15834
practice), so "副科长（" / "主持工作）" reads "副科长" / "（主持工作）"; and when a closing mark hangs
at the line end, a second one after it (as in "），") hangs with it instead of starting the next line. The rest is reportlab's own
algorithm, kept line for line: the width check, the search back for a break inside Latin text, and
the hanging of a character that may not start a line (pdf_common widens that set)."""

from __future__ import annotations

from functools import partial
from unicodedata import category

from reportlab.lib import textsplit
from reportlab.platypus import paragraph

NO_LINE_END = "（《「『“‘〈【〔([{"


def _width(u, max_width: float) -> float:
    w = u.width
    if hasattr(w, "normalizedValue"):
        w._normalizer = max_width
        w = w.normalizedValue(max_width)
    return w


def _glyph_width(glyphs, max_width: float, k: int) -> float:
    return _width(glyphs[k], max_width)


def _break(chars, width, line_start: int, i: int, u: str, w: float, extra_space: float) -> tuple[int, float]:
    """Where a line that overflowed at ``chars[i - 1]`` (``u``, ``w`` wide) ends: (the next line's start,
    the line's spare width). ``chars`` is a string or reportlab's glyphs, ``width(k)`` the width of the
    k-th; the same rule for both splitters."""
    if ord(u) < 0x3000:  # inside Latin text: break after a space or before CJK, as reportlab does
        for j in range(i - 1, (line_start + i) >> 1, -1):
            cj = chars[j]
            if cj and category(cj) == "Zs" or ord(cj) >= 0x3000:
                k = j + 1
                if k < i:
                    j = k + 1
                    extra_space += sum(width(ii) for ii in range(j, i))
                    w, u, i = width(k), chars[k], j
                    break
    cannot_start = paragraph.ALL_CANNOT_START  # textsplit's is the same (pdf_common widens both)
    if u not in cannot_start and i > line_start + 1:
        i -= 1  # the overflowing character starts the next line
        extra_space += w
        while i - 1 > line_start + 1 and chars[i - 1] in NO_LINE_END:
            i -= 1  # an opening bracket goes down with it
            extra_space += width(i)
    elif i < len(chars) and chars[i] in cannot_start:  # "），": both hang
        extra_space -= width(i)
        i += 1
    return i, extra_space


def cjk_frag_split(frags, maxWidths, calcBounds, encoding="utf8"):  # noqa: N803 - reportlab's signature
    glyphs = []
    for f in frags:
        text = f.text
        if isinstance(text, bytes):
            text = text.decode(encoding)
        if text:
            glyphs.extend(paragraph.cjkU(t, f, encoding) for t in text)
        else:
            glyphs.append(paragraph.cjkU(text, f, encoding))
    lines = []
    i = width_used = line_start = 0
    max_width = maxWidths[0]
    count = len(glyphs)
    while i < count:
        u = glyphs[i]
        i += 1
        w = _width(u, max_width)
        width_used += w
        line_break = hasattr(u.frag, "lineBreak")
        if not ((width_used > max_width + paragraph._FUZZ and width_used > 0) or line_break):
            continue
        extra_space = max_width - width_used
        if not line_break:
            i, extra_space = _break(glyphs, partial(_glyph_width, glyphs, max_width), line_start, i, u, w, extra_space)
        lines.append(paragraph.makeCJKParaLine(glyphs[line_start:i], max_width, width_used, extra_space,
                                               line_break, calcBounds))
        max_width = maxWidths[min(len(lines), len(maxWidths) - 1)]
        line_start = i
        width_used = 0
    if width_used > 0:
        lines.append(paragraph.makeCJKParaLine(glyphs[line_start:], max_width, width_used, max_width - width_used,
                                               False, calcBounds))
    return paragraph.ParaLines(kind=1, lines=lines)


def dumb_split(word: str, widths: list[float], maxWidths):  # noqa: N803 - reportlab's signature
    if not isinstance(maxWidths, (list, tuple)):
        maxWidths = [maxWidths]  # noqa: N806
    lines = []
    i = width_used = line_start = 0
    max_width = maxWidths[0]
    count = len(word)
    while i < count:
        w = widths[i]
        c = word[i]
        width_used += w
        i += 1
        if not (width_used > max_width + textsplit._FUZZ and width_used > 0):
            continue
        extra_space = max_width - width_used
        i, extra_space = _break(word, widths.__getitem__, line_start, i, c, w, extra_space)
        lines.append([extra_space, word[line_start:i].strip()])
        max_width = maxWidths[min(len(lines), len(maxWidths) - 1)]
        line_start = i
        width_used = 0
    if width_used > 0:
        lines.append([max_width - width_used, word[line_start:]])
    return lines


def install() -> None:
    textsplit.dumbSplit = dumb_split
    paragraph.cjkFragSplit = cjk_frag_split
