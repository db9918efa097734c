"""Partners: other Business Centers (agencies) given some of this one's assets, with a role.

As in the product: a partner is added by its Business Center ID with chosen assets and a role
(Analyst unless said otherwise); to downgrade, remove and add again; removing a partner ends
its access at once.
"""

from __future__ import annotations

import re
from typing import Any

from bc_tui.domain import labels, validation
from bc_tui.domain.errors import Conflict, NotFound, ValidationError
from bc_tui.domain.models import (
    ActivityType,
    AssetLink,
    AssetRole,
    AssetType,
    Partner,
    RelationStatus,
)
from bc_tui.domain.permissions import Action, require
from bc_tui.services.assignments import ROLES_FOR_ASSET
from bc_tui.services.base import Actor, ServiceBase, use_case

_BC_ID = re.compile(r"^\d{10,20}$", re.ASCII)  # not ٣ or ३: a TikTok ID is ASCII digits


class PartnerService(ServiceBase):
    """Add and remove partners of a Business Center."""

    @use_case
    def add_partner(
        self,
        actor: Actor,
        partner_bc_id: str,
        name: str,
        asset_type: AssetType,
        asset_ids: list[str],
        role: AssetRole = AssetRole.ANALYST,
    ) -> Partner:
        require(self.membership(actor), Action.MANAGE_PARTNERS)
        bc_id = partner_bc_id.strip()
        if not bc_id:
            raise ValidationError("Business Center ID", "is empty", "type its 10 to 20 digits")
        if not _BC_ID.match(bc_id):
            raise ValidationError(
                "Business Center ID", f"{bc_id[:30]!r} is not one", "10 to 20 digits"
            )
        if bc_id == actor.bc_id:
            raise ValidationError(
                "Business Center ID", "is this Business Center", "a partner is another one"
            )
        clean_name = validation.text("partner name", name)
        if role not in ROLES_FOR_ASSET[asset_type]:
            allowed = " or ".join(labels.ASSET_ROLE[r] for r in ROLES_FOR_ASSET[asset_type])
            raise ValidationError("role", f"{labels.ASSET_ROLE[role]} does not apply", allowed)
        if not asset_ids:
            raise ValidationError("assets", "none chosen", "share at least one asset")
        for asset_id in asset_ids:
            link = self.repo.first(
                AssetLink, bc_id=actor.bc_id, asset_type=asset_type, asset_id=asset_id
            )
            if link is None or link.relation_status is not RelationStatus.BOUND:
                raise Conflict(f"{asset_id} is not an active asset of this Business Center.")
        # A partner is a Business Center, known by its ID: under a second name it read as
        # two partners, and removing either removed both.
        known = self.repo.first(Partner, bc_id=actor.bc_id, partner_bc_id=bc_id)
        if known is not None:
            if known.name.casefold() != clean_name.casefold():
                raise Conflict(  # (named as a field is: the dialog puts the cursor there)
                    f"partner name: {bc_id} is already a partner, as {known.name} — share more "
                    "with it under that name"
                )
            clean_name = known.name  # (as it was written first)
        key = {"bc_id": actor.bc_id, "partner_bc_id": bc_id, "asset_type": asset_type}
        if (existing := self.repo.first(Partner, **key)) is not None:
            return self._share_more(actor, existing, key, asset_ids, role)
        partner = Partner(
            bc_id=actor.bc_id,
            partner_bc_id=bc_id,
            name=clean_name,
            asset_type=asset_type,
            asset_ids=tuple(asset_ids),
            role=role,
        )
        with self.repo.writing() as writer:
            writer.insert(partner)
            self.audit(
                writer,
                actor,
                ActivityType.BUSINESS,
                f"{self.user_name(actor.user_id)} added partner {clean_name} ({bc_id}) as "
                f"{labels.ASSET_ROLE[role]} on "
                f"{labels.count(len(asset_ids), labels.asset_noun(asset_type))}",
            )
        return partner

    def _share_more(
        self,
        actor: Actor,
        partner: Partner,
        key: dict[str, Any],
        asset_ids: list[str],
        role: AssetRole,
    ) -> Partner:
        """More assets of a type the partner has some of already, with the same role (a
        partner holds one role on each type): adding one more TikTok account to a partner's
        was refused, while ad accounts, a new type to it, were shared."""
        nouns = labels.asset_noun(partner.asset_type, plural=True)
        if role is not partner.role:
            raise Conflict(
                f"{partner.name} has {nouns} shared as {labels.ASSET_ROLE[partner.role]}: share "
                "more as that, or remove the partner and add it again to change the role."
            )
        fresh = [asset_id for asset_id in asset_ids if asset_id not in partner.asset_ids]
        if not fresh:
            raise Conflict(f"{partner.name} has every one of those {nouns} shared already.")
        with self.repo.writing() as writer:  # (`key`: the partner's share of this type)
            writer.update(Partner, key, asset_ids=(*partner.asset_ids, *fresh))
            self.audit(
                writer,
                actor,
                ActivityType.BUSINESS,
                f"{self.user_name(actor.user_id)} shared {len(fresh):,} more "
                f"{labels.asset_noun(partner.asset_type, plural=len(fresh) != 1)} with "
                f"partner {partner.name} ({partner.partner_bc_id})",
            )
        found = self.repo.first(Partner, **key)
        assert found is not None
        return found

    @use_case
    def remove_partner(self, actor: Actor, partner_bc_id: str) -> int:
        """The partner loses every asset shared with it, at once. Returns how many shares."""
        require(self.membership(actor), Action.MANAGE_PARTNERS)
        shares = self.repo.find(Partner, bc_id=actor.bc_id, partner_bc_id=partner_bc_id)
        if not shares:
            raise NotFound(f"Business Center {partner_bc_id} is not a partner.")
        with self.repo.writing() as writer:
            writer.remove(Partner, bc_id=actor.bc_id, partner_bc_id=partner_bc_id)
            self.audit(
                writer,
                actor,
                ActivityType.BUSINESS,
                f"{self.user_name(actor.user_id)} removed partner {shares[0].name} "
                f"({partner_bc_id}); its access ended",
            )
        return len(shares)
