"""PDF text in reading order, rebuilt from glyph positions (pdfminer.six, pure Python).

Why not a library's own text output: measured on the CV corpus (``bench/corpus/cv/measure_extractors.py``,
table in ``ai_tools/documents/README.md``), pypdf and pdfplumber glue words where a design tool or a tight
template leaves narrow word gaps and draws no space characters ("Ledtheplatformmigration"), and
pdfminer's own layout analysis moves right-aligned dates away from their role. So we take the glyphs and
their boxes from pdfminer and do three small things ourselves:

1. **Columns**: a page is split at a gutter when many text runs start at the same x in the middle of the
   page and (almost) no run crosses it over that height; the left column is read before the right one.
   Text above or below the columns (a name and contact line across the page) stays where it is.
2. **Lines**: glyphs whose vertical centres agree within a third of their height form a line, so a date
   right-aligned on the role's baseline stays on the role's line.
3. **Spaces**: a space goes where the PDF drew one, or where the gap between two glyphs is wider than
   ``WORD_GAP_EM`` of the font size (or twice the line's typical gap, for letter-spaced headings; or half
   the line's ordinary word gap where it has them, so TeX's kerning is not taken for a space).
4. **Wrapped lines**: inside a column, a line whose first word would not have fitted at the end of the line
   above continues it (never after a sentence end, a date or a hyphen; never a bullet or a heading).
"""

import io
import statistics
from collections import Counter
from dataclasses import dataclass

from .text_repair import ENDS_WITH_DATE, is_heading

WORD_GAP_EM = 0.06  # tight design-tool word gaps measured 0.09 em; glyphs inside a word touch (|gap| < 0.03 em)
COLUMN_MIN_STARTS = 4  # runs that must start at the same x for it to be a column's left edge
COLUMN_MAX_CROSSING_SHARE = 0.1  # a line may overflow into the gutter now and then


@dataclass(slots=True)
class Glyph:
    text: str
    x0: float
    x1: float
    y0: float
    y1: float
    size: float
    space_before: bool  # the PDF drew a space character right before this glyph
    mid: float  # vertical centre


def pdf_pages_text(data: bytes, *, max_pages: int = 0) -> list[str]:
    """The text of each page, in reading order. Raises what pdfminer raises on a PDF it cannot read."""
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage

    resources = PDFResourceManager(caching=True)
    device = _GlyphCollector(resources)
    device.chars, device.fonts = {}, []
    interpreter = PDFPageInterpreter(resources, device)
    pages = []
    for page in PDFPage.get_pages(io.BytesIO(data), maxpages=max_pages, password=""):
        device.glyphs, device.seen, device.pending_space = [], set(), False
        interpreter.process_page(page)
        (x0, _, x1, _) = page.mediabox
        pages.append(page_text(device.glyphs, abs(x1 - x0)))
    return pages


def _collector_class():
    """pdfminer's layout device, cut down to what we need: glyph boxes, no layout objects, no shapes or images
    (building pdfminer's LTChar objects was most of the extraction time)."""
    from pdfminer.converter import PDFLayoutAnalyzer
    from pdfminer.pdffont import PDFUnicodeNotDefined
    from pdfminer.utils import apply_matrix_rect

    class GlyphCollector(PDFLayoutAnalyzer):
        glyphs: list[Glyph]
        seen: set[tuple]
        pending_space: bool
        chars: dict[tuple[int, int], tuple[float, str, bool, float]]
        fonts: list

        def render_char(self, matrix, font, fontsize, scaling, rise, cid, ncs, graphicstate) -> float:
            known = self.chars.get((id(font), cid))
            if known is None:  # per font and character code: width, text, vertical, descent
                try:
                    text = font.to_unichr(cid)
                except PDFUnicodeNotDefined:
                    text = f"(cid:{cid})"
                known = (font.char_width(cid), text, font.is_vertical(), font.get_descent())
                self.chars[(id(font), cid)] = known
                self.fonts.append(font)  # keeps id(font) unique while the run lasts
            width, text, vertical, descent = known
            adv = width * fontsize * scaling
            a, b, c, d, e, f = matrix
            if vertical or not (a * d * scaling > 0 and b * c <= 0):
                return adv  # vertical or rotated text is not part of the reading flow
            if not text.strip():
                self.pending_space = True
                return adv
            bottom = descent * fontsize + rise
            if b == 0 and c == 0:  # the usual case: scale and move only
                x0, x1 = e, a * adv + e
                y0, y1 = d * bottom + f, d * (bottom + fontsize) + f
                if x1 < x0:
                    x0, x1 = x1, x0
                if y1 < y0:
                    y0, y1 = y1, y0
            else:
                x0, y0, x1, y1 = apply_matrix_rect(matrix, (0, bottom, adv, bottom + fontsize))
                x0, x1 = min(x0, x1), max(x0, x1)
                y0, y1 = min(y0, y1), max(y0, y1)
            key = (text, int(x0 * 10), int(y0 * 10))
            if key not in self.seen:  # fake bold: the same glyph printed twice at the same spot
                self.seen.add(key)
                self.glyphs.append(Glyph(text, x0, x1, y0, y1, max(y1 - y0, 1.0), self.pending_space, (y0 + y1) / 2))
            self.pending_space = False
            return adv

        def paint_path(self, *args, **kwargs) -> None:
            return None

        def render_image(self, *args, **kwargs) -> None:
            return None

    return GlyphCollector


def _GlyphCollector(resources):  # noqa: N802 - builds the class lazily so pdfminer is imported only when used
    return _collector_class()(resources, laparams=None)


def _lines(glyphs: list[Glyph]) -> list[list[Glyph]]:
    """Glyphs grouped into lines (top to bottom), each sorted left to right."""
    lines: list[list[Glyph]] = []
    current: list[Glyph] = []
    current_mid = 0.0
    for glyph in sorted(glyphs, key=lambda g: -g.mid):
        if current and current_mid - glyph.mid > glyph.size / 3:
            lines.append(sorted(current, key=lambda g: g.x0))
            current = []
        if not current:
            current_mid = glyph.mid
        current.append(glyph)
    if current:
        lines.append(sorted(current, key=lambda g: g.x0))
    return lines


def _word_starts(line: list[Glyph]) -> list[float]:
    """x of every glyph that starts a word (first on the line, or after a space or a gap)."""
    starts = [line[0].x0]
    for previous, glyph in zip(line, line[1:], strict=False):
        if glyph.space_before or glyph.x0 - previous.x1 > 0.2 * glyph.size:
            starts.append(glyph.x0)
    return starts


def _inside_word(line: list[Glyph], x: float) -> bool:
    """True when x falls inside a word of the line (so no column gutter can be there)."""
    for previous, glyph in zip(line, line[1:], strict=False):
        if previous.x0 < x - 1 < glyph.x0 and not glyph.space_before and glyph.x0 - previous.x1 < 0.2 * glyph.size:
            return True
    return any(g.x0 < x - 1 < g.x1 - 0.5 for g in line)


def _line_text(glyphs: list[Glyph]) -> str:
    gaps = [max(0.0, b.x0 - a.x1) for a, b in zip(glyphs, glyphs[1:], strict=False) if not b.space_before]
    typical = statistics.median(gaps) if len(gaps) >= 4 else 0.0
    # Where the line has ordinary word gaps (TeX: ~0.33 em), a gap under half of them is kerning, not a space.
    word_gaps = [gap for gap, b in zip(gaps, glyphs[1:], strict=False) if 0.15 * b.size < gap < 0.8 * b.size]
    spacing = statistics.median(word_gaps) / 2 if len(word_gaps) >= 2 else 0.0
    out = [glyphs[0].text]
    for previous, glyph in zip(glyphs, glyphs[1:], strict=False):
        gap = glyph.x0 - previous.x1
        if glyph.space_before or gap > max(WORD_GAP_EM * glyph.size, 2 * typical, spacing):
            out.append(" ")
        out.append(glyph.text)
    return "".join(out)


def _column_edge(lines: list[list[Glyph]], width: float) -> tuple[float, float, float] | None:
    """(x, top, bottom) of a right column's left edge, or None for a one-column page.

    The edge is an x in the middle of the page where words start on many lines and that falls inside a word
    on (almost) no line between the first and the last of them.
    """
    line_starts = [_word_starts(line) for line in lines]
    starts = Counter(round(x) for xs in line_starts for x in xs if 0.2 * width < x < 0.8 * width)
    best = None
    for x, _ in starts.most_common(8):
        aligned = [line for line, xs in zip(lines, line_starts, strict=True) if any(abs(s - x) <= 1.5 for s in xs)]
        if len(aligned) < COLUMN_MIN_STARTS:
            continue
        top, bottom = max(line[0].mid for line in aligned), min(line[0].mid for line in aligned)
        inside = [line for line in lines if bottom - 2 <= line[0].mid <= top + 2]
        crossing = sum(_inside_word(line, x) for line in inside)
        left = sum(1 for line in inside if line[0].x0 < x - 1.5)
        if crossing > max(1, COLUMN_MAX_CROSSING_SHARE * len(inside)) or left < COLUMN_MIN_STARTS:
            continue
        if best is None or len(aligned) > best[0]:
            best = (len(aligned), float(x), top, bottom)
    return best[1:] if best else None


def page_text(glyphs: list[Glyph], width: float) -> str:
    if not glyphs:
        return ""
    lines = _lines(glyphs)
    edge = _column_edge(lines, width)
    if edge is None:
        return _block_text(lines)
    x, top, bottom = edge
    above, left, right, below = [], [], [], []
    for line in lines:
        mid = line[0].mid
        if mid > top + 2:
            above += line
        elif mid < bottom - 2:
            below += line
        else:
            left += [g for g in line if g.x0 < x - 1.5]
            right += [g for g in line if g.x0 >= x - 1.5]
    return "\n".join(_block_text(_lines(part)) for part in (above, left, right, below) if part)


_SENTENCE_END = (".", "!", "?", ":", ";")
_BULLETS = ("\u2022", "-", "*", "\u25aa", "\u25cf", "\u2023", "\u2043", "\u2219", "(cid:")


def _first_word_width(line: list[Glyph]) -> float:
    end = line[0].x1
    for previous, glyph in zip(line, line[1:], strict=False):
        if glyph.space_before or glyph.x0 - previous.x1 > WORD_GAP_EM * glyph.size:
            break
        end = glyph.x1
    return end - line[0].x0


def _block_text(lines: list[list[Glyph]]) -> str:
    """The lines of one column, with lines that wrapped at the column's right edge joined again.

    A line continues the one above when its first word would not have fitted at the end of that one (a word
    wrap), the line above does not end a sentence, a date or with a hyphen (hyphenation is undone later),
    the spacing is the usual line spacing, and the new line is not indented past it and does not start a
    bullet or a heading.
    """
    texts = [_line_text(line) for line in lines]
    right = max(line[-1].x1 for line in lines)
    out: list[str] = []
    for i, (line, text) in enumerate(zip(lines, texts, strict=True)):
        if i and out:
            previous, previous_text = lines[i - 1], texts[i - 1]
            size = statistics.median(g.size for g in line)
            wrapped = (
                # the first word did not fit above (the column edge is estimated by its longest line: half an em slack)
                previous[-1].x1 + 0.25 * size + _first_word_width(line) > right - 0.5 * size
                and previous[0].mid - line[0].mid <= 1.6 * size
                and line[0].x0 <= previous[0].x0 + 3 * size
                and not previous_text.rstrip().endswith(_SENTENCE_END + ("-",))
                and not ENDS_WITH_DATE.search(previous_text)
                and not text.lstrip().startswith(_BULLETS)
                and not is_heading(text)
                and not is_heading(previous_text)
            )
            if wrapped:
                out[-1] = f"{out[-1]} {text}"
                continue
        out.append(text)
    return "\n".join(out)
