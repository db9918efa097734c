"""Hostile input: rejected with a message naming the rule, or stored and shown verbatim.

Handles, emails, names, Business Center IDs, card numbers, amounts and search text, drawn by
hypothesis from text that mixes control characters, ANSI escapes, Rich/Textual markup
(`[bold]`, `[link=...]`, `[@click=...]`, a stray `[/]`), right-to-left and zero-width
characters and 10,000-character strings. Through the services: a ValidationError names the
field and how to fix it, any other outcome is a rule (DomainError) or the value stored exactly
as typed (trimmed), and nothing else is ever raised. Through the app: hostile names reach the
header, tables, pickers and notices without being read as markup or crashing it, and a
snapshot shows one drawn literally. Through the CLI: a refusal quoting hostile input is still
one line, with the escapes shown rather than sent to the terminal.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from textual.pilot import Pilot

from bc_tui import cli
from bc_tui.clock import FakeClock
from bc_tui.domain.errors import DomainError, ValidationError
from bc_tui.domain.models import (
    AssetType,
    BusinessCenter,
    PaymentMethod,
    RequestKind,
    TikTokAccount,
    Transaction,
    TransactionType,
    User,
    UserRole,
)
from bc_tui.domain.validation import HANDLE_RULE
from bc_tui.ids import SeededIds
from bc_tui.services import Services
from bc_tui.services.seed import demo_fixture, load_demo
from bc_tui.store import Store
from bc_tui.widgets.pick_list import ChoiceList
from tests.apps import demo_services
from tests.conftest import NORTHWIND, as_user

SPECIMENS = (
    "[bold]x[/bold]",
    "[/]",
    "[link=https://evil.example]click me[/link]",
    "[@click=app.quit]quit[/]",
    "[red",
    "\\[bold]",
    "\x1b[31mred\x1b[0m",
    "\x1b]8;;https://evil.example\x07link\x1b]8;;\x07",
    "\x1b[2J\x1b[H",
    "\u202eexe.gnp\u202c",
    "\u200bzero\u200dwidth\ufeff",
    "مرحبا بالعالم",
    "שלום",
    "line\nbreak",
    "tab\there",
    "nul\x00byte",
    "\x7fdel",
    "\u2028sep",
    ":smile: %s {0} ${jndi:x} <script>",
    "' OR 1=1 --",
    "@ava.chen@northwind.media",
    "７２１４",
    "🙂👨‍👩‍👧",
)

hostile = st.one_of(
    st.sampled_from(SPECIMENS),
    st.text(max_size=40),
    st.builds(lambda a, b: a + b, st.sampled_from(SPECIMENS), st.text(max_size=12)),
    st.builds(lambda a, b: a + " " + b, st.text(max_size=12), st.sampled_from(SPECIMENS)),
    st.builds(lambda a: (a * 10_000)[:10_000], st.sampled_from(SPECIMENS)),
    st.builds(lambda a: (a + "7")[:1] * 10_000, st.text(min_size=1, max_size=1)),
)

HYPOTHESIS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
_counter = itertools.count()


def rejected_well(error: DomainError) -> None:
    """A refusal names the rule: the field and how to fix it (one line: no raw newline)."""
    if isinstance(error, ValidationError):
        assert error.field and error.hint
        assert str(error).startswith(f"{error.field}: ")


@pytest.fixture
def services(tmp_path: Path) -> Services:
    services = Services(Store(tmp_path / "bc.json"), FakeClock(), SeededIds(9))
    load_demo(services.repo, services.clock)
    return services


@HYPOTHESIS
@given(text=hostile)
def test_names(services: Services, text: str) -> None:
    email = f"n{next(_counter)}@hostile.test"
    try:
        center, actor = services.center.create_business_center(
            email, text, text, text, "USD", "UTC"
        )
    except DomainError as error:
        rejected_well(error)
        assert isinstance(error, ValidationError)
        assert error.field in {"your name", "name", "company"}
        return
    stored = services.repo.first(BusinessCenter, bc_id=center.bc_id)
    user = services.repo.first(User, user_id=actor.user_id)
    assert stored is not None and user is not None
    assert stored.name == stored.company == user.user_name == text.strip()


@HYPOTHESIS
@given(text=hostile)
def test_handles(services: Services, text: str) -> None:
    try:
        clean = services.linking.check_request(as_user("ava"), text, RequestKind.REQUEST_ACCESS)
    except DomainError as error:
        rejected_well(error)
        if isinstance(error, ValidationError):
            assert error.field == "handle" and HANDLE_RULE in str(error)
        return
    if "tiktok.com/" not in text.lower():  # (else the handle in a profile's address)
        assert clean == text.strip().removeprefix("@").lower()
    assert re.fullmatch(r"[a-z0-9_.]{1,23}[a-z0-9_]", clean)


@HYPOTHESIS
@given(text=hostile)
def test_emails(services: Services, text: str) -> None:
    try:
        invitation = services.members.invite_members(as_user("ava"), [text], UserRole.STANDARD)
    except DomainError as error:
        rejected_well(error)
        return
    (member,) = invitation.invited
    user = services.repo.first(User, user_id=member.user_id)
    assert user is not None and user.user_email == text.strip().lower()
    assert text.strip().isascii() and len(text.strip()) <= 254


@HYPOTHESIS
@given(text=st.one_of(hostile, st.from_regex(r"\d{10,20}", fullmatch=True)))
def test_business_center_ids(services: Services, text: str) -> None:
    try:
        partner = services.partners.add_partner(
            as_user("ava"), text, "Partner", AssetType.TT_ACCOUNT, ["northwind.coffee"]
        )
    except DomainError as error:
        rejected_well(error)
        return
    assert partner.partner_bc_id == text.strip() != NORTHWIND
    assert re.fullmatch(r"\d{10,20}", partner.partner_bc_id, re.ASCII)


@HYPOTHESIS
@given(text=hostile)
def test_search_text_never_fails(services: Services, text: str) -> None:
    ava = as_user("ava")
    everything = {row.handle for row in services.views.tiktok_accounts(ava)}
    assert {row.handle for row in services.views.tiktok_accounts(ava, text)} <= everything
    services.views.members(ava, text)
    services.views.activity(ava, text)
    services.views.found_elsewhere(ava, text)


CARD_LIKE = st.one_of(
    hostile,
    st.from_regex(r"4[0-9 -]{12,22}", fullmatch=True),
    st.builds(lambda a, b: a + "4242424242424242" + b, st.sampled_from(SPECIMENS), st.text()),
)


@HYPOTHESIS
@given(text=CARD_LIKE)
def test_card_numbers(services: Services, text: str) -> None:
    priya = as_user("priya")
    try:
        method = services.billing.add_card(priya, text, "12/30", "123", "Priya Natarajan")
    except DomainError as error:
        rejected_well(error)
        return
    digits = "".join(ch for ch in text if ch.isdigit())
    assert method.last4 == digits[-4:]
    stored = services.repo.first(PaymentMethod, payment_method_id=method.payment_method_id)
    assert stored == method
    assert digits not in services.store.path.read_text("utf-8")  # only the last four are kept


AMOUNT_LIKE = st.one_of(
    hostile,
    st.from_regex(r"-?[0-9,]{0,16}(\.[0-9]{0,4})?", fullmatch=True),
    st.decimals(min_value=0, max_value=10**6, places=2).map(str),
)


@HYPOTHESIS
@given(text=AMOUNT_LIKE)
def test_amounts(services: Services, text: str) -> None:
    advertiser = demo_fixture()["ad_accounts"][0]["advertiser_id"]
    try:
        done = services.billing.transfer(
            as_user("priya"), advertiser, TransactionType.RECHARGE, text, f"r{next(_counter)}"
        )
    except DomainError as error:
        rejected_well(error)
        return
    assert isinstance(done.amount, int) and 0 < done.amount <= 10**12
    cleaned = text.strip().replace(",", "")
    whole, _, cents = cleaned.partition(".")
    assert done.amount == int(whole or "0") * 100 + int((cents or "0").ljust(2, "0"))
    assert services.repo.first(Transaction, transaction_id=done.transaction_id) == done


# -- the CLI ------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["bad\nhandle", "\x1b[2J\x1b[31mred", "\u202eevil"])
def test_a_cli_refusal_quoting_hostile_input_stays_one_harmless_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str
) -> None:
    db = tmp_path / "bc.json"
    Services(Store(db), FakeClock(), SeededIds(1)).store.close()
    code = cli.main(["phone", "--db", str(db), "--account", text])
    out, err = capsys.readouterr()
    assert code == 1 and out == ""
    assert err.endswith("\n") and err[:-1].isprintable(), err  # one line, escapes shown


# -- the app ------------------------------------------------------------------------------------

HOSTILE_NAME = "[bold]Ava[/] [@click=app.quit]quit[/] [link=https://e.vil]x[/link] [/]"


def hostile_services(folder: Path) -> Services:
    """The demo, where a Business Center, a person and an account carry hostile names."""
    services = demo_services(folder)
    ava = services.repo.first(User, user_id=as_user("ava").user_id)
    assert ava is not None
    services.center.create_business_center(
        ava.user_email, "Ava", HOSTILE_NAME, "Evil Corp [/]", "USD", "UTC"
    )
    services.center.create_business_center(
        "mallory@hostile.test", HOSTILE_NAME, "Mallory's", "M", "USD", "UTC"
    )
    services.members.invite_members(as_user("ava"), ["mallory@hostile.test"], UserRole.STANDARD)
    with services.repo.writing() as writer:  # display names come from TikTok, not a form
        writer.update(TikTokAccount, {"handle": "northwind.coffee"}, display_name=HOSTILE_NAME)
        writer.update(TikTokAccount, {"handle": "mira.makes"}, display_name="\u202e" + "W" * 10_000)
    return services


async def choose(pilot: Pilot[None], key: str, label: str) -> None:
    """Open the picker behind `key` and choose the entry whose label starts with `label`."""
    await pilot.press(key)
    choices = pilot.app.screen.query_one(ChoiceList)
    labels = [choices.row_at(i).label for i in range(choices.row_count)]
    choices.move_cursor(row=next(i for i, text in enumerate(labels) if text.startswith(label)))
    await pilot.press("enter")


async def test_hostile_names_are_shown_literally_and_break_nothing(tmp_path: Path) -> None:
    from bc_tui.app import BusinessCenterApp

    services = hostile_services(tmp_path)
    app = BusinessCenterApp(services, as_user("ava"), watch_interval=0)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("2")  # the accounts table, with both names in it
        await choose(pilot, "b", HOSTILE_NAME)  # a Business Center named in markup
        assert app.title == HOSTILE_NAME
        await choose(pilot, "b", "Northwind Media")
        await choose(pilot, "u", HOSTILE_NAME)  # and a person, Mallory
        await pilot.press("3")  # the members table, with Mallory in it
        assert app.is_running  # "[@click=app.quit]" did not quit, "[/]" did not crash
        notices = [(n.message, n.markup) for n in app._notifications]
        assert (f"Now acting as {HOSTILE_NAME}.", False) in notices
        assert (f"Switched to {HOSTILE_NAME}.", False) in notices


def test_snapshot_of_a_hostile_display_name(snap_compare, tmp_path: Path) -> None:
    """Account details of an account whose display name is markup: drawn as typed."""
    from bc_tui.app import BusinessCenterApp

    services = hostile_services(tmp_path)
    app = BusinessCenterApp(services, as_user("ava"), watch_interval=0)
    press = ["2", *["down"] * 5, "enter"]  # @northwind.coffee
    assert snap_compare(app, press=press, terminal_size=(120, 36))
