"""Billing by keys: add a card, move money, move an ad account between portfolios, invoices."""

from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console
from textual.widgets import Input, Static

from bc_tui.domain.models import AdAccount, PaymentMethod, Portfolio, Transaction
from bc_tui.screens.add_card import AddCardDialog
from bc_tui.screens.billing import BillingScreen
from bc_tui.screens.invoice import InvoiceDialog
from bc_tui.screens.new_ad_account import NewAdAccountDialog
from bc_tui.screens.picker import PickerDialog
from bc_tui.screens.transfer import TransferDialog
from bc_tui.widgets.table import VirtualTable
from tests.apps import Typed, burst, demo_app, play, run_command
from tests.conftest import NORTHWIND, as_user

URBAN = "7214550918300000103"
PAYMENT_METHODS = ("4", "right_square_bracket")
AD_ACCOUNTS = ("4", "right_square_bracket", "right_square_bracket")
URBAN_ROW = ("down", "down", "down")


def notices(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


def urban(app) -> AdAccount:
    return app.services.repo.first(AdAccount, advertiser_id=URBAN)


async def test_add_a_card_keeps_only_what_may_be_kept(tmp_path: Path) -> None:
    app = demo_app(tmp_path, as_user("priya"))
    async with app.run_test(size=(120, 36)) as pilot:
        await play(pilot, *PAYMENT_METHODS, "a")
        assert isinstance(app.screen, AddCardDialog)
        number = app.screen.query_one("#card-number", Input)
        await play(
            pilot,
            Typed("5555 5555 5555 4444"),
            "tab",
            Typed("9/2030"),
            "tab",
            Typed("123"),
            "tab",
            Typed("Priya Natarajan"),
            "enter",
        )
        await pilot.pause()
        assert isinstance(app.screen, BillingScreen)
        assert "Mastercard •••• 4444 added." in notices(app)
        assert number.value == ""  # blanked once stored
        cards = app.services.repo.find(PaymentMethod, bc_id=NORTHWIND)
        assert ("Mastercard", "4444", 9, 2030) in {
            (c.brand, c.last4, c.exp_month, c.exp_year) for c in cards
        }


async def test_a_refused_card_is_explained_in_the_dialog(tmp_path: Path) -> None:
    app = demo_app(tmp_path, as_user("priya"))
    async with app.run_test(size=(120, 36)) as pilot:
        await play(pilot, *PAYMENT_METHODS, "a", Typed("4242 4242 4242 4242"), "tab")
        await play(pilot, Typed("10/26"), "tab", Typed("123"), "tab", Typed("P N"), "enter")
        assert isinstance(app.screen, AddCardDialog)
        error = str(app.screen.query_one("#error", Static).render())
        assert error == "expiry: 10/2026 is in the past — use a card that has not expired"
        assert app.focused is app.screen.query_one("#card-expiry")  # (the field it names)
        await pilot.press("escape")
        assert isinstance(app.screen, BillingScreen)
        assert app.services.repo.count(PaymentMethod, bc_id=NORTHWIND) == 2
        # An empty form is told of the number first, the field the cursor starts in (it was
        # told of the expiry), and a refusal's field takes the cursor.
        await play(pilot, "a", "tab", "tab", "enter")
        error = str(app.screen.query_one("#error", Static).render())
        assert error.startswith("card number: is empty")
        assert app.focused is app.screen.query_one("#card-number")


async def test_recharge_previews_then_moves_the_money_once(tmp_path: Path) -> None:
    app = demo_app(tmp_path, as_user("priya"))
    async with app.run_test(size=(120, 36)) as pilot:
        await play(pilot, *AD_ACCOUNTS, *URBAN_ROW, "t", Typed("1,000.50"))
        assert isinstance(app.screen, TransferDialog)
        preview = str(app.screen.query_one("#transfer-preview", Static).render())
        assert "Business Center 23,999.50 USD" in preview
        assert "Urban Peak — Always on 1,975.75 USD" in preview
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, BillingScreen)
        assert urban(app).cash_balance == 97_525 + 100_050
        assert app.services.repo.count(Transaction, advertiser_id=URBAN) == 2  # one from before
        assert "Urban Peak — Always on recharged with 1,000.50 USD." in notices(app)


async def test_an_amount_typed_with_its_enter_in_one_burst_is_the_amount_moved(
    tmp_path: Path,
) -> None:
    """Enter submits as a priority key, handled as it arrives, while the keys typed before it
    are still on their way to the field: "100" and enter in one burst (a paste, fast typing
    over SSH) recharged 1.00 or 10.00. The whole amount reaches the field first now."""
    app = demo_app(tmp_path, as_user("priya"))
    async with app.run_test(size=(120, 36)) as pilot:
        await play(pilot, *AD_ACCOUNTS, *URBAN_ROW, "t")
        assert isinstance(app.focused, Input)
        burst(app, "1", "0", "0", "enter")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, BillingScreen)
        assert urban(app).cash_balance == 97_525 + 10_000
        assert "Urban Peak — Always on recharged with 100.00 USD." in notices(app)


async def test_keys_typed_after_enter_in_one_burst_do_not_change_the_amount(
    tmp_path: Path,
) -> None:
    """The other side of the burst: a "5" typed right after enter recharged 1,005.00 once
    enter waited for the keys before it; and ctrl+p after it opened the palette first, whose
    closing then took the dialog's place and left the form up for good. The keys after
    enter wait for it now, and are let go of with the form, as a double tap's second enter
    is: 100.00 moves, once, and Billing is on screen with nothing over it."""
    app = demo_app(tmp_path, as_user("priya"))
    async with app.run_test(size=(120, 36)) as pilot:
        await play(pilot, *AD_ACCOUNTS, *URBAN_ROW, "t", Typed("100"))
        burst(app, "enter", "5", "ctrl+p", "enter")
        for _ in range(3):
            await pilot.pause()
        assert urban(app).cash_balance == 97_525 + 10_000
        assert app.services.repo.count(Transaction, advertiser_id=URBAN) == 2  # one from before
        assert [type(screen) for screen in app.screen_stack] == [BillingScreen]


async def test_refund_too_soon_after_spend_is_refused_in_place(tmp_path: Path) -> None:
    app = demo_app(tmp_path, as_user("priya"))
    async with app.run_test(size=(120, 36)) as pilot:
        await play(pilot, *AD_ACCOUNTS, *URBAN_ROW, "t", "shift+tab", "down", "tab", Typed("5"))
        await pilot.press("enter")
        assert isinstance(app.screen, TransferDialog)
        error = str(app.screen.query_one("#error", Static).render())
        assert "refunds open 3 hours after the last spend" in error
        assert urban(app).cash_balance == 97_525
        await play(pilot, Typed("0"))  # another amount: the error was about the one sent
        assert not app.screen.query_one("#error", Static).display
        assert "After:" in str(app.screen.query_one("#transfer-preview", Static).render())


async def test_an_arrow_key_chooses_refund(tmp_path: Path) -> None:
    """↓ chooses the next option, as in any radio group: it only moved a highlight, and
    enter then sent the option still chosen (a recharge, with Refund highlighted)."""
    app = demo_app(tmp_path, as_user("priya"))
    async with app.run_test(size=(120, 36)) as pilot:
        await play(
            pilot, *AD_ACCOUNTS, *URBAN_ROW, "t", "shift+tab", "down", "tab", Typed("5"), "enter"
        )
        assert isinstance(app.screen, TransferDialog)
        error = str(app.screen.query_one("#error", Static).render())
        assert "refunds open 3 hours after the last spend" in error
        await play(pilot, "shift+tab", "up", "tab", "enter")  # back to Recharge
        await pilot.pause()
        assert isinstance(app.screen, BillingScreen)
        assert urban(app).cash_balance == 97_525 + 500


async def test_move_an_ad_account_into_the_shared_portfolio(tmp_path: Path) -> None:
    app = demo_app(tmp_path, as_user("priya"))
    async with app.run_test(size=(120, 36)) as pilot:
        await play(pilot, *AD_ACCOUNTS, *URBAN_ROW, "o")
        assert isinstance(app.screen, PickerDialog)
        await play(pilot, "home", "enter")
        await pilot.pause()
        assert (urban(app).portfolio, urban(app).payment_method_id) == (
            Portfolio.SHARED,
            "8100000000000000011",
        )
        assert any("Shared portfolio: paid by Visa •••• 4242" in n for n in notices(app))


async def test_an_ad_account_with_no_card_moves_into_the_shared_portfolio(
    tmp_path: Path,
) -> None:
    """Mira Makes — LIVE bills separately with no card (the overview says it needs one):
    choosing the shared portfolio was taken for choosing what it already had, and the
    dialog closed with nothing done and nothing said."""
    from bc_tui.domain.models import AdAccount

    app = demo_app(tmp_path, as_user("priya"))
    async with app.run_test(size=(120, 36)) as pilot:
        await play(pilot, *AD_ACCOUNTS, "down", "down", "o")  # (Mira Makes — LIVE)
        assert isinstance(app.screen, PickerDialog)
        await play(pilot, "enter")  # (the cursor starts on the shared portfolio)
        await pilot.pause()
        mira = app.services.repo.first(AdAccount, name="Mira Makes — LIVE")
        assert mira.portfolio is Portfolio.SHARED
        assert any("Mira Makes — LIVE — Shared portfolio" in n for n in notices(app))


async def test_finance_analyst_is_offered_no_changes(tmp_path: Path) -> None:
    app = demo_app(tmp_path, as_user("tom"))
    async with app.run_test(size=(120, 36)) as pilot:
        await play(pilot, *AD_ACCOUNTS, "t", "o")
        assert isinstance(app.screen, BillingScreen)
        await play(pilot, "left_square_bracket", "a")
        assert isinstance(app.screen, BillingScreen)
        assert app.services.repo.count(Transaction, bc_id=NORTHWIND) == 4


async def test_admin_without_a_finance_role_is_told_who_has_one(tmp_path: Path) -> None:
    app = demo_app(tmp_path, as_user("ava"))
    async with app.run_test(size=(120, 36)) as pilot:
        await play(pilot, "4", "right_square_bracket", "a")
        assert isinstance(app.screen, BillingScreen)
        summary = str(app.screen.query_one("#summary", Static).render())
        assert "Priya Natarajan (Finance Manager)" in summary


async def test_invoice_details_open_with_enter(tmp_path: Path) -> None:
    app = demo_app(tmp_path, as_user("tom"))
    async with app.run_test(size=(120, 36)) as pilot:
        await play(pilot, "4", "left_square_bracket", "enter")
        assert isinstance(app.screen, InvoiceDialog)
        assert app.screen.detail.invoice.invoice_id == "INV-2026-10-0057"
        await pilot.press("escape")
        assert isinstance(app.screen, BillingScreen)


async def test_admin_creates_an_ad_account_from_assets(tmp_path: Path) -> None:
    app = demo_app(tmp_path, as_user("ava"))
    async with app.run_test(size=(120, 36)) as pilot:
        await play(pilot, "1", "c", Typed("Northwind Tea — EU"), "enter")
        await pilot.pause()
        created = app.services.repo.first(AdAccount, name="Northwind Tea — EU")
        assert created is not None and created.portfolio is Portfolio.SHARED
        assert any("is in review; you are its Admin" in n for n in notices(app))
        # Made from TikTok accounts' list: Ad accounts are on show, on the new one.
        table = app.screen.query_one("#assets", VirtualTable)
        assert app.screen.query_one("#groups").active == "ADVERTISER"
        assert table.row_at(table.cursor_row).asset_id == created.advertiser_id
        await play(pilot, "c", Typed("northwind tea — eu"), "enter")
        assert isinstance(app.screen, NewAdAccountDialog)
        error = str(app.screen.query_one("#error", Static).render())
        assert "already has an ad account named" in error


async def test_finance_manager_cannot_create_ad_accounts(tmp_path: Path) -> None:
    app = demo_app(tmp_path, as_user("priya"))
    async with app.run_test(size=(120, 36)) as pilot:
        await play(pilot, "1", "c")
        assert not isinstance(app.screen, NewAdAccountDialog)


async def test_the_filter_narrows_billing_lists_and_keys_act_on_what_they_show(
    tmp_path: Path,
) -> None:
    """DESIGN's `/` on Billing too: the lists show the rows with the text in any cell."""
    app = demo_app(tmp_path, as_user("priya"))
    async with app.run_test(size=(120, 36)) as pilot:
        await play(pilot, *AD_ACCOUNTS, "slash", Typed("urban"), "enter")
        table = app.screen.query_one("#ad-account-table", VirtualTable)
        assert [table.row_at(index)[0] for index in range(table.row_count)] == [URBAN]
        assert "lists filtered: urban" in str(app.screen.query_one("#summary").render())
        await pilot.press("t")
        assert isinstance(app.screen, TransferDialog)
        assert app.screen.ad_account.advertiser_id == URBAN


async def test_enter_in_the_filter_on_overview_hands_the_keys_to_the_tabs(tmp_path: Path) -> None:
    app = demo_app(tmp_path, as_user("priya"))
    async with app.run_test(size=(120, 36)) as pilot:
        await play(pilot, "4", "slash", Typed("visa"), "enter", "right_square_bracket")
        assert app.screen.tab == "payment-methods"
        assert app.screen.query_text == "visa"


async def test_a_billing_command_says_why_it_cannot_be_done(tmp_path: Path) -> None:
    """From the palette, a command whose key is off for this person used to do nothing."""
    app = demo_app(tmp_path, as_user("tom"))  # Finance Analyst: may look, not change
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("4")
        await run_command(pilot, "Add card")
        assert any(n.title == "Not allowed" for n in app._notifications)


async def test_the_cursor_stays_with_a_card_made_default(tmp_path: Path) -> None:
    """The default card is listed first: by row number the cursor was left on the old
    default, the card that x would remove next."""
    app = demo_app(tmp_path, as_user("priya"))
    async with app.run_test(size=(120, 36)) as pilot:
        await play(pilot, *PAYMENT_METHODS)
        table = app.screen.query_one("#payment-method-table", VirtualTable)
        await pilot.press("down")
        chosen = table.cursor_key
        await pilot.press("d")
        await pilot.pause()
        assert table.row_index(chosen) == 0  # it moved to the top
        assert table.cursor_key == chosen


async def test_a_new_ad_account_is_shown_even_where_a_filter_hid_it(tmp_path: Path) -> None:
    """Made with a filter applied that it does not match, it stayed out of sight: the list
    showed the filter's matches, the cursor on another account."""
    app = demo_app(tmp_path, as_user("ava"))
    async with app.run_test(size=(120, 36)) as pilot:
        await play(pilot, "1", "slash", Typed("lumen"), "enter")
        await play(pilot, "c", Typed("Zeta Alpha"), "enter")
        await pilot.pause()
        created = app.services.repo.first(AdAccount, name="Zeta Alpha")
        table = app.screen.query_one("#assets", VirtualTable)
        assert app.screen.query_text == "" and app.focused is table
        assert table.row_at(table.cursor_row).asset_id == created.advertiser_id


async def test_another_business_centers_ad_accounts_start_with_columns_of_their_own(
    tmp_path: Path,
) -> None:
    """A table's columns only grew: after a 100-character name in Northwind Media, Labs' ad
    accounts showed only their names, the rest off the screen. (Such a name is cut to 32
    cells in the list now.)"""
    from tests.conftest import LABS

    app = demo_app(tmp_path, as_user("priya"))
    app.services.billing.create_ad_account(as_user("ava"), "X" * 100)
    async with app.run_test(size=(120, 36)) as pilot:
        await play(pilot, *AD_ACCOUNTS)
        table = app.screen.query_one("#ad-account-table", VirtualTable)
        assert table.column_widths[0] == 32  # (cut, with an ellipsis)
        console = Console(width=120, file=io.StringIO(), record=True)
        console.print(app.screen.query_one("#overview-text", Static).content)
        overview = console.export_text()
        assert "X" * 31 + "…" in overview and "X" * 32 not in overview  # (it wrapped there)
        await play(pilot, "slash", Typed("XXXXX" * 10), "enter")  # (past the cut)
        assert table.row_count == 1
        await pilot.press("escape")
        app.actor = as_user("ava", LABS)  # (as `b` does: Ava manages Labs' money)
        app.data_changed()
        await pilot.pause()
        assert table.row_count and table.column_widths[0] < 25


async def test_the_preview_says_at_once_when_an_amount_is_more_than_there_is(
    tmp_path: Path,
) -> None:
    """Typing 25,000.01 previewed "Business Center -0.01 USD" with no word: only enter said
    it was refused. It says so as it is typed, with no "After" that cannot come to be."""
    app = demo_app(tmp_path, as_user("priya"))
    async with app.run_test(size=(120, 36)) as pilot:
        await play(pilot, *AD_ACCOUNTS, *URBAN_ROW, "t", Typed("25,000.01"))
        preview = app.screen.query_one("#transfer-preview", Static)
        assert str(preview.render()) == ""
        error = app.screen.query_one("#error", Static)
        said = "amount: more than the Business Center has — enter will refuse it"
        assert error.display and str(error.render()) == said
        app.screen.query_one("#transfer-amount", Input).value = "25,000.00"
        await pilot.pause()
        assert not error.display
        assert "After: Business Center 0.00 USD" in str(preview.render())


async def test_the_card_forms_hints_cannot_be_taken_for_a_card(tmp_path: Path) -> None:
    """The number's hint was a test card that passes the checks, and the holder's the demo
    company's name: both looked filled in."""
    from textual.widgets import Input

    from bc_tui.domain.cards import luhn_ok
    from bc_tui.screens.add_card import AddCardDialog

    app = demo_app(tmp_path, as_user("priya"))
    async with app.run_test(size=(120, 36)) as pilot:
        app.push_screen(AddCardDialog())
        await pilot.pause()
        hints = {field.id: field.placeholder for field in app.screen.query(Input)}
        assert not luhn_ok(hints["card-number"].replace(" ", ""))
        assert app.services.views.header(app.actor).bc_name not in hints["card-holder"]


async def test_next_tab_from_the_palette_without_a_finance_role_moves_nothing(
    tmp_path: Path,
) -> None:
    """Run from the palette by someone who may not see billing, Next billing tab moved the
    hidden tabs: acting as Priya next, Billing opened on another tab than its first."""
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("4")
        await run_command(pilot, "Next billing tab")
        assert app.screen.tab == "overview"
        assert any("finance role" in str(n.message) for n in app._notifications)


async def test_the_overview_says_when_a_paying_card_runs_out(tmp_path: Path) -> None:
    app = demo_app(tmp_path, as_user("priya"))
    now = app.services.clock.now()
    method = app.services.billing.add_card(
        app.actor, "4000 0566 5566 5556", f"{now.month:02d}/{now.year % 100:02d}", "123", "P N"
    )
    mira = "7214550918300000104"
    app.services.billing.move_ad_account(
        app.actor, mira, Portfolio.NON_SHARED, method.payment_method_id
    )
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("4")
        console = Console(width=120, file=io.StringIO(), record=True)
        console.print(app.screen.query_one("#overview-text", Static).content)
        overview = console.export_text()
        when = f"{now.month:02d}/{now.year}"
        assert f"Card expires ({when}): Visa •••• 5556 pays for 1 ad account" in overview
