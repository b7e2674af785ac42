"""The review of conversions: listing them, an advertiser's decisions."""

from __future__ import annotations

from dataclasses import dataclass

from composition import audit, service
from composition.names import stored_names
from partnerka.common.config import read_settings
from partnerka.conversions.repository import ConversionRepository
from partnerka.conversions.review import ConversionReview


@dataclass(frozen=True, slots=True)
class ConversionSettings:
    core_table: str
    conversions_table: str


@service
def conversion_review() -> ConversionReview:
    settings = read_settings(ConversionSettings)
    return ConversionReview(
        ConversionRepository(settings.conversions_table), stored_names(settings.core_table), audit()
    )
