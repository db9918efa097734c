"""Is a bc-tui database sound? One check shared by `bc-tui db check`, the crash tests and the
UI fuzz, so "sound" means the same thing everywhere.

The store guarantees a file is whole JSON of the right shape; this goes further and checks the
model: a schema version is present, every document reads back as its model, no id appears
twice, and every reference between tables resolves (a member's user exists, an assignment's
member and asset exist, an audit event's Business Center exists, ...). A crash that tore a
transaction in half, or a bug that wrote half a use case, shows up here as a named problem.

The rules are tables, not code, so a new model (billing's, say) adds a line to `UNIQUE` and to
`REFERENCES`. Each problem is one line a person can read: table, document id, what is wrong.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from bc_tui.domain import models as m
from bc_tui.store.database import META_TABLE, SCHEMA_VERSION, Store
from bc_tui.store.records import TABLES, from_doc

__all__ = ["REFERENCES", "UNIQUE", "Reference", "check_integrity"]

#: Fields that identify a document: no two documents of the model may share them.
UNIQUE: dict[type, tuple[tuple[str, ...], ...]] = {
    m.BusinessCenter: (("bc_id",),),
    m.User: (("user_id",), ("user_email",)),
    m.Member: (("bc_id", "user_id"),),
    m.TikTokAccount: (("handle",),),
    m.Asset: (("asset_id",),),
    m.AssetLink: (("bc_id", "asset_type", "asset_id"),),
    m.Assignment: (("bc_id", "user_id", "asset_type", "asset_id"),),
    m.AuthorizationRequest: (("request_id",), ("token",)),
    m.InboxMessage: (("message_id",),),
    m.Phone: (("phone_id",),),
    m.Partner: (("bc_id", "partner_bc_id", "asset_type"),),
    m.AdAccount: (("advertiser_id",),),
    m.PaymentMethod: (("payment_method_id",),),
    m.Transaction: (("transaction_id",),),
    m.Invoice: (("invoice_id",),),
    m.AuditEvent: (("event_id",),),
}


@dataclass(frozen=True, slots=True)
class Reference:
    """`source.fields` must name an existing `target` by its `target_fields`.

    `keys(doc)` gives the target keys a document refers to (several for a partner's asset
    list, none when an optional field is empty); the default reads `fields` as one key.
    """

    source: type
    fields: tuple[str, ...]
    target: type
    target_fields: tuple[str, ...]
    keys: Callable[[dict[str, Any]], Iterable[tuple[Any, ...]]] | None = None

    def keys_of(self, doc: dict[str, Any]) -> Iterable[tuple[Any, ...]]:
        if self.keys is not None:
            return self.keys(doc)
        key = tuple(doc.get(name) for name in self.fields)
        return () if None in key else (key,)


def _bc(source: type) -> Reference:
    return Reference(source, ("bc_id",), m.BusinessCenter, ("bc_id",))


def _link_of_asset(doc: dict[str, Any]) -> Iterable[tuple[Any, ...]]:
    return ((doc.get("bc_id"), doc.get("asset_type"), doc.get("asset_id")),)


def _partner_assets(doc: dict[str, Any]) -> Iterable[tuple[Any, ...]]:
    return ((doc.get("bc_id"), doc.get("asset_type"), asset) for asset in doc.get("asset_ids", ()))


def _billed_accounts(doc: dict[str, Any]) -> Iterable[tuple[Any, ...]]:
    return ((advertiser_id,) for advertiser_id in doc.get("advertiser_ids", ()))


def _linked_asset(asset_type: m.AssetType) -> Callable[[dict[str, Any]], Iterable[tuple[Any]]]:
    """An asset link of one type names an existing asset of that type."""

    def keys(doc: dict[str, Any]) -> Iterable[tuple[Any]]:
        return ((doc.get("asset_id"),),) if doc.get("asset_type") == asset_type.value else ()

    return keys


def _human_operator(doc: dict[str, Any]) -> Iterable[tuple[Any]]:
    """Events by the account owner on the phone are "@handle", not users."""
    operator = doc.get("operator_id")
    return () if isinstance(operator, str) and operator.startswith("@") else ((operator,),)


_LINK = ("bc_id", "asset_type", "asset_id")
_ASSET_TABLE = {
    m.AssetType.ADVERTISER: (m.AdAccount, "advertiser_id"),
    m.AssetType.PIXEL: (m.Asset, "asset_id"),
    m.AssetType.CATALOG: (m.Asset, "asset_id"),
    m.AssetType.AUDIENCE: (m.Asset, "asset_id"),
}

#: Every reference between tables. Not listed on purpose: a partner's own Business Center and
#: an asset's owner (other companies' ids, not rows of this database), and a pending link's
#: TikTok account (the account is recorded when its owner approves).
REFERENCES: tuple[Reference, ...] = (
    _bc(m.Member),
    Reference(m.Member, ("user_id",), m.User, ("user_id",)),
    _bc(m.AssetLink),
    *(
        Reference(m.AssetLink, ("asset_id",), target, (field,), _linked_asset(asset_type))
        for asset_type, (target, field) in _ASSET_TABLE.items()
    ),
    Reference(m.Assignment, ("bc_id", "user_id"), m.Member, ("bc_id", "user_id")),
    Reference(m.Assignment, _LINK, m.AssetLink, _LINK, _link_of_asset),
    _bc(m.AuthorizationRequest),
    Reference(m.AuthorizationRequest, ("created_by",), m.User, ("user_id",)),
    Reference(m.InboxMessage, ("request_id",), m.AuthorizationRequest, ("request_id",)),
    _bc(m.Partner),
    Reference(m.Partner, _LINK, m.AssetLink, _LINK, _partner_assets),
    _bc(m.AdAccount),
    Reference(m.AdAccount, ("payment_method_id",), m.PaymentMethod, ("payment_method_id",)),
    _bc(m.PaymentMethod),
    _bc(m.Transaction),
    Reference(m.Transaction, ("advertiser_id",), m.AdAccount, ("advertiser_id",)),
    _bc(m.Invoice),
    Reference(m.Invoice, ("advertiser_id",), m.AdAccount, ("advertiser_id",)),
    Reference(m.Invoice, ("advertiser_ids",), m.AdAccount, ("advertiser_id",), _billed_accounts),
    _bc(m.AuditEvent),
    Reference(m.AuditEvent, ("operator_id",), m.User, ("user_id",), _human_operator),
)


def _freeze(value: Any) -> Any:
    """A document value usable in a set (lists become tuples)."""
    return tuple(_freeze(v) for v in value) if isinstance(value, list) else value


def _where(table: str, doc_id: str) -> str:
    return f"{table} #{doc_id}"


def check_integrity(store: Store) -> list[str]:
    """Every problem found in the database, one line each; an empty list means it is sound.

    Reads the store's in-memory document only (no file access, no writes), so it is safe on a
    read-only Store and costs one pass over each table.
    """
    data = store.storage.read()
    problems: list[str] = []
    versions = [doc.get("schema_version") for doc in data.get(META_TABLE, {}).values()]
    versions = [v for v in versions if v is not None]
    if versions != [SCHEMA_VERSION]:
        problems.append(
            f"{META_TABLE}: schema_version should appear once as {SCHEMA_VERSION}, "
            f"found {versions or 'none'}"
        )
    for cls, table in TABLES.items():
        for doc_id, doc in data.get(table, {}).items():
            try:
                from_doc(cls, doc)
            except (TypeError, ValueError, KeyError) as error:
                problems.append(f"{_where(table, doc_id)}: not a valid {cls.__name__} ({error})")
    for cls, keys in UNIQUE.items():
        table = TABLES[cls]
        docs = data.get(table, {})
        for key in keys:
            seen = Counter(tuple(_freeze(doc.get(f)) for f in key) for doc in docs.values())
            for value, times in seen.items():
                if times > 1 and None not in value:
                    shown = ", ".join(f"{f}={v!r}" for f, v in zip(key, value, strict=True))
                    problems.append(f"{table}: {times} documents share {shown}")
    targets: dict[tuple[type, tuple[str, ...]], set[tuple[Any, ...]]] = {}
    for ref in REFERENCES:
        wanted = (ref.target, ref.target_fields)
        if wanted not in targets:
            targets[wanted] = {
                tuple(doc.get(f) for f in ref.target_fields)
                for doc in data.get(TABLES[ref.target], {}).values()
            }
        existing = targets[wanted]
        source = TABLES[ref.source]
        for doc_id, doc in data.get(source, {}).items():
            for key in ref.keys_of(doc):
                if key not in existing:
                    shown = ", ".join(
                        f"{f}={v!r}" for f, v in zip(ref.target_fields, key, strict=True)
                    )
                    problems.append(
                        f"{_where(source, doc_id)}: refers to a missing "
                        f"{ref.target.__name__} ({shown})"
                    )
    return problems
