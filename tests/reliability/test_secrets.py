"""Secrets stay where they belong: no card number, security code, password or token appears in
the log file, in `bc-tui export`, or in the audit log.

A realistic session makes every kind of secret: cards added (and refused) in the billing
dialog and through the service, authorization requests by QR and notification, regenerated,
cancelled, approved, declined and failed, and an unexpected error while a card number is in
play (the kind whose message quotes its input, as int() does). Then the outputs are grepped.
The SSH password is checked where it is used, in tests/e2e/test_ssh.py.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from textual.widgets import Input

from bc_tui import cli
from bc_tui.app import BusinessCenterApp, configure_log
from bc_tui.domain.models import RequestKind, TtAccountRole
from bc_tui.services import Services
from bc_tui.store import events_path
from tests.apps import Typed, demo_services, play
from tests.conftest import as_user

#: Card numbers (Luhn-valid test cards) and security codes typed in the session.
CARDS = {
    "4000 0566 5566 5556": "731",  # Visa debit, typed with spaces
    "5555555555554444": "482",  # Mastercard
    "3782-822463-10005": "9163",  # Amex, dashes
}
REFUSED = "4242 4242 4242 4241"  # a typo: fails the checksum
UNEXPECTED = "5105 1051 0510 5100"  # quoted by an unexpected error's message


def digits(number: str) -> str:
    return "".join(ch for ch in number if ch.isdigit())


def forms(number: str) -> set[str]:
    """The ways a number could show up: as typed, and as bare digits."""
    return {number, digits(number)}


@pytest.fixture
def session(tmp_path: Path) -> tuple[Services, list[str]]:
    """The demo after a session that handled every kind of secret; returns the tokens made."""
    services = demo_services(tmp_path)
    priya, ava = as_user("priya"), as_user("ava")
    for number, code in CARDS.items():
        services.billing.add_card(priya, number, "11/29", code, "Northwind Media Ltd.")
    linking = services.linking
    first = linking.request_authorization(
        ava, "brand.one", RequestKind.REQUEST_ACCESS, (TtAccountRole.POST,)
    )
    again = linking.regenerate(ava, first.request_id)
    note = linking.send_notification(ava, again.request_id)
    linking.approve(note.token, "brand.one")
    second = linking.request_authorization(ava, "brand.two", RequestKind.CLAIM_OWNERSHIP)
    linking.decline(second.token, "brand.two")
    third = linking.request_authorization(ava, "brand.three", RequestKind.CLAIM_OWNERSHIP)
    linking.approve(third.token, "someone.else")  # the wrong account: fails
    fourth = linking.request_authorization(ava, "brand.four", RequestKind.CLAIM_OWNERSHIP)
    linking.cancel(ava, fourth.request_id)
    tokens = [r.token for r in (first, again, note, second, third, fourth)]
    assert len(set(tokens)) == len(tokens)
    return services, tokens


def assert_no_secrets(text: str, tokens: list[str], where: str) -> None:
    for number in [*CARDS, REFUSED]:
        for form in forms(number):
            assert form not in text, f"card number {form} in {where}"
    for token in tokens:
        assert token not in text, f"token {token} in {where}"
    for code in CARDS.values():
        assert f'"{code}"' not in text and f"code {code}" not in text, f"security code in {where}"


def test_not_in_the_audit_log_nor_anywhere_but_the_requests(
    session: tuple[Services, list[str]],
) -> None:
    services, tokens = session
    audit = json.dumps(services.store.table("audit_events").all(), ensure_ascii=False)
    assert "Visa" in audit and "5556" in audit  # the events are there, naming cards safely
    assert_no_secrets(audit, tokens, "the audit log")
    data = services.store.storage.read()
    requests = "authorization_requests"
    elsewhere = {name: dict(t.items()) for name, t in data.items() if name != requests}
    assert_no_secrets(json.dumps(elsewhere, ensure_ascii=False), tokens, "the database")
    on_disk = events_path(services.store.path).read_text("utf-8")
    assert "Visa" in on_disk  # the audit log's side file, as written
    assert_no_secrets(on_disk, tokens, "the audit log file")
    # the requests hold their own token, and no card number
    assert_no_secrets(json.dumps(data[requests]), [], "authorization requests")


def test_not_in_the_export(
    session: tuple[Services, list[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    services, tokens = session
    services.store.close()
    assert cli.main(["export", "--db", str(services.store.path)]) == 0
    exported = capsys.readouterr().out
    assert "5556" in exported and "payment_methods" in exported
    assert_no_secrets(exported, tokens, "the export")


async def test_not_in_the_log_file(
    session: tuple[Services, list[str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Cards typed into the dialog (one refused), a QR shown, and an unexpected error whose
    message quotes the card number: the log file has the error, not the number."""
    services, tokens = session
    log_file = tmp_path / "log" / "bc-tui.log"
    configure_log(log_file)
    logger = logging.getLogger("bc_tui")
    app = BusinessCenterApp(services, as_user("priya"), watch_interval=0)
    try:
        async with app.run_test(size=(120, 36)) as pilot:
            await play(pilot, "4", "right_square_bracket")  # Billing, Payment methods
            for number in (REFUSED, next(iter(CARDS))):
                await play(pilot, "a")
                for field, text in [
                    ("card-number", number),
                    ("card-expiry", "11/29"),
                    ("card-code", "123"),
                    ("card-holder", "Northwind Media Ltd."),
                ]:
                    app.screen.query_one(f"#{field}", Input).focus()
                    await play(pilot, Typed(text))
                await play(pilot, "enter", "escape")

            def broken(*args: object) -> None:
                raise ValueError(f"invalid literal for int() with base 10: {args[1]!r}")

            monkeypatch.setattr(services.billing, "add_card", broken)
            outcome = app.attempt(services.billing.add_card, UNEXPECTED, "1", "2", "x")
            assert not outcome.ok
            await pilot.pause()
            notices = " ".join(n.message for n in app._notifications)
    finally:
        for handler in list(logger.handlers):
            if isinstance(handler, logging.FileHandler):
                logger.removeHandler(handler)
                handler.close()
    logged = log_file.read_text("utf-8")
    assert "unexpected error" in logged and "ValueError" in logged  # the error is there
    assert "base 10: '[card number removed]'" in logged  # without its number
    assert_no_secrets(logged, tokens, "the log file")
    for form in forms(UNEXPECTED):
        assert form not in logged, "the unexpected error's card number reached the log"
    assert_no_secrets(notices, tokens, "the notices")
