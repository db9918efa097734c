"""Add TikTok Account by keys: request access and claim, approval arriving on its own."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, Static

from bc_tui.domain.models import (
    AssetLink,
    AuthorizationRequest,
    RelationStatus,
    RelationType,
    RequestKind,
    RequestMethod,
    RequestStatus,
    TtAccountRole,
)
from bc_tui.screens.add_account import AddAccountDialog
from bc_tui.screens.confirm import ConfirmDialog
from bc_tui.screens.help import HelpScreen
from bc_tui.screens.qr_dialog import QrDialog
from bc_tui.screens.scopes import ScopesDialog
from bc_tui.screens.tiktok_accounts import TikTokAccountsScreen
from bc_tui.widgets.countdown import QrCountdown
from bc_tui.widgets.table import VirtualTable
from tests.apps import Typed, burst, demo_app, on_account, play
from tests.conftest import NORTHWIND, as_user


def status_of(app, handle: str) -> str:
    table = app.screen.query_one("#accounts", VirtualTable)
    return str(table.cells_of(handle)[1])


def text_of(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def open_qr_for(pilot, handle: str = "new.brand") -> QrDialog:
    await play(pilot, "2", "a", Typed(handle), "enter", "enter")
    assert isinstance(pilot.app.screen, ScopesDialog)
    # Spark Ads starts ticked and focused: untick, tick again, then tick LIVE ads too.
    await pilot.press("space", "space", "tab", "space", "enter")
    await pilot.pause()
    assert isinstance(pilot.app.screen, QrDialog)
    return pilot.app.screen


async def test_request_access_by_keys_then_approval_lists_the_account(tmp_path: Path) -> None:
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        dialog = await open_qr_for(pilot)
        request = dialog.request
        assert request.scopes == (TtAccountRole.POST, TtAccountRole.LIVE)
        assert request.method is RequestMethod.QR
        assert "05:00" in str(dialog.query_one(QrCountdown).render())
        app.services.linking.approve(request.token, "new.brand")
        app.data_changed()  # what the file watcher does when the phone is another process
        await pilot.pause()
        assert isinstance(app.screen, TikTokAccountsScreen)
        assert status_of(app, "new.brand") == "Active"
        table = app.screen.query_one("#accounts", VirtualTable)
        assert table.cursor_key == "new.brand"
        assert any("granted Northwind Media access" in n.message for n in app._notifications)


async def test_claim_asks_for_confirmation_and_skips_scopes(tmp_path: Path) -> None:
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await play(pilot, "2", "a", Typed("our.brand"), "enter", "right", "enter")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, QrDialog)
        request = app.screen.request
        assert request.scopes == (TtAccountRole.POST, TtAccountRole.LIVE)
        app.services.linking.approve(request.token, "our.brand")
        app.data_changed()
        await pilot.pause()
        link = app.services.repo.first(AssetLink, bc_id=NORTHWIND, asset_id="our.brand")
        assert (link.relation_type, link.relation_status) == (
            RelationType.OWNER_BC,
            RelationStatus.BOUND,
        )


async def test_escape_on_claim_confirmation_creates_nothing(tmp_path: Path) -> None:
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await play(pilot, "2", "a", Typed("our.brand"), "enter", "right", "enter", "escape")
        await pilot.pause()
        assert isinstance(app.screen, AddAccountDialog)  # (back to the options)
        assert app.services.repo.first(AuthorizationRequest, handle="our.brand") is None


async def test_a_bad_handle_is_explained_in_the_dialog(tmp_path: Path) -> None:
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await play(pilot, "2", "a", Typed("12345"), "enter", "enter")
        assert isinstance(app.screen, AddAccountDialog)
        assert "not all digits" in text_of(app, "#error")
        app.screen.query_one("#handle").value = ""
        await play(pilot, Typed("northwind.coffee"), "enter", "enter")
        assert "already owns @northwind.coffee" in text_of(app, "#error")
        # Corrected (the field's text is selected again: backspace clears it): on to the
        # options, and the error goes.
        await play(pilot, "backspace", Typed("new.brand"), "enter")
        assert not app.screen.query_one("#error").display  # (it said "already owns" still)


async def test_no_scope_chosen_is_refused_in_place(tmp_path: Path) -> None:
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await play(pilot, "2", "a", Typed("new.brand"), "enter", "enter", "space", "enter")
        assert isinstance(app.screen, ScopesDialog)
        assert "choose Spark Ads, LIVE ads or both" in text_of(app, "#error")


async def test_the_arrow_keys_move_between_the_scopes(tmp_path: Path) -> None:
    """↓ reaches LIVE ads: it did nothing, and the space after it ticked Spark Ads back, so
    the code asked for Spark Ads, the one unticked."""
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await play(pilot, "2", "a", Typed("new.brand"), "enter", "enter")
        await play(pilot, "space", "down", "space", "enter")
        await pilot.pause()
        assert isinstance(app.screen, QrDialog)
        assert app.screen.request.scopes == (TtAccountRole.LIVE,)


async def test_expiry_regenerate_and_notification(tmp_path: Path) -> None:
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        dialog = await open_qr_for(pilot)
        first = dialog.request
        app.services.clock.advance(300)
        dialog.query_one(QrCountdown).tick()
        await pilot.pause()
        assert "QR code expired" in text_of(app, "#qr-message")
        assert "press r" in text_of(app, "#qr-message").lower()
        await pilot.press("r")
        second = dialog.request
        assert second.token != first.token
        assert dialog.query_one("#qr").display
        assert text_of(app, "#qr-token") == f"Code {second.token}"
        await pilot.press("n")
        third = dialog.request
        assert third.method is RequestMethod.NOTIFICATION
        assert app.services.linking.request(second.request_id).status is RequestStatus.CANCELLED
        assert "Notification sent" in text_of(app, "#qr-message")
        assert text_of(app, "#qr-token") == ""  # (no code shown: none to type or scan)
        app.services.clock.advance(300)  # a notification runs out too: not a "QR code"
        dialog.query_one(QrCountdown).tick()
        await pilot.pause()
        assert "Notification expired" in text_of(app, "#qr-message")
        assert "n to notify the owner again" in text_of(app, "#qr-message")
        assert "A notification is valid for a limited time" in text_of(app, "#qr-message")
        await pilot.press("escape")
        await pilot.pause()
        assert app.services.linking.request(third.request_id).status is RequestStatus.NOT_USED
        assert isinstance(app.screen, TikTokAccountsScreen)


async def test_a_notification_outlives_its_dialog_and_x_withdraws_it(tmp_path: Path) -> None:
    """Closing a live QR code cancels it (it cannot be scanned once off the screen); a sent
    notification waits in the owner's inbox, so closing the dialog keeps it pending, as the
    demo's @solstice.skin is; x withdraws it."""
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        dialog = await open_qr_for(pilot)
        await pilot.press("n")
        sent = dialog.request
        assert "x withdraws it" in text_of(app, "#qr-message")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, TikTokAccountsScreen)
        assert app.services.linking.request(sent.request_id).status is RequestStatus.NOT_USED
        assert status_of(app, "new.brand").startswith("Pending 0")  # its countdown
        assert any("TikTok inbox" in str(n.message) for n in app._notifications)

        dialog = await open_qr_for(pilot, "other.brand")
        await pilot.press("n", "x")
        await pilot.pause()
        assert isinstance(app.screen, TikTokAccountsScreen)
        withdrawn = app.services.linking.request(dialog.request.request_id)
        assert withdrawn.status is RequestStatus.CANCELLED

        dialog = await open_qr_for(pilot, "third.brand")
        await pilot.press("x")  # not a key of a QR code: escape cancels it
        assert app.screen is dialog
        await pilot.press("escape")
        await pilot.pause()
        cancelled = app.services.linking.request(dialog.request.request_id)
        assert cancelled.status is RequestStatus.CANCELLED


async def test_a_on_an_ended_entry_asks_again_for_that_account(tmp_path: Path) -> None:
    """The Clear question and the details say `a` asks again: on an ended entry it starts
    with that handle, selected, so enter goes on with it and typing replaces it. On an
    active account it starts empty."""
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        table = await on_account(pilot, "harbor.eats")
        await pilot.press("a")
        await pilot.pause()
        field = app.screen.query_one("#handle", Input)
        assert field.value == "harbor.eats"
        await pilot.press("enter", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ScopesDialog)
        await pilot.press("escape", "escape")  # (back to the options, then out)
        await pilot.pause()
        await play(pilot, "a", "n", "e", "w", ".", "o", "n", "e")
        assert app.screen.query_one("#handle", Input).value == "new.one"
        await pilot.press("escape")
        table.move_cursor(row=table.row_index("brightlane.studio"))
        await pilot.press("a")
        await pilot.pause()
        assert app.screen.query_one("#handle", Input).value == ""


async def test_question_mark_in_the_handle_shows_the_keys_and_an_address_gives_the_handle(
    tmp_path: Path,
) -> None:
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await play(pilot, "2", "a", "?")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, AddAccountDialog)
        assert app.screen.query_one("#handle", Input).value == ""
        await play(pilot, Typed("https://www.tiktok.com/@New.Brand?lang=en"), "enter", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ScopesDialog)


async def test_wrong_account_on_phone_shows_the_reason_live(tmp_path: Path) -> None:
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        dialog = await open_qr_for(pilot)
        app.services.linking.approve(dialog.request.token, "mira.makes")
        app.data_changed()
        await pilot.pause()
        message = text_of(app, "#qr-message")
        assert "The phone is logged in as @mira.makes" in message
        assert "on a phone logged in as @new.brand" in message


async def test_standard_member_is_not_offered_add_and_palette_explains(tmp_path: Path) -> None:
    app = demo_app(tmp_path, as_user("lena"))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("2", "a")
        assert isinstance(app.screen, TikTokAccountsScreen)
        app.screen.action_add()
        await pilot.pause()
        assert not isinstance(app.screen, AddAccountDialog)
        assert any("Only an Admin can add" in n.message for n in app._notifications)


async def test_pending_rows_count_down(tmp_path: Path) -> None:
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("2")
        assert status_of(app, "solstice.skin") == "Pending 03:00"
        app.services.clock.advance(60)
        app.screen._tick_pending()
        assert status_of(app, "solstice.skin") == "Pending 02:00"
        app.services.clock.advance(121)
        app.screen._tick_pending()
        await pilot.pause()
        assert status_of(app, "solstice.skin") == "Pending · stale"


async def test_beside_the_phone_at_80_columns_the_code_says_what_it_is_for(
    tmp_path: Path,
) -> None:
    """At 80x24 with the phone shown, the column that says what the code is for is left
    out to make room: the code stood there with nothing to say whose it was, and the phone
    offered to type "the code printed under it" with none printed. A caption over it and
    its text under it say so, inside the dialog. Wide, the column says both instead."""
    app = demo_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2", "p")
        await pilot.pause()
        await pilot.press("escape", "a")  # (back from the phone, to the list)
        await play(pilot, Typed("solstice.skin"), "enter", "enter", "enter")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, QrDialog) and dialog.has_class("-with-phone")
        caption = dialog.query_one("#qr-caption", Static)
        assert caption.display and not dialog.query_one("#qr-info").display
        assert str(caption.render()) == "@solstice.skin · Request access"
        under = dialog.query_one("#qr-code-under", Static)
        assert under.display and str(under.render()) == f"Code {dialog.request.token}"
        frame = dialog.query_one(".dialog").region
        assert frame.contains_region(dialog.query_one("#countdown", QrCountdown).region)
        assert frame.contains_region(under.region)
        await pilot.resize_terminal(120, 36)
        await pilot.pause()
        assert not caption.display and not under.display
        assert dialog.query_one("#qr-info").display


async def test_cancelling_a_later_step_goes_back_to_the_options(tmp_path: Path) -> None:
    """Escape at the access step, or Cancel on the claim question, went back to the list,
    and the handle had to be typed again: it goes back to the two options, on the one
    chosen, with the handle; escape there ends it."""
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await play(pilot, "2", "a", Typed("new.brand"), "enter", "enter")
        assert isinstance(app.screen, ScopesDialog)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, AddAccountDialog)
        assert app.screen.query_one("#handle", Input).value == "new.brand"
        assert app.focused.id == "request_access"
        await pilot.press("right", "enter")  # Claim ownership, then Cancel on its question
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, AddAccountDialog) and app.focused.id == "claim_ownership"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, TikTokAccountsScreen)


async def test_going_back_a_step_keeps_the_access_ticked(tmp_path: Path) -> None:
    """Back from the access step and on again, LIVE ads was unticked: the handle and the
    option were kept, the access was not."""
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await play(pilot, "2", "a", Typed("new.brand"), "enter", "enter")
        await pilot.press("down", "space")  # LIVE ads too
        await pilot.press("escape", "enter")  # back to the options, and on again
        await pilot.pause()
        assert isinstance(app.screen, ScopesDialog)
        assert app.screen.chosen() == (TtAccountRole.POST, TtAccountRole.LIVE)
        await pilot.press("escape", "escape")
        await play(pilot, "a", Typed("other.brand"), "enter", "enter")  # another account
        assert app.screen.chosen() == (TtAccountRole.POST,)


async def test_enters_typed_in_one_burst_with_the_handle_choose_the_option(
    tmp_path: Path,
) -> None:
    """ "xy", enter, enter in one burst stopped at the options: the field took both enters."""
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("2", "a")
        burst(app, "x", "y", "enter", "enter")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, ScopesDialog)
        assert app.screen.handle == "xy"


async def test_a_slash_typed_right_behind_a_reaches_the_dialog(tmp_path: Path) -> None:
    """A profile's address pasted right after `a` lost its first "/" ("https:/www…"): the
    area's `/` took it, found the dialog on top, and dropped it."""
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("2")
        burst(app, "a", *"https://www.tiktok.com/@new.brand")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, AddAccountDialog)
        field = app.screen.query_one(Input)
        assert field.value == "https://www.tiktok.com/@new.brand"


async def test_what_is_not_a_handle_is_said_at_the_first_enter(tmp_path: Path) -> None:
    """ "/x" went on to the options at the first enter, and was refused only once one was
    chosen."""
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await play(pilot, "2", "a", Typed("/x"), "enter")
        await pilot.pause()
        error = app.screen.query_one("#error", Static)
        assert error.display and "is not a TikTok handle" in str(error.render())
        assert app.focused is app.screen.query_one("#handle", Input)


async def test_the_columns_fit_again_once_a_claim_is_over(tmp_path: Path) -> None:
    """A claim of an account with access granted shows "Active · claim 05:00": Status grew
    to fit it and stayed that wide once the claim was over, the names cut at 120 columns."""
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("2")
        table = app.screen.query_one("#accounts", VirtualTable)
        before = table.virtual_size.width
        await play(pilot, "a", Typed("brightlane.studio"), "enter", "right", "enter", "enter")
        await pilot.pause()
        assert isinstance(app.screen, QrDialog)
        await pilot.press("escape")  # the claim is cancelled
        await pilot.pause()
        assert isinstance(app.screen, TikTokAccountsScreen)
        assert table.virtual_size.width == before


async def test_a_code_closed_with_escape_leaves_the_entry_as_it_was(tmp_path: Path) -> None:
    """Esc on a new code left "Pending · stale" in the list, for x to clear: on a rejected
    account its Rejected was gone, and a new handle stayed listed."""
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        for handle in ("vantage.gaming", "fresh.one"):
            await open_qr_for(pilot, handle)
            await pilot.press("escape")
            await pilot.pause()
        table = app.screen.query_one("#accounts", VirtualTable)
        assert str(table.cells_of("vantage.gaming")[1]) == "Rejected"
        with pytest.raises(KeyError):
            table.row_index("fresh.one")


async def test_the_list_ticks_only_while_a_row_counts_down(tmp_path: Path) -> None:
    """Issue #8's idle row: the accounts list's once-a-second timer (a live request's time
    left) woke the app every second with no countdown in the list, and under a dialog (the
    QR code's) that hides the list."""
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("2")
        screen = app.screen
        assert isinstance(screen, TikTokAccountsScreen)
        assert screen._ticker._active.is_set()  # the demo's request counts down
        app.services.clock.advance(3600)  # (it ends)
        app.data_changed()
        await pilot.pause()
        assert not screen._ticker._active.is_set()  # (Textual's Timer: paused)
        app.services.linking.request_authorization(
            as_user("ava"), "new.brand", RequestKind.REQUEST_ACCESS, (TtAccountRole.POST,)
        )
        app.data_changed()
        await pilot.pause()
        assert screen._ticker._active.is_set()
        await pilot.press("question_mark")  # a dialog over the list: it waits
        assert not screen._ticker._active.is_set()
        await pilot.press("escape")
        assert screen._ticker._active.is_set()
