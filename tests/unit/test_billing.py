"""Billing through the services: cards, portfolios, transfers, invoices, and who may do what."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from bc_tui.clock import FakeClock
from bc_tui.domain.cards import brand_of, check_card, check_expiry, luhn_ok, parse_expiry
from bc_tui.domain.errors import Conflict, NotFound, PermissionDenied, ValidationError
from bc_tui.domain.models import (
    AdAccount,
    AdAccountStatus,
    AssetLink,
    AssetType,
    Assignment,
    AuditEvent,
    BusinessCenter,
    FinanceRole,
    Invoice,
    PaymentMethod,
    Portfolio,
    Transaction,
    TransactionType,
)
from bc_tui.domain.money import parse_amount
from bc_tui.ids import SeededIds
from bc_tui.services import Services
from bc_tui.services.billing_view import InvoiceStatus
from bc_tui.services.export import export_state
from bc_tui.services.seed import load_demo
from bc_tui.store.database import Store
from tests.conftest import NORTHWIND, as_user

PRIYA = as_user("priya")  # Finance Manager
TOM = as_user("tom")  # Finance Analyst
COFFEE = "7214550918300000101"  # shared, spent 20 minutes ago
BRIGHTLANE = "7214550918300000102"  # shared, last spend 11 hours ago
URBAN = "7214550918300000103"  # separate on the Mastercard, spent 2 h 55 min ago
MIRA = "7214550918300000104"  # pending review, no card
VISA = "8100000000000000011"  # the default card
MASTERCARD = "8100000000000000012"
RECHARGE, REFUND = TransactionType.RECHARGE, TransactionType.REFUND
TODAY = date(2026, 11, 26)


def center(demo: Services) -> BusinessCenter:
    return demo.repo.first(BusinessCenter, bc_id=NORTHWIND)  # type: ignore[return-value]


def ad_account(demo: Services, advertiser_id: str) -> AdAccount:
    return demo.repo.first(AdAccount, advertiser_id=advertiser_id)  # type: ignore[return-value]


def add_visa(demo: Services, number: str = "4000 0566 5566 5556", expiry: str = "12/29") -> str:
    return demo.billing.add_card(PRIYA, number, expiry, "123", "Priya Natarajan").payment_method_id


# --- cards -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "ok"),
    [
        ("4242424242424242", True),
        ("4242424242424241", False),  # last digit off
        ("2424424242424242", False),  # two digits swapped
        ("378282246310005", True),
        ("79927398713", True),  # the textbook example
        ("79927398710", False),
        ("0000000000000000", True),  # checksum alone is not enough: no brand starts with 0
    ],
)
def test_luhn(number: str, ok: bool) -> None:
    assert luhn_ok(number) is ok


@pytest.mark.parametrize(
    ("number", "brand"),
    [
        ("4242424242424242", "Visa"),
        ("4222222222222", "Visa"),
        ("5555555555554444", "Mastercard"),
        ("2223003122003222", "Mastercard"),
        ("2721000000000000", None),  # just past Mastercard's 2-series
        ("378282246310005", "Amex"),
        ("37828224631000", None),  # Amex has 15 digits
        ("6011111111111117", "Discover"),
        ("3530111333300000", "JCB"),
        ("6200000000000005", "UnionPay"),
        ("30569309025904", "Diners Club"),
        ("9999999999999995", None),
    ],
)
def test_brand_from_prefix_and_length(number: str, brand: str | None) -> None:
    assert brand_of(number) == brand


@pytest.mark.parametrize(
    ("month", "year", "problem"),
    [
        (11, 2026, None),  # good through the end of this month
        (10, 2026, "in the past"),
        (12, 2025, "in the past"),
        (1, 2027, None),
        (0, 2027, "does not exist"),
        (13, 2027, "does not exist"),
        (12, 2046, None),
        (1, 2047, "too far ahead"),
    ],
)
def test_expiry_edges(month: int, year: int, problem: str | None) -> None:
    if problem is None:
        assert check_expiry(month, year, TODAY) == (month, year)
    else:
        with pytest.raises(ValidationError, match=problem):
            check_expiry(month, year, TODAY)


@pytest.mark.parametrize(
    ("text", "parsed"),
    [("08/28", (8, 2028)), ("8/2028", (8, 2028)), ("0828", (8, 2028)), ("08 - 28", (8, 2028))],
)
def test_expiry_as_typed(text: str, parsed: tuple[int, int]) -> None:
    assert parse_expiry(text) == parsed


@pytest.mark.parametrize("text", ["", "08", "08/2", "aa/bb", "08/28/1", "٠٨/٢٨"])
def test_expiry_that_is_not_a_date(text: str) -> None:
    with pytest.raises(ValidationError, match="expiry"):
        parse_expiry(text)


@pytest.mark.parametrize(
    ("number", "code", "field", "problem"),
    [
        ("", "123", "card number", "is empty"),
        ("4242 4242 4242 424x", "123", "card number", "other than digits"),
        ("4242", "123", "card number", "has 4 digits"),
        ("4242424242424241", "123", "card number", "checksum"),
        ("9999999999999995", "123", "card number", "brand"),
        ("4242424242424242", "12", "security code", "not valid"),
        ("378282246310005", "123", "security code", "4 digits"),
    ],
)
def test_card_refusals_name_the_field_and_never_repeat_the_number(
    number: str, code: str, field: str, problem: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        check_card(number, "08/28", code, "A Holder", TODAY)
    assert caught.value.field == field
    assert problem in str(caught.value)
    digits = number.replace(" ", "")
    assert len(digits) < 12 or digits not in str(caught.value)


def test_only_brand_last4_expiry_and_holder_are_kept() -> None:
    facts = check_card("4242-4242-4242-4242", "8/2028", "123", "  Ava Chen ", TODAY)
    assert (facts.brand, facts.last4, facts.exp_month, facts.exp_year, facts.holder) == (
        "Visa",
        "4242",
        8,
        2028,
        "Ava Chen",
    )


@pytest.mark.parametrize(
    ("number", "code", "label"),
    [
        ("5555 5555 5555 4444", "987", "Mastercard •••• 4444"),
        ("3782 822463 10005", "9876", "Amex •••• 0005"),
        ("4000 0000 0000 0000 006", "987", "Visa •••• 0006"),  # 19 digits, like an id
    ],
)
def test_add_card_stores_no_number_anywhere(
    demo: Services, db_path: Path, number: str, code: str, label: str
) -> None:
    ids_before = set(re.findall(r"\d{12,}", db_path.read_text("utf-8")))
    method = demo.billing.add_card(PRIYA, number, "09/30", code, "Priya Natarajan")
    assert f"{method.brand} •••• {method.last4}" == label
    assert not method.is_default  # the Visa already is
    stored = db_path.read_text("utf-8")
    exported = repr(export_state(demo.repo, demo.clock))
    digits = number.replace(" ", "")
    for text in (stored, exported):
        assert digits not in text
        assert code not in re.sub(r"\d{5,}", "", text)  # the code appears nowhere on its own
        # Every run of 12+ digits is an id that was there before, or one of the new records.
        new_runs = set(re.findall(r"\d{12,}", text)) - ids_before
        assert new_runs <= {
            method.payment_method_id,
            *(e.event_id for e in demo.repo.all(AuditEvent)),
        }
    assert f"added {label} (expires 09/2030)" in {
        e.activity_log.removeprefix("Priya Natarajan ") for e in demo.repo.all(AuditEvent)
    }


def test_the_same_card_cannot_be_added_twice(demo: Services) -> None:
    add_visa(demo)
    with pytest.raises(Conflict, match="already added"):
        add_visa(demo)


def test_first_card_is_the_default_and_new_ad_accounts_share_it(demo: Services) -> None:
    _, owner = demo.center.create_business_center(
        "kim@studio.io", "Kim Lee", "Kim Studio", "Kim Studio LLC", "EUR", "Europe/Berlin"
    )
    demo.members.change_finance_role(owner, owner.user_id, FinanceRole.MANAGER)
    alone = demo.billing.create_ad_account(owner, "Before any card")
    assert (alone.portfolio, alone.payment_method_id) == (Portfolio.NON_SHARED, None)
    first = demo.billing.add_card(owner, "4242424242424242", "12/29", "123", "Kim Lee")
    second = demo.billing.add_card(owner, "5555555555554444", "12/29", "123", "Kim Lee")
    assert (first.is_default, second.is_default) == (True, False)
    shared = demo.billing.create_ad_account(owner, "After the card")
    assert (shared.portfolio, shared.payment_method_id) == (
        Portfolio.SHARED,
        first.payment_method_id,
    )
    assert shared.currency == "EUR"


def test_set_default_moves_the_shared_portfolio(demo: Services) -> None:
    demo.billing.set_default_card(PRIYA, MASTERCARD)
    defaults = [m.last4 for m in demo.repo.find(PaymentMethod, bc_id=NORTHWIND) if m.is_default]
    assert defaults == ["5454"]
    assert ad_account(demo, COFFEE).payment_method_id == MASTERCARD
    assert ad_account(demo, BRIGHTLANE).payment_method_id == MASTERCARD
    with pytest.raises(Conflict, match="already the default"):
        demo.billing.set_default_card(PRIYA, MASTERCARD)


def test_a_card_paying_for_an_active_ad_account_cannot_be_removed(demo: Services) -> None:
    with pytest.raises(Conflict, match=r"only payment method of Urban Peak.*move them"):
        demo.billing.remove_card(PRIYA, MASTERCARD)
    with pytest.raises(Conflict, match=r"Brightlane.*Northwind Coffee.*default first"):
        demo.billing.remove_card(PRIYA, VISA)
    demo.billing.move_ad_account(PRIYA, URBAN, Portfolio.SHARED)
    demo.billing.remove_card(PRIYA, MASTERCARD)
    assert demo.repo.first(PaymentMethod, payment_method_id=MASTERCARD) is None


def test_removing_the_default_passes_the_role_on(demo: Services) -> None:
    spare = add_visa(demo)
    demo.billing.move_ad_account(PRIYA, URBAN, Portfolio.SHARED)
    demo.billing.set_default_card(PRIYA, spare)
    demo.billing.remove_card(PRIYA, VISA)
    defaults = [m.payment_method_id for m in demo.repo.find(PaymentMethod, bc_id=NORTHWIND)]
    assert sorted(defaults) == sorted([spare, MASTERCARD])
    default = demo.repo.first(PaymentMethod, bc_id=NORTHWIND, is_default=True)
    assert default is not None and default.payment_method_id == spare


def test_unknown_card(demo: Services) -> None:
    with pytest.raises(NotFound):
        demo.billing.set_default_card(PRIYA, "8100000000000000021")  # Labs' card


# --- portfolios ------------------------------------------------------------------------------


def test_move_between_shared_and_separate(demo: Services) -> None:
    demo.billing.move_ad_account(PRIYA, COFFEE, Portfolio.NON_SHARED, MASTERCARD)
    coffee = ad_account(demo, COFFEE)
    assert (coffee.portfolio, coffee.payment_method_id) == (Portfolio.NON_SHARED, MASTERCARD)
    demo.billing.move_ad_account(PRIYA, COFFEE, Portfolio.SHARED)
    coffee = ad_account(demo, COFFEE)
    assert (coffee.portfolio, coffee.payment_method_id) == (Portfolio.SHARED, VISA)
    with pytest.raises(Conflict, match="already billed that way"):
        demo.billing.move_ad_account(PRIYA, COFFEE, Portfolio.SHARED)
    with pytest.raises(ValidationError, match="payment method"):
        demo.billing.move_ad_account(PRIYA, COFFEE, Portfolio.NON_SHARED)
    events = [e.activity_log for e in demo.repo.all(AuditEvent) if "moved" in e.activity_log]
    assert events == [
        "Priya Natarajan moved Northwind Coffee — US to separate billing on Mastercard •••• 5454",
        "Priya Natarajan moved Northwind Coffee — US to the shared portfolio (Visa •••• 4242)",
    ]


def test_overview_shows_who_shares_what(demo: Services) -> None:
    view = demo.billing_views.overview(TOM)
    assert view.allowed and not view.can_manage
    assert "Finance Manager" in view.manage_reason
    assert [row.name for row in view.shared] == ["Brightlane — Launch", "Northwind Coffee — US"]
    assert {row.name: row.payment_method for row in view.separate} == {
        "Mira Makes — LIVE": "—",
        "Urban Peak — Always on": "Mastercard •••• 5454",
    }
    assert [row.name for row in view.ad_accounts if row.low] == ["Urban Peak — Always on"]
    assert [row.name for row in view.ad_accounts if row.unpaid] == ["Mira Makes — LIVE"]
    assert view.default_method is not None and view.default_method.label == "Visa •••• 4242"
    assert view.default_method.pays_for == ("Brightlane — Launch", "Northwind Coffee — US")
    assert view.bc_balance == 2_500_000
    assert {row.name: row.members for row in view.ad_accounts}["Mira Makes — LIVE"] == 1


def test_billing_needs_a_finance_role(demo: Services) -> None:
    view = demo.billing_views.overview(as_user("ava"))
    assert not view.allowed
    assert "finance role" in view.reason
    assert "Priya Natarajan (Finance Manager)" in view.reason
    assert view.ad_accounts == ()


@pytest.mark.parametrize(
    ("started", "months"),
    [
        ("2026-11-26T09:00:00+00:00", ["2026-09", "2026-10", "2026-10"]),  # the fixture's own
        ("2026-11-26T23:48:00+00:00", ["2026-09", "2026-10", "2026-10"]),  # late that day
        ("2027-03-01T00:30:00+00:00", ["2027-01", "2027-02", "2027-02"]),  # to February
    ],
)
def test_the_demos_invoices_bill_calendar_months_whenever_it_starts(
    tmp_path: Path, started: str, months: list[str]
) -> None:
    """The demo moves its times to the clock's now; moved by days, October's invoice ran
    from the 2nd to November 1st when the demo started late in the day."""
    clock = FakeClock(datetime.fromisoformat(started))
    services = Services(Store(tmp_path / "bc.json"), clock, SeededIds(7))
    load_demo(services.repo, clock)
    invoices = sorted(services.repo.all(Invoice), key=lambda invoice: invoice.invoice_id)
    assert [f"{invoice.period_start:%Y-%m}" for invoice in invoices] == months
    for invoice in invoices:
        assert invoice.invoice_id.startswith(f"INV-{invoice.period_start:%Y-%m}-")
        assert (invoice.period_start.day, invoice.period_start.hour) == (1, 0)
        next_day = invoice.period_end + timedelta(seconds=1)
        assert (next_day.day, next_day.hour) == (1, 0)  # to the month's last second
        assert invoice.due_at > invoice.period_end


def test_invoice_states_follow_the_clock(demo: Services, clock: FakeClock) -> None:
    def statuses() -> dict[str, InvoiceStatus]:
        return {row.invoice_id: row.status for row in demo.billing_views.overview(TOM).invoices}

    assert statuses() == {
        "INV-2026-09-0042": InvoiceStatus.PAID,
        "INV-2026-10-0057": InvoiceStatus.OVERDUE,
        "INV-2026-10-0058": InvoiceStatus.UNPAID,
    }
    clock.advance(10 * 86_400)
    assert statuses()["INV-2026-10-0058"] is InvoiceStatus.OVERDUE


def test_invoice_detail_names_what_it_covers_and_who_pays(demo: Services) -> None:
    consolidated = demo.billing_views.invoice(TOM, "INV-2026-10-0057")
    assert consolidated.covers == ("Brightlane — Launch", "Northwind Coffee — US")
    assert consolidated.paid_by == "Visa •••• 4242 (not charged yet)"
    separate = demo.billing_views.invoice(TOM, "INV-2026-10-0058")
    assert separate.covers == ("Urban Peak — Always on",)
    assert separate.paid_by == "Mastercard •••• 5454 (not charged yet)"
    with pytest.raises(NotFound):
        demo.billing_views.invoice(TOM, "INV-nope")
    with pytest.raises(PermissionDenied):
        demo.billing_views.invoice(as_user("ava"), "INV-2026-10-0057")


def test_a_paid_invoice_says_what_it_billed_and_charged_then(demo: Services) -> None:
    """September's invoice was paid with the Visa and billed Northwind Coffee alone: so it
    stays once another card is the default and Brightlane (linked in October) is in the
    shared portfolio. It showed the card and accounts of today."""
    demo.billing.set_default_card(as_user("priya"), "8100000000000000012")  # the Mastercard
    september = demo.billing_views.invoice(TOM, "INV-2026-09-0042")
    assert september.covers == ("Northwind Coffee — US",)
    assert september.paid_by == "Visa •••• 4242"
    with demo.repo.writing() as writer:  # (as a file from before invoices recorded these)
        writer.update(Invoice, {"invoice_id": "INV-2026-09-0042"}, advertiser_ids=(), paid_with="")
    older = demo.billing_views.invoice(TOM, "INV-2026-09-0042")
    assert older.paid_by == "not recorded"
    assert older.covers == ("not recorded",)  # not today's shared portfolio


# --- money -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "minor"),
    [
        ("1", 100),
        ("0.01", 1),
        ("0.1", 10),
        (".5", 50),
        ("1,250.50", 125_050),
        ("12,345,678", 1_234_567_800),
        ("999,999.9", 99_999_990),
        ("19.99", 1_999),  # float(19.99) * 100 is 1998.9999999999998
        ("10000000000", 10**12),
    ],
)
def test_amounts_become_exact_minor_units(text: str, minor: int) -> None:
    assert parse_amount(text) == minor


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "empty"),
        ("0", "more than zero"),
        ("0.00", "more than zero"),
        ("-5", "more than zero"),
        ("1.005", "more than 2 decimals"),
        ("1e3", "not an amount"),
        ("nan", "not an amount"),
        ("12 345", "not an amount"),
        ("12,50", "comma that does not separate thousands"),  # a decimal comma: not 1,250
        ("1,2,3", "comma that does not separate thousands"),
        ("1,2345", "comma that does not separate thousands"),
        ("0,500", "comma that does not separate thousands"),  # 0.50 with a decimal comma
        ("١٢,٥٠", "not an amount"),  # other digits are not read at all, comma or not
        (",5", "comma that does not separate thousands"),
        ("1.250,50", "comma that does not separate thousands"),
        ("10000000000.01", "too large"),
    ],
)
def test_bad_amounts_are_refused_with_the_rule(text: str, problem: str) -> None:
    with pytest.raises(ValidationError, match=problem):
        parse_amount(text)


def test_recharge_moves_money_from_the_business_center(demo: Services) -> None:
    before = center(demo).balance
    moved = demo.billing.transfer(PRIYA, URBAN, RECHARGE, "19.99", "r-1")
    assert moved.amount == 1_999 and moved.operator_id == PRIYA.user_id
    assert center(demo).balance == before - 1_999
    assert ad_account(demo, URBAN).cash_balance == 97_525 + 1_999
    assert demo.repo.count(Transaction, request_id="r-1") == 1
    log = [e.activity_log for e in demo.repo.all(AuditEvent) if "r-1" in e.activity_log]
    assert log == ["Priya Natarajan recharged Urban Peak — Always on with 19.99 USD (request r-1)"]


def test_repeating_a_request_moves_money_once(demo: Services) -> None:
    first = demo.billing.transfer(PRIYA, URBAN, RECHARGE, "100", "same")
    events = demo.repo.count(AuditEvent)
    again = demo.billing.transfer(PRIYA, URBAN, RECHARGE, "100.00", "same")
    assert again == first
    assert ad_account(demo, URBAN).cash_balance == 97_525 + 10_000
    assert demo.repo.count(Transaction, request_id="same") == 1
    assert demo.repo.count(AuditEvent) == events
    with pytest.raises(Conflict, match="already used for a different transfer"):
        demo.billing.transfer(PRIYA, URBAN, RECHARGE, "200", "same")


def test_no_overdraft_either_way(demo: Services, db_path: Path) -> None:
    before = db_path.read_bytes()
    with pytest.raises(Conflict, match=r"holds 25,000\.00 USD"):
        demo.billing.transfer(PRIYA, URBAN, RECHARGE, "25000.01", "r-big")
    with pytest.raises(Conflict, match=r"has 4,200\.00 USD in cash"):
        demo.billing.transfer(PRIYA, BRIGHTLANE, REFUND, "4200.01", "r-big2")
    assert db_path.read_bytes() == before
    demo.billing.transfer(PRIYA, URBAN, RECHARGE, "25000", "r-all")
    assert center(demo).balance == 0


def test_refund_waits_three_hours_after_spend(demo: Services, clock: FakeClock) -> None:
    with pytest.raises(Conflict, match=r"last spent money at 01:05: refunds open .* at 04:05"):
        demo.billing.transfer(PRIYA, URBAN, REFUND, "10", "r-early")
    clock.advance(4 * 60 + 59)
    with pytest.raises(Conflict, match="refunds open"):
        demo.billing.transfer(PRIYA, URBAN, REFUND, "10", "r-early")
    clock.advance(1)
    demo.billing.transfer(PRIYA, URBAN, REFUND, "10", "r-early")
    assert ad_account(demo, URBAN).cash_balance == 97_525 - 1_000
    assert center(demo).balance == 2_500_000 + 1_000


def test_grants_are_not_refundable(demo: Services) -> None:
    with pytest.raises(Conflict, match="grants cannot be refunded"):
        demo.billing.transfer(PRIYA, MIRA, REFUND, "1", "r-grant")  # 0 cash, 100.00 grant


def test_a_disabled_ad_account_cannot_be_recharged(demo: Services) -> None:
    with demo.repo.writing() as writer:
        writer.update(AdAccount, {"advertiser_id": URBAN}, status=AdAccountStatus.DISABLED)
    with pytest.raises(Conflict, match="disabled"):
        demo.billing.transfer(PRIYA, URBAN, RECHARGE, "1", "r-disabled")


def test_transfer_to_another_business_centers_ad_account(demo: Services) -> None:
    with pytest.raises(NotFound):
        demo.billing.transfer(PRIYA, "7214550918300000201", RECHARGE, "1", "r-labs")


# --- ad accounts -----------------------------------------------------------------------------


def test_admin_creates_an_ad_account(demo: Services) -> None:
    ava = as_user("ava")
    account = demo.billing.create_ad_account(ava, "  Northwind Tea — EU ")
    assert account.name == "Northwind Tea — EU"
    assert (account.status, account.portfolio, account.payment_method_id) == (
        AdAccountStatus.PENDING_REVIEW,
        Portfolio.SHARED,
        VISA,
    )
    link = demo.repo.first(AssetLink, asset_id=account.advertiser_id)
    assert link is not None and link.asset_type is AssetType.ADVERTISER
    assignment = demo.repo.first(Assignment, asset_id=account.advertiser_id)
    assert assignment is not None and assignment.user_id == ava.user_id
    with pytest.raises(Conflict, match="already has an ad account named"):
        demo.billing.create_ad_account(ava, "northwind tea — eu")
    with pytest.raises(PermissionDenied):
        demo.billing.create_ad_account(PRIYA, "Finance made this")


# --- who may do what -------------------------------------------------------------------------

CHANGES = {
    "add card": lambda s, a: s.billing.add_card(a, "4242424242424242", "12/29", "123", "X"),
    "set default": lambda s, a: s.billing.set_default_card(a, MASTERCARD),
    "remove card": lambda s, a: s.billing.remove_card(a, MASTERCARD),
    "move": lambda s, a: s.billing.move_ad_account(a, COFFEE, Portfolio.NON_SHARED, MASTERCARD),
    "recharge": lambda s, a: s.billing.transfer(a, URBAN, RECHARGE, "1", "r-perm"),
    "refund": lambda s, a: s.billing.transfer(a, BRIGHTLANE, REFUND, "1", "r-perm"),
}


@pytest.mark.parametrize("change", sorted(CHANGES))
@pytest.mark.parametrize(
    ("name", "allowed"),
    [("priya", True), ("tom", False), ("ava", False), ("diego", False), ("sam", False)],
)
def test_only_a_finance_manager_changes_billing(
    demo: Services, db_path: Path, change: str, name: str, allowed: bool
) -> None:
    before = db_path.read_bytes()
    if allowed:
        try:
            CHANGES[change](demo, as_user(name))
        except PermissionDenied:  # pragma: no cover - the failure this test looks for
            pytest.fail(f"{name} may {change}")
        except (Conflict, ValidationError):
            pass  # another rule, after the permission check
    else:
        with pytest.raises(PermissionDenied):
            CHANGES[change](demo, as_user(name))
        assert db_path.read_bytes() == before


def test_two_windows_cannot_overdraw_the_business_center(demo: Services, db_path: Path) -> None:
    """Each window checks the balance it read under the lock, not the one it showed."""
    other = Services(Store(db_path), demo.clock, SeededIds(99))
    demo.billing.transfer(PRIYA, URBAN, RECHARGE, "20000", "window-1")
    with pytest.raises(Conflict, match=r"holds 5,000\.00 USD"):
        other.billing.transfer(PRIYA, COFFEE, RECHARGE, "20000", "window-2")
    assert other.repo.count(Transaction, request_id="window-1") == 1  # and no double move:
    assert other.billing.transfer(PRIYA, URBAN, RECHARGE, "20000", "window-1").request_id
    assert center(demo).balance == 500_000


def test_an_empty_name_is_asked_for_with_its_article(demo: Services) -> None:
    """It read "type a ad account name"."""
    with pytest.raises(ValidationError, match="type an ad account name"):
        demo.billing.create_ad_account(as_user("ava"), "   ")


def test_a_card_in_its_last_month_or_past_it_is_flagged(demo: Services, clock: FakeClock) -> None:
    """A card that expires this month (in the Business Center's time zone) and pays for an
    ad account needs replacing: the overview said nothing until its charges failed."""
    now = clock.now()
    method = add_visa(demo, expiry=f"{now.month:02d}/{now.year % 100:02d}")
    demo.billing.move_ad_account(PRIYA, MIRA, Portfolio.NON_SHARED, method)
    rows = {
        row.payment_method_id: row for row in demo.billing_views.overview(PRIYA).payment_methods
    }
    assert (rows[method].ending, rows[VISA].ending) == ("expires", "")
    clock.advance(40 * 24 * 3600)
    rows = {
        row.payment_method_id: row for row in demo.billing_views.overview(PRIYA).payment_methods
    }
    assert rows[method].ending == "expired"
