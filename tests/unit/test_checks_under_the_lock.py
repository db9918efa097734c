"""Two processes on one file: a use case checks the file as it is under the lock.

Each test opens a second store on the demo file, as a second bc-tui (or the phone in another
terminal) would, and changes the file there. The first process's copy is then stale (it
re-reads on a timer, twice a second); it acts next, and its checks must see the change.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from bc_tui.clock import FakeClock
from bc_tui.domain.errors import Conflict, DomainError
from bc_tui.domain.models import (
    AssetLink,
    AssetRole,
    AssetType,
    Assignment,
    AuthorizationRequest,
    Member,
    RequestKind,
    RequestStatus,
    TtAccountRole,
    User,
    UserRole,
)
from bc_tui.ids import SeededIds
from bc_tui.services import Services
from bc_tui.store.database import Store
from tests.conftest import NORTHWIND, as_user


@pytest.fixture
def other(demo: Services, db_path: Path, clock: FakeClock) -> Services:
    """A second process on the demo's file."""
    return Services(Store(db_path), clock, SeededIds(99))


def stored(services: Services) -> Services:
    """What the file holds now, read by a third process."""
    return Services(Store(services.repo.store.path), services.clock, SeededIds(5))


def test_two_admins_demoting_each_other_at_once_leave_one(demo: Services, other: Services) -> None:
    ava, marcus = as_user("ava"), as_user("marcus")
    other.members.change_member_role(marcus, ava.user_id, UserRole.STANDARD)
    with pytest.raises(DomainError):  # Ava is no Admin any more (and Marcus is the last)
        demo.members.change_member_role(ava, marcus.user_id, UserRole.STANDARD)
    admins = stored(demo).repo.find(Member, bc_id=NORTHWIND, user_role=UserRole.ADMIN)
    assert [admin.user_id for admin in admins] == [marcus.user_id]


def test_one_address_invited_from_two_apps_at_once_is_one_invitation(
    demo: Services, other: Services
) -> None:
    ava = as_user("ava")
    other.members.invite_members(ava, ["same@example.com"], UserRole.STANDARD)
    with pytest.raises(Conflict, match="already invited"):
        demo.members.invite_members(ava, ["same@example.com"], UserRole.STANDARD)
    assert len(stored(demo).repo.find(User, user_email="same@example.com")) == 1


def test_a_code_cancelled_a_moment_ago_cannot_be_approved(demo: Services, other: Services) -> None:
    request = demo.linking.request_authorization(
        as_user("ava"), "fresh.handle", RequestKind.REQUEST_ACCESS, (TtAccountRole.POST,)
    )
    other.repo.store.refresh()  # the phone has seen the code
    demo.linking.cancel(as_user("ava"), request.request_id)
    with pytest.raises(Conflict, match="cancelled"):
        other.linking.approve(request.token, "fresh.handle")
    now = stored(demo)
    assert now.linking.request(request.request_id).status is RequestStatus.CANCELLED
    link = now.repo.first(AssetLink, bc_id=NORTHWIND, asset_id="fresh.handle")
    assert link is None  # (cancelled, the request leaves no entry: it was a new account)


def test_a_code_approved_a_moment_ago_is_not_then_recorded_as_cancelled(
    demo: Services, other: Services
) -> None:
    request = demo.linking.request_authorization(
        as_user("ava"), "fresh.handle", RequestKind.REQUEST_ACCESS, (TtAccountRole.POST,)
    )
    other.repo.store.refresh()
    other.linking.approve(request.token, "fresh.handle")
    assert demo.linking.cancel(as_user("ava"), request.request_id).status is (
        RequestStatus.APPROVED
    )
    assert stored(demo).repo.first(AuthorizationRequest, request_id=request.request_id).status is (
        RequestStatus.APPROVED
    )


def test_an_account_removed_elsewhere_cannot_then_be_assigned(
    demo: Services, other: Services
) -> None:
    other.center.remove_tiktok_account(as_user("ava"), "brightlane.studio")
    with pytest.raises(DomainError):
        demo.center.assign_members(
            as_user("ava"),
            AssetType.TT_ACCOUNT,
            ["brightlane.studio"],
            [as_user("diego").user_id],
            AssetRole.ANALYST,
        )
    assert stored(demo).repo.find(Assignment, asset_id="brightlane.studio") == []


def _self_calls(method: ast.FunctionDef) -> set[str]:
    """What `method` calls on `self` ("repo.writing" for `self.repo.writing()`)."""
    return {
        ast.unparse(node.func).removeprefix("self.")
        for node in ast.walk(method)
        if isinstance(node, ast.Call) and ast.unparse(node.func).startswith("self.")
    }


def _writers(cls: ast.ClassDef) -> set[str]:
    """The methods of `cls` that write: open a transaction, or call one of its own that does."""
    calls = {f.name: _self_calls(f) for f in cls.body if isinstance(f, ast.FunctionDef)}
    found = {name for name, called in calls.items() if "repo.writing" in called}
    while more := {name for name, called in calls.items() if called & found} - found:
        found |= more
    return found


def test_every_service_method_that_writes_is_a_use_case() -> None:
    """A public method that writes, itself or through the class's own helpers, runs whole in
    its transaction (`use_case`): a new one that forgot would check a stale copy again."""
    missing, checked = [], 0
    for path in sorted((Path(__file__).parents[2] / "bc_tui" / "services").glob("*.py")):
        for cls in ast.parse(path.read_text()).body:
            if not isinstance(cls, ast.ClassDef):
                continue
            writers = _writers(cls)
            for method in cls.body:
                if not isinstance(method, ast.FunctionDef) or method.name.startswith("_"):
                    continue
                if method.name in writers:
                    checked += 1
                    if "use_case" not in {ast.unparse(d) for d in method.decorator_list}:
                        missing.append(f"{path.name}: {cls.name}.{method.name}")
    assert missing == []
    assert checked >= 30  # (the use cases there are today)
