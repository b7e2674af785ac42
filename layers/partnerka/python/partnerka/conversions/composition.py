"""Builds the conversions context's storage from the settings."""

from __future__ import annotations

from partnerka.common.config import Settings
from partnerka.conversions.repository import ConversionRepository


def conversions_repository(settings: Settings) -> ConversionRepository:
    return ConversionRepository(settings.conversions_table)
