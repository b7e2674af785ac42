"""Drawing documents as PDF: a table that breaks across pages, and the fonts every document uses.

fpdf2 itself is imported only by the modules that draw (inside their drawing functions), so nothing
that merely imports a document module pays for it; this module takes the document as it is given.
"""

from __future__ import annotations

import os
from typing import Any

FONT = "DejaVu"  # DejaVu Sans (the DocumentsLayer): Latin and Cyrillic


def add_fonts(pdf: Any, fonts_dir: str) -> None:
    """The regular and bold DejaVu Sans of `fonts_dir`, as FONT."""
    pdf.add_font(FONT, "", os.path.join(fonts_dir, "DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", os.path.join(fonts_dir, "DejaVuSans-Bold.ttf"))


class PdfTable:
    """A bordered table drawn row by row, its heading repeated at the top of every page.

    fpdf2's own table breaks every cell's text into lines character by character (twice: to size the
    row, then to draw it), which made an invoice of 2,000 conversions take 10 s to draw. Here a cell
    whose text fits its column (nearly all: dates, ids, amounts) is one measured line, a longer text is
    broken once per distinct text and column, and each row is one measured height.
    """

    _HEADING_FILL = (235, 238, 245)

    def __init__(self, pdf: Any, widths: tuple[float, ...], aligns: str, line_height: float):
        self.pdf, self.widths, self.aligns, self.line_height = pdf, widths, aligns, line_height
        self._heading: list[str] = []
        self._broken: dict[tuple[str, float, str], list[str]] = {}

    def heading(self, texts: list[str]) -> None:
        self._heading = texts
        if self.pdf.will_page_break(2 * self.line_height):  # never a heading alone at a page's foot
            self.pdf.add_page()
        self._draw(texts, emphasis=True)

    def row(self, texts: list[str], emphasis: bool = False) -> None:
        cells = self._lines(texts, emphasis)
        height = self.line_height * max(len(lines) for lines in cells)
        if self.pdf.will_page_break(height):
            self.pdf.add_page()
            self._draw(self._heading, emphasis=True)
        self._draw_lines(cells, height, emphasis)

    def _draw(self, texts: list[str], emphasis: bool) -> None:
        cells = self._lines(texts, emphasis)
        self._draw_lines(cells, self.line_height * max(len(lines) for lines in cells), emphasis)

    def _lines(self, texts: list[str], emphasis: bool) -> list[list[str]]:
        pdf = self.pdf
        style = "B" if emphasis else ""
        pdf.set_font(style=style)
        cells = []
        for text, width in zip(texts, self.widths, strict=True):
            if pdf.get_string_width(text) <= width - 2 * pdf.c_margin:
                cells.append([text])
                continue
            key = (text, width, style)
            if key not in self._broken:
                self._broken[key] = pdf.multi_cell(
                    width, self.line_height, text, dry_run=True, output="LINES"
                )
            cells.append(self._broken[key])
        pdf.set_font(style="")
        return cells

    def _draw_lines(self, cells: list[list[str]], height: float, emphasis: bool) -> None:
        pdf = self.pdf
        x, y = pdf.l_margin, pdf.get_y()
        pdf.set_font(style="B" if emphasis else "")
        if emphasis:
            pdf.set_fill_color(*self._HEADING_FILL)
        for lines, width, align in zip(cells, self.widths, self.aligns, strict=True):
            pdf.rect(x, y, width, height, style="DF" if emphasis else "D")
            for n, line in enumerate(lines):
                pdf.set_xy(x, y + n * self.line_height)
                pdf.cell(width, self.line_height, line, align=align)
            x += width
        pdf.set_font(style="")
        pdf.set_xy(pdf.l_margin, y + height)
