"""The PynamoDB base model for the core table (low-volume, tenant-prefixed entities)."""

from __future__ import annotations

from functools import cache

from pynamodb.attributes import UnicodeAttribute
from pynamodb.connection import Connection
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from partnerka.common.config import get_settings


class Gsi1(GlobalSecondaryIndex["CoreItem"]):  # type: ignore[no-untyped-call]
    """Inverted lookups: an affiliate's memberships, the list of advertisers."""

    class Meta:
        index_name = "gsi1"
        projection = AllProjection()

    gsi1pk = UnicodeAttribute(hash_key=True)
    gsi1sk = UnicodeAttribute(range_key=True)


class CoreItem(Model):
    class Meta:
        table_name = get_settings().core_table

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    gsi1pk = UnicodeAttribute(null=True)
    gsi1sk = UnicodeAttribute(null=True)
    gsi1 = Gsi1()


@cache
def connection() -> Connection:
    """The connection PynamoDB transactions run on (region and endpoint from the environment)."""
    return Connection()
