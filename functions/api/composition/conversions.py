"""The review of conversions: listing them, an advertiser's decisions; and its fraud rules."""

from __future__ import annotations

from dataclasses import dataclass

from composition import audit, service
from composition.names import stored_names
from partnerka.common.config import read_settings
from partnerka.common.pynamo import use_core_table
from partnerka.conversions.fraud_rules import FraudRuleBook, FraudRuleRepository
from partnerka.conversions.repository import ConversionRepository
from partnerka.conversions.review import ConversionReview
from partnerka.offers.repository import OfferRepository


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


@service
def fraud_rules() -> FraudRuleBook:
    settings = read_settings(ConversionSettings)
    use_core_table(settings.core_table)
    return FraudRuleBook(FraudRuleRepository(settings.core_table), OfferRepository(), audit())
