"""The reports bucket's files (exports, summaries, invoices' PDFs), downloaded by links signed here."""

from __future__ import annotations

from dataclasses import dataclass

from composition import service
from partnerka.common.config import read_settings
from partnerka.stats.report_files import BucketFiles


@dataclass(frozen=True, slots=True)
class ReportFileSettings:
    reports_bucket: str


@service
def report_files() -> BucketFiles:
    return BucketFiles(read_settings(ReportFileSettings).reports_bucket)
