"""The walkthrough's step 4 by keys: the owner's phone beside the admin's screens."""

from __future__ import annotations

from pathlib import Path

from textual import events
from textual.pilot import Pilot
from textual.widgets import Input, Static

from bc_tui.app import BusinessCenterApp
from bc_tui.clock import FakeClock
from bc_tui.domain.models import AssetLink, RelationStatus, RequestStatus
from bc_tui.ids import SeededIds
from bc_tui.screens.qr_dialog import QrDialog
from bc_tui.screens.tiktok_accounts import TikTokAccountsScreen
from bc_tui.services import Services
from bc_tui.store import Store
from bc_tui.widgets.phone import PhonePane
from bc_tui.widgets.table import VirtualTable
from tests.apps import Typed, burst, demo_app, phone_app, play
from tests.conftest import NORTHWIND


def status_of(app, handle: str) -> str:
    table = app.screen.query_one("#accounts", VirtualTable)
    return str(table.cells_of(handle)[1]).split(" ")[0]


def phone_text(app) -> str:
    pane = app.screen.query_one(PhonePane)
    parts = [str(pane.query_one(f"#phone-{part}", Static).render()) for part in ("title", "body")]
    return "\n".join(parts)


def link_status(app, handle: str) -> RelationStatus:
    link = app.services.repo.first(AssetLink, bc_id=NORTHWIND, asset_id=handle)
    return link.relation_status


async def open_qr(pilot, handle: str) -> QrDialog:
    await play(pilot, "2", "a", Typed(handle), "enter", "enter", "enter")
    await pilot.pause()
    assert isinstance(pilot.app.screen, QrDialog)
    return pilot.app.screen


async def open_qr_and_scanner(pilot, handle: str) -> QrDialog:
    """The QR dialog for @`handle`, with the phone beside it on its scanner."""
    dialog = await open_qr(pilot, handle)
    await pilot.press("p", "1", "1", "1", "1")
    assert "Scan" in phone_text(pilot.app)
    return dialog


async def test_the_whole_walkthrough_in_one_terminal(tmp_path: Path) -> None:
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_qr(pilot, "solstice.skin")
        await pilot.press("p")
        assert app.screen.query_one(PhonePane).display
        # Profile -> Menu -> Settings and privacy -> QR code -> scanner -> the code on screen
        await pilot.press("1", "1", "1", "1")
        assert "Scan" in phone_text(app)
        await pilot.press("1")
        assert "You are logged in as @solstice.skin." in phone_text(app)
        await pilot.press("1")  # Authorize
        await pilot.pause()
        assert isinstance(app.screen, TikTokAccountsScreen)
        assert status_of(app, "solstice.skin") == "Active"
        assert "Authorized. Northwind Media can now use @solstice.skin." in phone_text(app)
        # The phone keeps the keys: 1 taps its OK, it does not switch to Assets.
        assert app.screen.query_one(PhonePane) in app.focused.ancestors_with_self
        await pilot.press("1")
        assert isinstance(app.screen, TikTokAccountsScreen)
        assert "Authorized" not in phone_text(app)


async def test_wrong_account_then_switch_and_scan_again(tmp_path: Path) -> None:
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        dialog = await open_qr(pilot, "jess.outdoors")
        await pilot.press("p", "1", "1", "1", "1", "1", "1")
        await pilot.pause()
        assert dialog.request.status is RequestStatus.FAILED
        message = str(dialog.query_one("#qr-message", Static).render())
        assert "logged in as @solstice.skin" in message
        await pilot.press("1")  # OK: back to Profile
        await pilot.press("3", "2")  # Switch account -> @jess.outdoors
        assert "@jess.outdoors" in phone_text(app)
        await pilot.press("r")  # the admin makes a new code
        await pilot.press("1", "1", "1", "1", "1", "1")
        await pilot.pause()
        assert isinstance(app.screen, TikTokAccountsScreen)
        assert link_status(app, "jess.outdoors") is RelationStatus.BOUND


async def test_inbox_path_after_notify_instead_and_decline(tmp_path: Path) -> None:
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        dialog = await open_qr(pilot, "solstice.skin")
        await pilot.press("n", "p")
        # Profile -> Inbox -> All activity -> From TikTok -> the newest message
        await pilot.press("2", "1", "1", "1")
        assert "Authorize" in phone_text(app)
        await pilot.press("2")  # Decline
        await pilot.pause()
        assert dialog.request.status is RequestStatus.DECLINED
        assert "declined the request" in str(dialog.query_one("#qr-message", Static).render())
        assert link_status(app, "solstice.skin") is RelationStatus.REJECTED


async def test_revoke_on_the_phone_removes_the_account_from_the_admin_list(
    tmp_path: Path,
) -> None:
    app = demo_app(tmp_path)
    app.services.phone.log_in("mira.makes")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("2")
        assert status_of(app, "mira.makes") == "Active"
        # Profile -> Menu -> Settings and privacy -> Business Centers -> Northwind -> remove
        await pilot.press("p", "1", "1", "2", "1", "1")
        assert "Remove access?" in phone_text(app)
        await pilot.press("1")
        await pilot.pause()
        assert status_of(app, "mira.makes") == "Ended"
        assert link_status(app, "mira.makes") is RelationStatus.UNBOUND


async def test_escape_walks_back_and_p_hides_the_phone(tmp_path: Path) -> None:
    app = demo_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2", "p", "1", "1")
        assert phone_text(app).startswith("Settings and privacy")
        await pilot.press("escape", "escape")
        assert phone_text(app).startswith("@solstice.skin")
        await pilot.press("escape")  # at the top: the keys go back to the screen
        assert not isinstance(app.focused.parent, PhonePane)
        await pilot.press("p")
        assert not app.screen.query_one(PhonePane).display
        await pilot.press("3")  # number keys are the screen's again
        assert app.screen.AREA == "members"


async def test_the_phone_on_its_own_sees_the_live_codes(tmp_path: Path) -> None:
    from bc_tui.domain.models import RequestKind
    from tests.conftest import as_user

    app = phone_app(tmp_path)
    request = app.services.linking.request_authorization(
        as_user("ava"), "solstice.skin", RequestKind.CLAIM_OWNERSHIP
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1", "1", "1", "1")
        assert "Northwind Media: @solstice.skin (05:00)" in str(
            app.screen.query_one("#phone-items").get_option_at_index(0).prompt
        )
        await play(pilot, "tab", Typed(request.token), "enter")
        assert "Claim ownership" in phone_text(app)
        await pilot.press("1")
        assert app.services.linking.request(request.request_id).status is RequestStatus.APPROVED


async def test_enter_twice_on_the_scanner_does_not_authorize_unseen(tmp_path: Path) -> None:
    """The second enter of a burst was applied to the page the first one opened: from the
    scanner's code straight to that request's Authorize, which the owner never saw."""
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_qr_and_scanner(pilot, "solstice.skin")
        for _ in range(2):  # handed on together, as a terminal's driver does
            app.post_message(events.Key("enter", "\r"))
        await pilot.pause()
        assert "You are logged in as @solstice.skin." in phone_text(app)
        assert isinstance(app.screen, QrDialog)  # still waiting for the owner
        link = app.services.repo.first(AssetLink, bc_id=NORTHWIND, asset_id="solstice.skin")
        assert link.relation_status is not RelationStatus.BOUND


async def test_a_phone_made_after_the_start_is_found_by_p(tmp_path: Path) -> None:
    """A new database has no phone: p says how to make one, for this file; once `bc-tui
    phone` has (another process, the same file), p shows it without a restart."""
    services = Services(Store(tmp_path / "new.json"), FakeClock(), SeededIds(3))
    services.center.create_business_center("me@acme.test", "Me", "Acme", "Acme Inc.", "USD", "UTC")
    app = BusinessCenterApp(services, services.views.default_actor(), watch_interval=0)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("p")
        [notice] = [n.message for n in app._notifications]
        assert f"bc-tui phone --db {tmp_path / 'new.json'} --account @handle" in notice
        services.phone.log_in("acme.brand")
        await pilot.press("p")
        pane = app.screen.query_one(PhonePane)
        assert pane.display
        assert "acme.brand" in phone_text(app)


async def test_a_wrong_code_on_the_scanner_keeps_the_keys_on_the_phone(tmp_path: Path) -> None:
    """The page for a wrong code has nothing to tap or type: focus fell to the QR dialog,
    and escape (meant for the phone) cancelled the admin's request."""
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        dialog = await open_qr_and_scanner(pilot, "solstice.skin")
        await play(pilot, "tab", Typed("not-a-code"), "enter")
        assert "This is not a Business Center code." in phone_text(app)
        pane = app.screen.query_one(PhonePane)
        assert app.focused is pane
        await pilot.press("escape")  # back to the scanner, on the phone
        assert app.screen is dialog
        assert app.services.linking.request(dialog.request.request_id).status is (
            RequestStatus.NOT_USED
        )
        assert "Scan" in phone_text(app)
        assert pane in app.focused.ancestors_with_self


async def test_a_code_typed_wrong_is_kept_to_correct(tmp_path: Path) -> None:
    """A typo in a typed code was a dead end: the page said to ask for a new code, and going
    back showed an empty field. Back on the scanner the typed code is in its field, focused,
    to correct; a code it knows empties the field."""
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        dialog = await open_qr_and_scanner(pilot, "solstice.skin")
        token = dialog.request.token
        await play(pilot, "tab", Typed(token + "x"), "enter")
        assert "Go back (esc) to correct it" in phone_text(app)
        await pilot.press("escape")
        code = app.screen.query_one("#phone-code", Input)
        assert app.focused is code and code.value == token + "x"
        await pilot.press("backspace", "enter")
        assert "Authorize" in phone_text(app)
        assert code.value == ""
        # Kept to go back and correct it, not after: on a later visit it took the keys
        await play(pilot, "escape", "tab", Typed("oops"), "enter", "escape", "escape")
        assert "QR code" in phone_text(app) and code.value == ""
        await pilot.press("1")  # the scanner again, and 1 scans the code on the screen
        await pilot.press("1")
        assert "Authorize" in phone_text(app)


async def test_the_phone_on_its_own_goes_back_from_a_wrong_code(tmp_path: Path) -> None:
    app = phone_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1", "1", "1", "1")
        await play(pilot, "tab", Typed("not-a-code"), "enter")
        assert "This is not a Business Center code." in phone_text(app)
        await pilot.press("escape")
        assert "Scan" in phone_text(app)


async def test_shown_again_the_phone_leaves_an_earlier_codes_pages(tmp_path: Path) -> None:
    """p showed the phone where it was left: the outcome of an earlier code, or the page of
    a code since replaced ("Cancelled"), read as if about the code on screen now. Those are
    left for the Profile page; the page of a code still live is kept."""
    from bc_tui.domain.models import RequestKind
    from bc_tui.services.phone_pages import Page
    from tests.conftest import as_user

    app = demo_app(tmp_path)
    ava = as_user("ava")
    linking = app.services.linking
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("2", "p")
        session = app.phone_session
        assert session is not None and session.visible
        cases = []
        for live in (False, True):
            request = linking.request_authorization(
                ava, "solstice.skin", RequestKind.CLAIM_OWNERSHIP
            )
            if not live:
                linking.cancel(ava, request.request_id)
            cases.append((request.token, live))
        session.nav.show_result("Authorized.")
        await pilot.press("p", "p")
        assert session.nav.current.page is Page.PROFILE
        for token, live in cases:
            session.nav.open(Page.AUTHORIZE, token)
            await pilot.press("p", "p")
            assert session.nav.current.page is (Page.AUTHORIZE if live else Page.PROFILE)


async def scanner_beside_accounts(pilot: Pilot[None]) -> PhonePane:
    """TikTok accounts with the phone shown beside it, on its scanner."""
    from bc_tui.services.phone_pages import Page

    await pilot.press("2", "p")
    session = pilot.app.phone_session
    assert session is not None
    session.nav.open(Page.SCANNER)
    pane = pilot.app.screen.query_one(PhonePane)
    pane.sync()
    await pilot.pause()
    return pane


async def test_the_scanner_counts_down_its_codes_and_drops_expired_ones(tmp_path: Path) -> None:
    """The scanner's list of live codes stood still ("(00:12)" for good) and kept offering a
    code after it had expired. The pane draws its page again each second it is shown,
    keeping the cursor where it is."""
    from bc_tui.domain.models import RequestKind
    from tests.conftest import as_user

    app = demo_app(tmp_path)
    ava = as_user("ava")
    async with app.run_test(size=(120, 36)) as pilot:
        app.services.linking.request_authorization(
            ava, "solstice.skin", RequestKind.CLAIM_OWNERSHIP
        )
        pane = await scanner_beside_accounts(pilot)

        def items() -> list[str]:
            options = pane.query_one("#phone-items")
            return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]

        assert any("@solstice.skin (05:00)" in item for item in items())
        app.services.clock.advance(10)
        pane._tick()
        await pilot.pause()
        assert any("@solstice.skin (04:50)" in item for item in items())
        app.services.clock.advance(300)
        pane._tick()
        await pilot.pause()
        assert not any("@solstice.skin" in item for item in items())


async def test_the_phones_redraw_each_second_moves_no_focus_and_no_cursor(
    tmp_path: Path,
) -> None:
    """Drawn again each second, the scanner's page moved the focus: out of the code being
    typed by hand (into the list, where a digit taps a code), and, when its last code
    expired, off the admin's table into the phone. Its cursor moved to another code when
    one above expired. None of that happens now."""
    from textual.widgets import Input, OptionList

    from bc_tui.domain.models import RequestKind
    from tests.conftest import as_user

    app = demo_app(tmp_path)
    ava = as_user("ava")
    linking = app.services.linking
    async with app.run_test(size=(120, 36)) as pilot:
        linking.request_authorization(ava, "solstice.skin", RequestKind.CLAIM_OWNERSHIP)
        app.services.clock.advance(60)
        linking.request_authorization(ava, "our.brand", RequestKind.CLAIM_OWNERSHIP)
        pane = await scanner_beside_accounts(pilot)
        options = pane.query_one("#phone-items", OptionList)
        code = pane.query_one("#phone-code", Input)

        def on_cursor() -> str:
            return str(options.get_option_at_index(options.highlighted).prompt)

        options.focus()
        options.highlighted = [
            "solstice" in str(options.get_option_at_index(i).prompt)
            for i in range(options.option_count)
        ].index(True)
        code.focus()  # typing one by hand
        await pilot.pause()
        app.services.clock.advance(1)
        pane._tick()
        await pilot.pause()
        assert app.focused is code
        assert "@solstice.skin" in on_cursor()
        app.services.clock.advance(300 - 61 + 1)  # solstice.skin's code expires first
        pane._tick()
        await pilot.pause()
        assert "@our.brand" in on_cursor() and app.focused is code
        table = app.screen.query_one("#accounts")
        table.focus()
        await pilot.pause()
        app.services.clock.advance(60)  # the last code expires
        pane._tick()
        await pilot.pause()
        assert options.option_count == 0 and app.focused is table


async def test_the_phone_keeps_its_keys_when_its_page_empties_and_takes_none_it_lacks(
    tmp_path: Path,
) -> None:
    """From a review: an Authorize page whose code expired under the owner's keys left them
    with nothing focused (escape did nothing); and another screen's first drawing of the
    phone on an empty scanner took the admin's keys into its code box."""
    from bc_tui.domain.models import RequestKind
    from tests.conftest import as_user

    phone = phone_app(tmp_path / "phone")
    phone.services.linking.request_authorization(
        as_user("ava"), "solstice.skin", RequestKind.CLAIM_OWNERSHIP
    )
    async with phone.run_test(size=(80, 24)) as pilot:
        await pilot.press("1", "1", "1", "1", "1")  # scanner, then the code's Authorize
        phone.services.clock.advance(301)
        phone.screen.query_one(PhonePane)._tick()
        await pilot.pause()
        await pilot.press("escape")
        assert "Scan" in phone_text(phone)

    app = demo_app(tmp_path / "admin")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("2", "p", "1", "1", "1", "1")  # the owner on an empty scanner
        app.screen.query_one("#accounts").focus()  # the admin takes the keys back
        await pilot.pause()
        await pilot.press("3")
        await pilot.pause()
        assert app.screen.AREA == "members" and not isinstance(app.focused, Input)


async def test_a_code_typed_on_the_scanner_goes_into_its_field_not_to_the_dialog(
    tmp_path: Path,
) -> None:
    """Typed with the scanner's list under the keys, the code's letters went on to the QR
    dialog: an n in it made the admin's code a notification."""
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        dialog = await open_qr_and_scanner(pilot, "solstice.skin")
        code = app.screen.query_one("#phone-code", Input)
        assert not code.has_focus
        await pilot.press("²", "alt+x")  # (no item's digit: typed; alt+x: not typing)
        assert app.is_running and code.value == "²"
        code.value = ""
        app.screen.query_one("#phone-items").focus()
        await pilot.press(*"nr-x7")
        assert code.has_focus and code.value == "nr-x7"
        request = app.services.linking.request(dialog.request.request_id)
        assert request.status is RequestStatus.NOT_USED and request.token == dialog.request.token
        assert app.screen is dialog and dialog.query_one("#qr").display


async def test_escape_at_the_phones_top_keeps_the_keys_and_says_how_to_cancel(
    tmp_path: Path,
) -> None:
    """In the QR dialog, escape at the phone's top handed the keys to the dialog, and a run
    of escapes walking the phone back went on to cancel the admin's code. The keys stay on
    the phone, which says how to cancel: p hides it, and escape is the dialog's again."""
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        dialog = await open_qr(pilot, "solstice.skin")
        await pilot.press("p", "1")  # the phone's menu
        pane = app.screen.query_one(PhonePane)
        assert pane in app.focused.ancestors_with_self
        await pilot.press("escape", "escape", "escape", "escape")  # one more than it takes
        await pilot.pause()
        assert app.screen is dialog and pane in app.focused.ancestors_with_self
        assert app.services.linking.request(dialog.request.request_id).status is (
            RequestStatus.NOT_USED
        )
        assert any("press p to hide the phone, then esc" in n.message for n in app._notifications)
        await pilot.press("p", "escape")
        await pilot.pause()
        assert isinstance(app.screen, TikTokAccountsScreen)
        assert app.services.linking.request(dialog.request.request_id).status is (
            RequestStatus.CANCELLED
        )


async def test_escape_at_the_top_of_the_phone_on_its_own_keeps_the_keys_on_it(
    tmp_path: Path,
) -> None:
    """`bc-tui phone` has nothing else to hand the keys to: with none focused, 1-9 and the
    arrows did nothing until tab."""
    app = phone_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")  # the menu
        await pilot.press("escape", "escape")
        pane = app.screen.query_one(PhonePane)
        assert app.focused is not None and pane in app.focused.ancestors_with_self
        await pilot.press("1")
        assert "Menu" in phone_text(app)


async def test_the_phone_on_its_own_lists_its_keys(tmp_path: Path) -> None:
    """`bc-tui phone` had no `?`: the admin's app lists its keys, the phone's did not."""
    from bc_tui.screens.help import HelpScreen

    app = phone_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        said = dict(app.screen.sections[0][1])
        assert said["esc"] == "Phone: back" and said["1-9"] == "Phone: tap item"
        assert said["q"] == "Quit"
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("1")
        assert "Menu" in phone_text(app)


async def test_r_renews_an_ended_code_while_the_phone_has_the_keys(tmp_path: Path) -> None:
    """ "QR code expired ... Press r for a new QR code": with the phone's scanner under the
    keys, r went into its code field. Once the code cannot be approved, r is the dialog's
    (while it is live, a code typed on the phone may hold an r)."""
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        dialog = await open_qr_and_scanner(pilot, "solstice.skin")
        code = app.screen.query_one("#phone-code", Input)
        await pilot.press("r")
        assert code.value == "r" and dialog.request.status is RequestStatus.NOT_USED
        code.value = ""
        app.services.clock.advance(301)
        await pilot.pause(1.2)  # (the countdown's tick shows the expiry)
        assert "expired" in str(dialog.query_one("#qr-message", Static).render())
        before = dialog.request.token
        await pilot.press("r")
        await pilot.pause()
        assert code.value == ""
        assert dialog.request.token != before
        assert dialog.request.status_at(app.services.clock.now()) is RequestStatus.NOT_USED


async def test_a_code_pasted_on_the_scanner_keeps_every_digit(tmp_path: Path) -> None:
    """Keys in one read (a paste, fast typing) all go to the list that has the focus; the
    first moves the focus to the code's field, and a 1 after it tapped the first item: the
    code lost it, and the phone said "This is not a Business Center code"."""
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_qr_and_scanner(pilot, "solstice.skin")
        code = app.screen.query_one("#phone-code", Input)
        assert not code.has_focus
        burst(app, *"ab1c9")
        await pilot.pause()
        assert code.value == "ab1c9"
        assert "Scan" in phone_text(app)  # (no item was tapped)


async def test_closing_the_phone_gives_the_keys_back_to_the_list(tmp_path: Path) -> None:
    """With a filter applied, p p (the phone shown and hidden) gave the keys to the filter's
    text, selected: the next key (x, meant to remove an account) replaced it."""
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await play(pilot, "2", "slash", Typed("north"), "enter")
        assert isinstance(app.focused, VirtualTable)
        await pilot.press("p")
        await pilot.pause()
        assert app.screen.query_one(PhonePane).has_focus_within
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.focused, VirtualTable)
        assert app.screen.query_one("#filter", Input).value == "north"


async def test_the_filter_gives_the_keys_back_to_the_phone(tmp_path: Path) -> None:
    """/ then esc with the phone holding the keys left them with the list: the phone on
    screen, its keys gone from the bar."""
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("2", "p")
        await pilot.pause()
        pane = app.screen.query_one(PhonePane)
        assert pane.has_focus_within
        await pilot.press("slash")
        await pilot.pause()
        assert isinstance(app.focused, Input) and app.focused.id == "filter"
        await pilot.press("escape")
        await pilot.pause()
        assert pane.has_focus_within


async def test_escape_at_the_phones_first_page_gives_the_keys_back_to_the_list(
    tmp_path: Path,
) -> None:
    """With a filter applied, escape at the phone's first page gave the keys to the next
    widget round, the filter's text: the next key replaced it."""
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await play(pilot, "2", "slash", Typed("mira"), "enter", "p")
        await pilot.pause()
        assert app.screen.query_one(PhonePane).has_focus_within
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.focused, VirtualTable)
        assert app.screen.query_one("#filter", Input).value == "mira"
