"""`bc-tui export`: the whole state as one JSON document with stable field names.

Each Business Center carries its own members, TikTok accounts (with the relation type, status
and scopes of its link), other assets, assignments, partners, billing and activity log.
Field names are the TikTok API names the models use; see README "Export format".
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from bc_tui.clock import Clock
from bc_tui.domain import models as m
from bc_tui.store.records import to_doc
from bc_tui.store.repository import Repository

EXPORT_VERSION = 1


def export_state(repo: Repository, clock: Clock) -> dict[str, Any]:
    users = {user.user_id: user for user in repo.all(m.User)}
    accounts = {account.handle: account for account in repo.all(m.TikTokAccount)}
    assets = {asset.asset_id: asset for asset in repo.all(m.Asset)}
    per_bc: dict[type, dict[str, list[Any]]] = {}
    for cls in (
        m.Member,
        m.AssetLink,
        m.Assignment,
        m.Partner,
        m.AdAccount,
        m.PaymentMethod,
        m.Transaction,
        m.Invoice,
        m.AuditEvent,
    ):
        grouped: dict[str, list[Any]] = defaultdict(list)
        for obj in repo.all(cls):
            grouped[obj.bc_id].append(obj)
        per_bc[cls] = grouped

    def strip_bc(obj: Any) -> dict[str, Any]:
        doc = to_doc(obj)
        doc.pop("bc_id", None)
        return doc

    centers = []
    for center in sorted(repo.all(m.BusinessCenter), key=lambda c: c.bc_id):
        bc = center.bc_id
        members = []
        for member in per_bc[m.Member][bc]:
            user = users.get(member.user_id)
            doc = strip_bc(member)
            doc["user_name"] = user.user_name if user else None
            doc["user_email"] = user.user_email if user else None
            members.append(doc)
        tiktok_accounts, other_assets = [], []
        for link in per_bc[m.AssetLink][bc]:
            doc = strip_bc(link)
            if link.asset_type is m.AssetType.TT_ACCOUNT:
                account = accounts.get(link.asset_id)
                doc = {
                    "handle": link.asset_id,
                    **(strip_bc(account) if account else {}),
                    "relation_type": doc["relation_type"],
                    "relation_status": doc["relation_status"],
                    "scopes": doc["tt_account_roles"],
                    "updated_at": doc["updated_at"],
                }
                tiktok_accounts.append(doc)
            else:
                asset = assets.get(link.asset_id)
                doc["name"] = asset.name if asset else None
                other_assets.append(doc)
        events = sorted(per_bc[m.AuditEvent][bc], key=lambda e: e.time, reverse=True)
        centers.append(
            {
                **to_doc(center),
                "members": members,
                "tiktok_accounts": tiktok_accounts,
                "assets": other_assets,
                "assignments": [strip_bc(a) for a in per_bc[m.Assignment][bc]],
                "partners": [strip_bc(p) for p in per_bc[m.Partner][bc]],
                "ad_accounts": [strip_bc(a) for a in per_bc[m.AdAccount][bc]],
                "payment_methods": [strip_bc(p) for p in per_bc[m.PaymentMethod][bc]],
                "transactions": [strip_bc(t) for t in per_bc[m.Transaction][bc]],
                "invoices": [strip_bc(i) for i in per_bc[m.Invoice][bc]],
                "audit_events": [strip_bc(e) for e in events],
            }
        )
    return {
        "format": "bc-tui-export",
        "version": EXPORT_VERSION,
        "exported_at": clock.now().isoformat(),
        "users": [to_doc(user) for user in sorted(users.values(), key=lambda u: u.user_id)],
        "business_centers": centers,
    }
