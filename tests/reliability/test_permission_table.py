"""The complete action x role table through the service layer.

Every use case that changes a Business Center is called by every kind of actor: Admin,
Standard member, Finance Manager, Finance Analyst, an invited (pending) member, the Admin of a
partner Business Center (one that was given assets through the partners service), and someone
who is not a member at all. A forbidden call raises PermissionDenied and leaves the database
file byte-for-byte as it was; an allowed one gets past the permission check (it may still meet
another rule, which is not this table's business).

`test_the_table_is_complete` keeps it complete: a new public method on a service fails it until
it gets a row here (or is listed in NOT_ROLE_GATED with the reason).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from pathlib import Path

import pytest

from bc_tui.clock import FakeClock
from bc_tui.domain.errors import DomainError, PermissionDenied
from bc_tui.domain.models import (
    AssetRole,
    AssetType,
    FinanceRole,
    Portfolio,
    RequestKind,
    TransactionType,
    TtAccountRole,
    User,
    UserRole,
)
from bc_tui.ids import SeededIds
from bc_tui.services import Actor, Services
from bc_tui.services.base import ServiceBase
from bc_tui.services.seed import demo_fixture, load_demo
from bc_tui.store import Store, copy_database
from tests.conftest import LABS, NORTHWIND, as_user

PARTNER_ADMIN = "pat.okafor@labs.example"


def partner_admin(services: Services) -> Actor:
    """The Admin of the partner Business Center, acting on this one."""
    user = services.repo.first(User, user_email=PARTNER_ADMIN)
    assert user is not None
    return Actor(user_id=user.user_id, bc_id=NORTHWIND)


ACTORS: dict[str, Callable[[Services], Actor]] = {
    "admin": lambda s: as_user("ava"),
    "standard": lambda s: as_user("diego"),
    "finance manager": lambda s: as_user("priya"),
    "finance analyst": lambda s: as_user("tom"),
    "invited": lambda s: as_user("sam"),
    "partner": partner_admin,
    "not a member": lambda s: as_user("marcus", LABS),
}

LENA = as_user("lena").user_id
SAM = as_user("sam").user_id
TT = AssetType.TT_ACCOUNT
_FIXTURE = demo_fixture()
REQUEST = _FIXTURE["authorization_requests"][0]["request_id"]

#: Keyed by the service method each row calls, so the completeness check can match them.
USE_CASES: dict[str, Callable[[Services, Actor], object]] = {
    "linking.check_request": lambda s, a: s.linking.check_request(
        a, "new.brand", RequestKind.REQUEST_ACCESS
    ),
    "linking.request_authorization": lambda s, a: s.linking.request_authorization(
        a, "new.brand", RequestKind.REQUEST_ACCESS, (TtAccountRole.POST,)
    ),
    "linking.request_authorization (claim)": lambda s, a: s.linking.request_authorization(
        a, "new.brand", RequestKind.CLAIM_OWNERSHIP
    ),
    "linking.regenerate": lambda s, a: s.linking.regenerate(a, REQUEST),
    "linking.send_notification": lambda s, a: s.linking.send_notification(a, REQUEST),
    "linking.cancel": lambda s, a: s.linking.cancel(a, REQUEST),
    "center.remove_tiktok_account": lambda s, a: s.center.remove_tiktok_account(a, "mira.makes"),
    "center.assign_member": lambda s, a: s.center.assign_member(
        a, LENA, TT, "northwind.coffee", AssetRole.ANALYST
    ),
    "center.assign_members": lambda s, a: s.center.assign_members(
        a, TT, ["northwind.coffee"], [LENA], AssetRole.ANALYST
    ),
    "center.change_assignment_role": lambda s, a: s.center.change_assignment_role(
        a, LENA, TT, "mira.makes", AssetRole.ANALYST
    ),
    "center.unassign_member": lambda s, a: s.center.unassign_member(a, LENA, TT, "mira.makes"),
    "center.update_business_info": lambda s, a: s.center.update_business_info(
        a, "Northwind Studio", "Northwind Media Ltd.", "Europe/London"
    ),
    "center.update_security": lambda s, a: s.center.update_security(a, "northwind.media"),
    "members.invite_members": lambda s, a: s.members.invite_members(
        a, ["x@agency.com"], UserRole.STANDARD
    ),
    "members.resend_invitation": lambda s, a: s.members.resend_invitation(a, SAM),
    "members.revoke_invitation": lambda s, a: s.members.revoke_invitation(a, SAM),
    "members.change_member_role": lambda s, a: s.members.change_member_role(
        a, LENA, UserRole.ADMIN
    ),
    "members.change_finance_role": lambda s, a: s.members.change_finance_role(
        a, LENA, FinanceRole.ANALYST
    ),
    "members.remove_member": lambda s, a: s.members.remove_member(a, LENA),
    "partners.add_partner": lambda s, a: s.partners.add_partner(
        a, "7299000000000000999", "Another Agency", TT, ["northwind.coffee"]
    ),
    "partners.remove_partner": lambda s, a: s.partners.remove_partner(a, LABS),
}

CARD = _FIXTURE["payment_methods"][0]["payment_method_id"]
AD_ACCOUNT = _FIXTURE["ad_accounts"][0]["advertiser_id"]
BILLING_USE_CASES: dict[str, Callable[[Services, Actor], object]] = {
    "billing.add_card": lambda s, a: s.billing.add_card(
        a, "4000 0566 5566 5556", "12/30", "123", "Ava Chen"
    ),
    "billing.set_default_card": lambda s, a: s.billing.set_default_card(a, CARD),
    "billing.remove_card": lambda s, a: s.billing.remove_card(a, CARD),
    "billing.move_ad_account": lambda s, a: s.billing.move_ad_account(
        a, AD_ACCOUNT, Portfolio.NON_SHARED, CARD
    ),
    "billing.transfer": lambda s, a: s.billing.transfer(
        a, AD_ACCOUNT, TransactionType.RECHARGE, "10.00", "table-1"
    ),
    "billing.create_ad_account": lambda s, a: s.billing.create_ad_account(a, "Table test"),
    "billing.removal_blocker": lambda s, a: s.billing.removal_blocker(a, CARD),
}
USE_CASES.update(BILLING_USE_CASES)

#: Who may do what; every other (actor, use case) pair must be refused.
ALLOWED: dict[str, set[str]] = {
    "admin": set(USE_CASES) - set(BILLING_USE_CASES) | {"billing.create_ad_account"},
    "finance manager": set(BILLING_USE_CASES) - {"billing.create_ad_account"},
    "finance analyst": {"billing.removal_blocker"},  # a read: whether a card can go
}

#: Public service methods that are not gated by a role in the acting Business Center.
NOT_ROLE_GATED: dict[str, str] = {
    "center.create_business_center": "anyone may create a Business Center",
    "members.accept_invitation": "only the invited person, whose pending membership it needs",
    "linking.approve": "the account owner on the phone, by token: see test_tokens.py",
    "linking.decline": "the account owner on the phone, by token: see test_tokens.py",
    "linking.remove_access": "the account owner on the phone, for their own account",
    "linking.request": "a read",
    "linking.by_token": "a read",
    "linking.live_qr_requests": "a read",
    "linking.last_request": "a read, of the acting Business Center's own requests",
}
#: Services of the simulation or of reads only: the phone, and the view models.
NOT_IN_TABLE = {"phone", "views", "billing_views"}  # reads: see the last test


@pytest.fixture(scope="module")
def table_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo, plus a partner: Northwind Labs, whose own Admin (Pat, a member of Labs only)
    was given @northwind.coffee through the partners service."""
    path = tmp_path_factory.mktemp("table") / "bc.json"
    services = Services(Store(path), FakeClock(), SeededIds(5))
    load_demo(services.repo, services.clock)
    labs_admin = as_user("ava", LABS)
    services.members.invite_members(labs_admin, [PARTNER_ADMIN], UserRole.ADMIN)
    pat = services.repo.first(User, user_email=PARTNER_ADMIN)
    assert pat is not None
    services.members.accept_invitation(Actor(pat.user_id, LABS))
    services.partners.add_partner(
        as_user("ava"), LABS, "Northwind Labs", TT, ["northwind.coffee"], AssetRole.OPERATOR
    )
    services.store.close()
    return path


@pytest.fixture
def table(table_db: Path, tmp_path: Path) -> Services:
    db = tmp_path / "bc.json"
    copy_database(table_db, db)
    return Services(Store(db), FakeClock(), SeededIds(6))


@pytest.mark.parametrize("actor", list(ACTORS))
@pytest.mark.parametrize("use_case", list(USE_CASES))
def test_use_case_by_actor(table: Services, actor: str, use_case: str) -> None:
    who = ACTORS[actor](table)
    before = table.store.path.read_bytes()
    if use_case in ALLOWED.get(actor, set()):
        try:
            USE_CASES[use_case](table, who)
        except PermissionDenied:  # pragma: no cover - the assertion below explains it
            pytest.fail(f"{actor} was refused {use_case}")
        except DomainError:
            pass  # allowed, then stopped by another rule: fine for this table
        return
    with pytest.raises(PermissionDenied):
        USE_CASES[use_case](table, who)
    assert table.store.path.read_bytes() == before


def test_the_partner_really_is_one(table: Services) -> None:
    """The partner row means something only if Labs holds Northwind's asset as a partner and
    Pat is an Admin there, not a member here."""
    pat = partner_admin(table)
    shares = table.views.assets_overview(as_user("ava")).partners
    assert [(p.partner_bc_id, p.name) for p in shares if p.partner_bc_id == LABS] == [
        (LABS, "Northwind Labs")
    ]
    assert table.views.membership(pat) is None
    labs = table.views.membership(Actor(pat.user_id, LABS))
    assert labs is not None and labs.user_role is UserRole.ADMIN


def test_the_table_is_complete(table: Services) -> None:
    """Every public method of every service is in USE_CASES or explained in NOT_ROLE_GATED."""
    methods = set()
    for name in dir(table):  # the services built at once and the ones built on first use
        service = getattr(table, name)
        if not isinstance(service, ServiceBase) or name in NOT_IN_TABLE:
            continue
        for method, _ in inspect.getmembers(type(service), inspect.isfunction):
            if not method.startswith("_") and not hasattr(ServiceBase, method):
                methods.add(f"{name}.{method}")
    covered = {key.split(" ")[0] for key in USE_CASES} | set(NOT_ROLE_GATED)
    assert sorted(methods - covered) == [], "add these to the permission table"
    assert sorted(covered - methods) == [], "these rows name methods that no longer exist"


@pytest.mark.parametrize("actor", list(ACTORS))
def test_reading_billing_and_activity_by_actor(table: Services, actor: str) -> None:
    who = ACTORS[actor](table)
    billing = table.billing_views.overview(who).allowed
    activity = table.views.activity(who).allowed
    assert billing is (actor in {"finance manager", "finance analyst"})
    assert activity is (actor == "admin")
