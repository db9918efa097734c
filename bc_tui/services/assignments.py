"""What every use case that hands out a role on an asset checks, in one place.

Members, invitations and partners all give people (or agencies) roles on assets: the role must
fit the asset type, and the asset must be active in this Business Center.
"""

from __future__ import annotations

from bc_tui.domain import labels
from bc_tui.domain.errors import Conflict, NotFound, ValidationError
from bc_tui.domain.models import AdAccount, Asset, AssetLink, AssetRole, AssetType, RelationStatus
from bc_tui.store.repository import Repository

#: Which roles each asset type takes (TikTok accounts: Operator or Analyst only).
ROLES_FOR_ASSET: dict[AssetType, tuple[AssetRole, ...]] = {
    AssetType.TT_ACCOUNT: (AssetRole.OPERATOR, AssetRole.ANALYST),
    AssetType.ADVERTISER: (AssetRole.ADMIN, AssetRole.OPERATOR, AssetRole.ANALYST),
    AssetType.PIXEL: (AssetRole.ADMIN, AssetRole.OPERATOR, AssetRole.ANALYST),
    AssetType.CATALOG: (AssetRole.ADMIN, AssetRole.OPERATOR, AssetRole.ANALYST),
    AssetType.AUDIENCE: (AssetRole.ADMIN, AssetRole.OPERATOR, AssetRole.ANALYST),
}


def asset_name(repo: Repository, bc_id: str, asset_type: AssetType, asset_id: str) -> str:
    """An asset as a sentence names it: '@handle', or 'ad account Brightlane — Launch' by
    the name it has in this Business Center (by its ID if it has none here: the activity
    log said 'ad account 7214550918300000104' where the screens said its name)."""
    if asset_type is AssetType.TT_ACCOUNT:
        return f"@{asset_id}"
    name = None
    if asset_type is AssetType.ADVERTISER:
        account = repo.first(AdAccount, advertiser_id=asset_id, bc_id=bc_id)
        name = account.name if account else None
    elif repo.first(AssetLink, bc_id=bc_id, asset_type=asset_type, asset_id=asset_id):
        asset = repo.first(Asset, asset_type=asset_type, asset_id=asset_id)
        name = asset.name if asset else None
    return f"{labels.asset_noun(asset_type)} {name or asset_id}"


def find_link(repo: Repository, bc_id: str, asset_type: AssetType, asset_id: str) -> AssetLink:
    link = repo.first(AssetLink, bc_id=bc_id, asset_type=asset_type, asset_id=asset_id)
    if link is None:
        raise NotFound(
            f"{asset_name(repo, bc_id, asset_type, asset_id)} is not in this Business Center — "
            "check you are in the right one (press b)."
        )
    return link


def check_assignable(
    repo: Repository, bc_id: str, asset_type: AssetType, asset_ids: list[str], role: AssetRole
) -> None:
    """The role fits the asset type, and every asset is active in this Business Center."""
    allowed = ROLES_FOR_ASSET[asset_type]
    if role not in allowed:
        raise ValidationError(
            "role",
            f"{labels.ASSET_ROLE[role]} is not a role for a {labels.ASSET_TYPE[asset_type]}",
            "choose " + " or ".join(labels.ASSET_ROLE[r] for r in allowed),
        )
    for asset_id in asset_ids:
        link = find_link(repo, bc_id, asset_type, asset_id)
        if link.relation_status is not RelationStatus.BOUND:
            raise Conflict(
                f"{asset_name(repo, bc_id, asset_type, asset_id)} is "
                f"{labels.RELATION_STATUS[link.relation_status].lower()}, not active: "
                "only active assets can be assigned."
            )
