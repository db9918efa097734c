"""Turns domain dataclasses into TinyDB documents and back, and says which table holds each.

Documents hold only JSON types: enums as their API strings, datetimes as ISO 8601 UTC
strings, tuples as lists. The field names are the dataclass field names, which follow the
TikTok API, so `bc-tui export` and the database file read the same.
"""

from __future__ import annotations

import types
import typing
from dataclasses import MISSING, fields
from datetime import datetime
from enum import Enum
from functools import cache
from itertools import repeat
from operator import itemgetter
from typing import Any, TypeVar

from bc_tui.domain import models

T = TypeVar("T")

TABLES: dict[type, str] = {
    models.BusinessCenter: "business_centers",
    models.User: "users",
    models.Member: "members",
    models.TikTokAccount: "tiktok_accounts",
    models.Asset: "assets",
    models.AssetLink: "asset_links",
    models.Assignment: "assignments",
    models.AuthorizationRequest: "authorization_requests",
    models.InboxMessage: "inbox_messages",
    models.Phone: "phones",
    models.Partner: "partners",
    models.AdAccount: "ad_accounts",
    models.PaymentMethod: "payment_methods",
    models.Transaction: "transactions",
    models.Invoice: "invoices",
    models.AuditEvent: "audit_events",
}


def encode_value(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, tuple):
        return [encode_value(item) for item in value]
    return value


def to_doc(obj: Any) -> dict[str, Any]:
    """A dataclass instance as a JSON-ready dict."""
    return {f.name: encode_value(getattr(obj, f.name)) for f in fields(obj)}


def _decoder(hint: Any) -> typing.Callable[[Any], Any]:
    """How to turn a stored JSON value back into the type a field is annotated with."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        inner = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        decode_inner = _decoder(inner[0])
        return lambda value: None if value is None else decode_inner(value)
    if origin is tuple:
        decode_item = _decoder(typing.get_args(hint)[0])
        if decode_item is _same:
            return tuple
        if isinstance(decode_item, _EnumDecoder):
            return _EnumTupleDecoder(decode_item)
        return lambda value: tuple(map(decode_item, value))
    if isinstance(hint, type) and issubclass(hint, Enum):
        # A dict lookup: calling the enum class costs ~1 µs a value, a third of decoding
        # 10,000 accounts. An unknown value still raises the enum's own ValueError.
        return _EnumDecoder(hint)
    if hint is datetime:
        return datetime.fromisoformat
    return _same


def _same(value: Any) -> Any:
    return value


class _EnumDecoder:
    """A stored value as its enum member, by dict lookup: calling the enum class costs ~1 µs
    a value, a third of decoding 10,000 accounts. An unknown value still raises the enum's
    own ValueError."""

    __slots__ = ("enum", "members")

    def __init__(self, enum: type[Enum]) -> None:
        self.enum = enum
        self.members = {member.value: member for member in enum}

    def __call__(self, value: Any) -> Any:
        try:
            return self.members[value]
        except (KeyError, TypeError):  # unknown or unhashable: the enum says why
            return self.enum(value)


#: At most this many distinct lists are kept per field (a file could hold any number).
_DISTINCT_TUPLES = 256


class _EnumTupleDecoder:
    """A stored list of enum values as a tuple of members, decoded once per distinct list and
    shared: such lists repeat (a TikTok account's scopes: a handful of distinct lists over
    10,000 links), and decoding each one item by item was a quarter of building the TikTok
    accounts view. A list holding an unknown value raises, as its item decoder does."""

    __slots__ = ("item", "seen")

    def __init__(self, item: _EnumDecoder) -> None:
        self.item = item
        self.seen: dict[tuple[Any, ...], tuple[Enum, ...]] = {}

    def __call__(self, value: Any) -> Any:
        try:
            key = tuple(value)
            return self.seen[key]
        except KeyError:
            decoded = tuple(map(self.item, value))
            if len(self.seen) < _DISTINCT_TUPLES:
                self.seen[key] = decoded
            return decoded
        except TypeError:  # not a list of hashable values: the item decoder says why
            return tuple(map(self.item, value))


@cache
def _plan(cls: type) -> tuple[tuple[str, typing.Callable[[Any], Any]], ...]:
    hints = typing.get_type_hints(cls)
    return tuple((f.name, _decoder(hints[f.name])) for f in fields(cls))


def from_doc(cls: type[T], doc: dict[str, Any]) -> T:
    """A stored document as an instance of `cls`; unknown keys are ignored, missing use defaults."""
    return cls(**{name: decode(doc[name]) for name, decode in _plan(cls) if name in doc})


@cache
def repeating_fields(cls: type) -> tuple[str, ...]:
    """The fields of `cls` whose values repeat across documents: enums (alone or in a
    tuple) and the ids of Business Centers."""

    def repeats(name: str, hint: Any) -> bool:
        if name == "bc_id" or name.endswith("_bc_id"):
            return True
        kinds = typing.get_args(hint) or (hint,)
        return any(isinstance(kind, type) and issubclass(kind, Enum) for kind in kinds)

    hints = typing.get_type_hints(cls)
    return tuple(f.name for f in fields(cls) if repeats(f.name, hints[f.name]))


@cache
def stored_defaults(cls: type) -> dict[str, Any]:
    """The defaults of `cls`'s fields as stored: what a document without the field means."""
    return {f.name: encode_value(f.default) for f in fields(cls) if f.default is not MISSING}


@cache
def column_reader(cls: type, name: str) -> typing.Callable[[list[dict[str, Any]]], list[Any]]:
    """Reads one field of many stored documents of `cls` at once, decoded as `from_doc`
    decodes it (the field's default where a document lacks it): a column of a view, without
    a function call per document for plain fields or enums."""
    decode = dict(_plan(cls))[name]
    defaults = stored_defaults(cls)
    default, optional = defaults.get(name), name in defaults

    def read(docs: list[dict[str, Any]]) -> list[Any]:
        if optional:
            values = list(map(dict.get, docs, repeat(name), repeat(default)))
        else:
            values = list(map(itemgetter(name), docs))
        if decode is _same:
            return values
        if isinstance(decode, _EnumDecoder):
            try:
                return list(map(decode.members.__getitem__, values))
            except (KeyError, TypeError):
                pass  # an unknown value: the slow path raises the enum's own error
        return list(map(decode, values))

    return read
