"""QR tokens: unguessable, single-use, expiring exactly on time, and never approving when dead.

tests/unit/test_linking.py has the worked examples (a token works once, regenerate and cancel
stop the old one, 299 s works and 300 s does not). This adds what examples cannot show: the
tokens really come from `secrets` in every program, expiry is exact to the microsecond for
any lifetime, and across random sequences of request / regenerate / notify / cancel / approve /
decline / time passing, a used, cancelled, replaced or expired token never approves anything.
"""

from __future__ import annotations

import ast
import secrets
import shutil
import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from bc_tui.clock import FakeClock
from bc_tui.domain.errors import Conflict
from bc_tui.domain.models import RequestKind, RequestStatus, TtAccountRole
from bc_tui.ids import RandomIds, SeededIds
from bc_tui.services import Services
from bc_tui.store import Store, copy_database
from tests.conftest import as_user

BC_TUI = Path(__file__).resolve().parents[2] / "bc_tui"
ACCESS, CLAIM = RequestKind.REQUEST_ACCESS, RequestKind.CLAIM_OWNERSHIP
POST = TtAccountRole.POST


def test_tokens_come_from_secrets_and_never_repeat(monkeypatch: pytest.MonkeyPatch) -> None:
    tokens = {RandomIds().new_token() for _ in range(2000)}
    assert len(tokens) == 2000
    assert all(len(token) >= 16 for token in tokens)  # 12 random bytes: 96 bits
    calls: list[int] = []

    def recorded(nbytes: int | None = None) -> str:
        calls.append(nbytes or 0)
        return "from-secrets"

    monkeypatch.setattr(secrets, "token_urlsafe", recorded)
    assert RandomIds().new_token() == "from-secrets"
    assert calls and calls[0] >= 12


def test_every_program_makes_its_ids_and_tokens_with_random_ids() -> None:
    """The seeded source is for tests and `bc-tui seed` only: every Services the programs
    build (app, phone, init, web, ssh) gets RandomIds, whose tokens come from `secrets`."""
    built = []
    for source in BC_TUI.rglob("*.py"):
        for node in ast.walk(ast.parse(source.read_text("utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Services":
                ids = node.args[2]
                assert isinstance(ids, ast.Call) and getattr(ids.func, "id", None) == "RandomIds"
                built.append(source.name)
    assert {"cli.py", "__init__.py"} <= set(built)


def fresh(demo_file: Path, folder: Path, clock: FakeClock, ttl: int = 300) -> Services:
    db = folder / "bc.json"
    copy_database(demo_file, db)
    return Services(Store(db), clock, SeededIds(2), qr_ttl=ttl)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ttl=st.integers(10, 86_400), early=st.booleans(), micro=st.integers(1, 999_999))
def test_expiry_is_exact_to_the_microsecond(
    demo_file: Path, ttl: int, early: bool, micro: int
) -> None:
    """Any lifetime: one microsecond or more before `expires_at` approves; at or after, not."""
    clock = FakeClock()
    with tempfile.TemporaryDirectory() as folder:
        services = fresh(demo_file, Path(folder), clock, ttl)
        request = services.linking.request_authorization(
            as_user("ava"), "edge.case", ACCESS, (POST,)
        )
        assert request.expires_at - request.created_at == timedelta(seconds=ttl)
        offset = timedelta(microseconds=-micro if early else micro - 1)
        clock.set(request.expires_at + offset)
        answer = services.linking.approve(request.token, "edge.case")
        assert answer.status is (RequestStatus.APPROVED if early else RequestStatus.EXPIRED)
        services.store.close()


@dataclass
class Issued:
    """What the model knows about one token, independently of the service."""

    token: str
    handle: str
    expires_at: datetime
    dead: bool = False  # answered, cancelled or replaced (expiry is checked against the clock)


HANDLES = ("first.one", "second.one")


class TokenMachine(RuleBasedStateMachine):
    """Random admin and owner actions on two accounts; the model says which token is live."""

    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp())
        self.clock = FakeClock()
        self.services = fresh(DEMO_FILE[0], self.folder, self.clock, ttl=60)
        self.issued: list[Issued] = []

    def teardown(self) -> None:
        self.services.store.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    def live(self, issued: Issued) -> bool:
        return not issued.dead and self.clock.now() < issued.expires_at

    def _issue(self, handle: str, make: object) -> None:
        """Run a call that issues a new token; on success every other token for the account
        is dead (a new code cancels the old one)."""
        try:
            request = make()  # type: ignore[operator]
        except Conflict:
            return
        for other in self.issued:
            if other.handle == handle:
                other.dead = True
        self.issued.append(Issued(request.token, handle, request.expires_at))

    def links(self) -> list[object]:
        return sorted(map(repr, self.services.store.table("asset_links").all()))

    @rule(handle=st.sampled_from(HANDLES), claim=st.booleans())
    def request(self, handle: str, claim: bool) -> None:
        kind, scopes = (CLAIM, ()) if claim else (ACCESS, (POST,))
        self._issue(
            handle,
            lambda: self.services.linking.request_authorization(
                as_user("ava"), handle, kind, scopes
            ),
        )

    @precondition(lambda self: self.issued)
    @rule(data=st.data(), notify=st.booleans())
    def regenerate(self, data: st.DataObject, notify: bool) -> None:
        issued = data.draw(st.sampled_from(self.issued))
        request = self.services.linking.by_token(issued.token)
        assert request is not None
        redo = (
            self.services.linking.send_notification if notify else self.services.linking.regenerate
        )
        self._issue(issued.handle, lambda: redo(as_user("ava"), request.request_id))

    @precondition(lambda self: self.issued)
    @rule(data=st.data())
    def cancel(self, data: st.DataObject) -> None:
        issued = data.draw(st.sampled_from(self.issued))
        request = self.services.linking.by_token(issued.token)
        assert request is not None
        self.services.linking.cancel(as_user("ava"), request.request_id)
        issued.dead = True

    @precondition(lambda self: self.issued)
    @rule(data=st.data(), right_account=st.booleans(), approve=st.booleans())
    def answer(self, data: st.DataObject, right_account: bool, approve: bool) -> None:
        issued = data.draw(st.sampled_from(self.issued))
        handle = issued.handle if right_account else "someone.else"
        was_live = self.live(issued)
        before = self.links()
        answer = self.services.linking.approve if approve else self.services.linking.decline
        try:
            result = answer(issued.token, handle)
        except Conflict:
            assert not was_live, "a live token was refused as used"
            assert self.links() == before
            return
        issued.dead = True
        if not was_live:
            assert result.status is RequestStatus.EXPIRED, result
            assert self.links() == before, "a dead token changed an account's link"
        elif not right_account:
            assert result.status is RequestStatus.FAILED
            assert self.links() == before
        else:
            assert result.status is (RequestStatus.APPROVED if approve else RequestStatus.DECLINED)

    @rule(seconds=st.sampled_from([1, 30, 59, 60, 61, 120]))
    def wait(self, seconds: int) -> None:
        self.clock.advance(seconds)

    @rule(handle=st.sampled_from(HANDLES))
    def remove(self, handle: str) -> None:
        """The admin clears the entry (or ends access), so the account can be asked again;
        either cancels the account's live code too."""
        try:
            self.services.center.remove_tiktok_account(as_user("ava"), handle)
        except Exception as error:  # NotFound when there is no entry yet
            assert type(error).__name__ == "NotFound"
            return
        for issued in self.issued:
            if issued.handle == handle:
                issued.dead = True

    @invariant()
    def at_most_one_live_token_per_account(self) -> None:
        now = self.clock.now()
        for handle in HANDLES:
            live = [
                doc
                for doc in self.services.store.table("authorization_requests").all()
                if doc["handle"] == handle
                and doc["status"] == RequestStatus.NOT_USED
                and datetime.fromisoformat(doc["expires_at"]) > now
            ]
            assert len(live) <= 1


DEMO_FILE: list[Path] = []


@pytest.fixture
def _machine_demo(demo_file: Path) -> None:
    DEMO_FILE[:] = [demo_file]


TestTokenMachine = TokenMachine.TestCase
TestTokenMachine.settings = settings(max_examples=20, stateful_step_count=20, deadline=None)
TestTokenMachine = pytest.mark.usefixtures("_machine_demo")(TestTokenMachine)
