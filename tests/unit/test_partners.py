"""Partners: agencies given some of the Business Center's assets, with a role."""

from __future__ import annotations

import pytest

from bc_tui.domain.errors import Conflict, NotFound, PermissionDenied, ValidationError
from bc_tui.domain.models import AssetRole, AssetType, AuditEvent, Partner
from bc_tui.services import Services
from tests.conftest import NORTHWIND, as_user

AGENCY = "7299000000000000999"


def test_add_a_partner_with_analyst_by_default_and_see_it_on_the_account(
    demo: Services,
) -> None:
    partner = demo.partners.add_partner(
        as_user("ava"), AGENCY, "Bright Agency", AssetType.TT_ACCOUNT, ["mira.makes"]
    )
    assert partner.role is AssetRole.ANALYST
    row = next(r for r in demo.views.tiktok_accounts(as_user("ava")) if r.handle == "mira.makes")
    assert row.partners == ("Bright Agency (Analyst)",)
    events = sorted(demo.repo.find(AuditEvent, bc_id=NORTHWIND), key=lambda e: e.time)
    assert events[-1].activity_log == (
        f"Ava Chen added partner Bright Agency ({AGENCY}) as Analyst on 1 TikTok account"
    )


@pytest.mark.parametrize(
    ("bc_id", "name", "assets", "field"),
    [
        ("abc", "X", ["mira.makes"], "Business Center ID"),
        (NORTHWIND, "X", ["mira.makes"], "Business Center ID"),
        (AGENCY, "  ", ["mira.makes"], "partner name"),
        (AGENCY, "X", [], "assets"),
    ],
)
def test_bad_partner_details_are_refused(
    demo: Services, bc_id: str, name: str, assets: list[str], field: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        demo.partners.add_partner(as_user("ava"), bc_id, name, AssetType.TT_ACCOUNT, assets)
    assert caught.value.field == field


def test_only_active_assets_and_more_of_a_type_joins_its_share(demo: Services) -> None:
    """Sharing one more TikTok account with a partner was refused (remove the partner, with
    everything shared, and add it again), while a new type was shared: more of a type joins
    that type's share, with its role."""
    ava = as_user("ava")
    with pytest.raises(Conflict, match="not an active asset"):
        demo.partners.add_partner(ava, AGENCY, "X", AssetType.TT_ACCOUNT, ["solstice.skin"])
    demo.partners.add_partner(ava, AGENCY, "X", AssetType.TT_ACCOUNT, ["mira.makes"])
    with pytest.raises(Conflict, match=rf"^partner name: {AGENCY} is already a partner, as X"):
        demo.partners.add_partner(ava, AGENCY, "Foo Agency", AssetType.TT_ACCOUNT, ["mira.makes"])
    with pytest.raises(Conflict, match=r"^X has every one of those TikTok accounts shared"):
        demo.partners.add_partner(ava, AGENCY, "x", AssetType.TT_ACCOUNT, ["mira.makes"])
    more = demo.partners.add_partner(
        ava, AGENCY, "X", AssetType.TT_ACCOUNT, ["mira.makes", "brightlane.studio"]
    )
    assert more.asset_ids == ("mira.makes", "brightlane.studio")
    assert demo.repo.count(Partner, partner_bc_id=AGENCY) == 1
    events = sorted(demo.repo.find(AuditEvent, bc_id=NORTHWIND), key=lambda e: e.time)
    assert (
        events[-1].activity_log
        == f"Ava Chen shared 1 more TikTok account with partner X ({AGENCY})"
    )
    with pytest.raises(Conflict, match=r"^X has TikTok accounts shared as Analyst: share more"):
        demo.partners.add_partner(
            ava, AGENCY, "X", AssetType.TT_ACCOUNT, ["northwind.coffee"], AssetRole.OPERATOR
        )
    with pytest.raises(ValidationError, match="Operator or Analyst"):
        demo.partners.add_partner(
            ava, "7299000000000000998", "Y", AssetType.TT_ACCOUNT, ["mira.makes"], AssetRole.ADMIN
        )


def test_a_partner_is_one_business_center_under_one_name(demo: Services) -> None:
    """Lumen Creative's ID under another name made a second partner of the same Business
    Center: removing "Other" removed Lumen Creative's shares too."""
    ava, lumen = as_user("ava"), "7299412200570114050"
    known = rf"^partner name: {lumen} is already a partner, as Lumen Creative"
    with pytest.raises(Conflict, match=known):
        demo.partners.add_partner(ava, lumen, "Other", AssetType.AUDIENCE, ["7301900000000000601"])
    assert {p.name for p in demo.repo.find(Partner, partner_bc_id=lumen)} == {"Lumen Creative"}
    demo.partners.add_partner(
        ava, lumen, "lumen creative", AssetType.AUDIENCE, ["7301900000000000601"]
    )
    shares = demo.repo.find(Partner, partner_bc_id=lumen)
    assert len(shares) == 3 and {p.name for p in shares} == {"Lumen Creative"}


def test_removing_a_partner_ends_its_access_at_once(demo: Services) -> None:
    lumen = "7299412200570114050"
    assert demo.partners.remove_partner(as_user("ava"), lumen) == 2
    assert demo.repo.find(Partner, bc_id=NORTHWIND) == []
    row = next(
        r for r in demo.views.tiktok_accounts(as_user("ava")) if r.handle == "brightlane.studio"
    )
    assert row.partners == ()
    with pytest.raises(NotFound):
        demo.partners.remove_partner(as_user("ava"), lumen)


def test_only_admins_manage_partners(demo: Services) -> None:
    with pytest.raises(PermissionDenied):
        demo.partners.add_partner(
            as_user("lena"), AGENCY, "X", AssetType.TT_ACCOUNT, ["mira.makes"]
        )
    with pytest.raises(PermissionDenied):
        demo.partners.remove_partner(as_user("lena"), "7299412200570114050")


def test_shared_assets_show_their_partner_on_the_assets_overview(demo: Services) -> None:
    overview = demo.views.assets_overview(as_user("ava"))
    rows = {row.asset_id: row for group in overview.groups for row in group.rows}
    assert rows["brightlane.studio"].partners == ("Lumen Creative",)
    assert rows["mira.makes"].partners == ()


def test_an_empty_partner_id_is_called_empty(demo: Services) -> None:
    """It read "Business Center ID: '' is not one"."""
    with pytest.raises(ValidationError, match="Business Center ID: is empty"):
        demo.partners.add_partner(
            as_user("ava"), "  ", "Someone", AssetType.TT_ACCOUNT, ["northwind.coffee"]
        )
