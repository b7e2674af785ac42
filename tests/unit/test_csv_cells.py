"""What a spreadsheet shows of visitors' and users' text: formulas quoted, bidi controls visible."""

from __future__ import annotations

import csv
import io

import pytest

from partnerka.common.bidi import show_bidi_controls
from partnerka.stats.exports import write_csv

EVERY_CONTROL = {
    "\u202a": "[U+202A]",  # left-to-right embedding
    "\u202b": "[U+202B]",  # right-to-left embedding
    "\u202c": "[U+202C]",  # pop directional formatting
    "\u202d": "[U+202D]",  # left-to-right override
    "\u202e": "[U+202E]",  # right-to-left override
    "\u2066": "[U+2066]",  # left-to-right isolate
    "\u2067": "[U+2067]",  # right-to-left isolate
    "\u2068": "[U+2068]",  # first strong isolate
    "\u2069": "[U+2069]",  # pop directional isolate
    "\u200e": "[U+200E]",  # left-to-right mark
    "\u200f": "[U+200F]",  # right-to-left mark
    "\u061c": "[U+061C]",  # Arabic letter mark
}


def written(*cells: str) -> list[str]:
    out = io.StringIO()
    write_csv([["header"] * len(cells), list(cells)], out, lambda _: None)
    return next(row for i, row in enumerate(csv.reader(io.StringIO(out.getvalue()))) if i == 1)


@pytest.mark.parametrize(("control", "shown"), sorted(EVERY_CONTROL.items()))
def test_every_bidi_control_is_written_as_its_code_point(control: str, shown: str) -> None:
    assert written(f"a{control}b") == [f"a{shown}b"]


def test_a_spoofed_file_name_reads_as_it_is_stored() -> None:
    assert written("invoice\u202efdp.exe", "\u2067x\u2069y") == [
        "invoice[U+202E]fdp.exe",
        "[U+2067]x[U+2069]y",
    ]


def test_formulas_are_still_quoted_and_numbers_stay_numbers() -> None:
    assert written("=1+1", "@SUM(A1)", "-12.50", "-x", "\u202e=1+1") == [
        "'=1+1",
        "'@SUM(A1)",
        "-12.50",
        "'-x",
        "[U+202E]=1+1",  # begins with the visible code: nothing for a spreadsheet to run
    ]


def test_other_text_passes_unchanged() -> None:
    text = "Кроссовки — שלום مرحبا 😀 \u00a0 \u200b"  # right-to-left letters themselves are not controls
    assert show_bidi_controls(text) == text
    assert written(text) == [text]
