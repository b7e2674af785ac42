"""Runs the invoice benchmark in its own interpreter, shows its figures, and checks what it drew:
both languages, every conversion listed (the first and the last), the month's total, and pages that
grow with the conversions (never timings)."""

from __future__ import annotations

import pytest
from pypdf import PdfReader

from tests.bench.runner import run_benchmark
from tests.conftest import Figures

pytestmark = pytest.mark.bench


def test_an_invoice_of_two_thousand_conversions_in_both_languages(figures: Figures) -> None:
    figures = run_benchmark("tests.bench.invoice_bench", figures)
    items = figures["items"]
    assert [row["language"] for row in figures["drawn"]] == ["en", "ru"]
    for row in figures["drawn"]:
        reader = PdfReader(row["path"])
        text = "\n".join(page.extract_text() for page in reader.pages)
        assert f"01BENCH{0:019d}" in text
        assert f"01BENCH{items - 1:019d}" in text
        assert "PK-000042" in text
        # 2,000 conversions, 21 of them reversals: 1,979 - 21 = 1,958 sales of 12.50
        assert "24475.00 USD" in text
        assert items / 60 < len(reader.pages) < items / 20
