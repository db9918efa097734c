"""A dialog closes once, whatever reaches it before it has gone.

Two clicks on a button, or enter twice in one burst (keys come in bursts over SSH), are both
handled before the dialog has gone. Textual's dismiss pops whatever screen is on top: a
second one ran the dialog's callback again and closed the screen under the dialog, which
ended the app with ScreenStackError.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual import events
from textual.widgets import Button, Input

from bc_tui.domain.models import AssetLink, AuthorizationRequest, RelationStatus
from bc_tui.screens.assign import AssignDialog
from bc_tui.screens.confirm import ConfirmDialog
from bc_tui.screens.picker import PickerDialog
from bc_tui.screens.qr_dialog import QrDialog
from bc_tui.screens.tiktok_accounts import TikTokAccountsScreen
from bc_tui.widgets.pick_list import PickList
from tests.apps import Typed, burst, demo_app, play
from tests.conftest import NORTHWIND, as_user


def screens(app) -> list[str]:
    return [type(screen).__name__ for screen in app.screen_stack]


async def test_a_double_click_on_confirm_does_it_once(tmp_path: Path) -> None:
    """Revoking is confirmed once: done twice, the second removal cleared the ended entry."""
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("2", "x")  # @brightlane.studio, access granted: revoke?
        assert isinstance(app.screen, ConfirmDialog)
        confirm = app.screen.query_one("#confirm", Button)
        confirm.press()
        confirm.press()
        await pilot.pause()
        assert app.is_running
        assert screens(app) == ["TikTokAccountsScreen"]
        link = app.services.repo.first(AssetLink, bc_id=NORTHWIND, asset_id="brightlane.studio")
        assert link is not None and link.relation_status is not RelationStatus.BOUND


async def test_enter_twice_in_a_burst_chooses_once(tmp_path: Path) -> None:
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("2", "u")
        assert isinstance(app.screen, PickerDialog)
        for key in ("down", "enter", "enter"):  # handed on together, as a terminal's driver does
            app.post_message(events.Key(key, "\r" if key == "enter" else None))
        await pilot.pause()
        assert app.is_running
        assert screens(app) == ["TikTokAccountsScreen"]
        assert app.actor == as_user("marcus")


async def test_a_double_click_on_submit_submits_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("2", "m")
        assert isinstance(app.screen, AssignDialog)
        app.screen.query_one("#people", PickList).pick(as_user("diego").user_id)
        calls: list[object] = []
        assign = app.services.center.assign_members

        def counted(*args: object) -> object:
            calls.append(args)
            return assign(*args)

        monkeypatch.setattr(app.services.center, "assign_members", counted)
        submit = app.screen.query_one("#submit", Button)
        submit.press()
        submit.press()
        await pilot.pause()
        assert app.is_running
        assert isinstance(app.screen, TikTokAccountsScreen)
        assert len(calls) == 1


@pytest.mark.parametrize(
    ("user", "keys", "dialog"),
    [
        ("ava", ("2",), "AccountDetail"),
        ("ava", ("3",), "MemberDialog"),
        ("priya", ("4", "left_square_bracket", "down"), "InvoiceDialog"),  # Billing → Invoices
    ],
)
async def test_a_row_chosen_twice_in_a_burst_opens_one_dialog(
    tmp_path: Path, user: str, keys: tuple[str, ...], dialog: str
) -> None:
    """Both enters reach the table before the screen has opened anything: two dialogs opened,
    one under the other (the lower one went on showing a member removed in the upper one)."""
    app = demo_app(tmp_path, as_user(user))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press(*keys)
        area_screen = screens(app)
        burst(app, "enter", "enter")
        for _ in range(100):  # (a starved worker's pause can return before the dialog is up)
            await pilot.pause()
            if len(app.screen_stack) > len(area_screen):
                break
        await pilot.pause()
        assert screens(app) == [*area_screen, dialog]


async def test_enter_twice_on_the_phone_taps_once(tmp_path: Path) -> None:
    """Each draw of a phone page makes new options: the second enter of a burst chose an
    option of the page the first one left, tapping what the new page has there (past its
    end, the app ended with IndexError)."""
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("2", "p", "down")  # the phone's Home: its second item, the Inbox
        burst(app, "enter", "enter")
        await pilot.pause()
        assert app.is_running
        assert "Inbox" in str(app.screen.query_one("#phone-title").render())


# -- a confirmation takes a yes only once it has been on screen a moment --------------------


async def test_a_confirmation_takes_no_yes_as_soon_as_it_appears(tmp_path: Path) -> None:
    app = demo_app(tmp_path, confirm_dwell=60)  # (longer than any test could take)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("2", "x")  # @brightlane.studio, access granted: revoke?
        assert isinstance(app.screen, ConfirmDialog)
        assert app.screen.query_one("#confirm", Button).disabled
        await pilot.press("enter")
        await pilot.click("#confirm")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("escape")
        link = app.services.repo.first(AssetLink, bc_id=NORTHWIND, asset_id="brightlane.studio")
        assert link is not None and link.relation_status is RelationStatus.BOUND


async def test_a_confirmation_takes_enter_after_its_dwell(tmp_path: Path) -> None:
    app = demo_app(tmp_path, confirm_dwell=0.05)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("2", "x")
        dialog = app.screen
        assert isinstance(dialog, ConfirmDialog)
        for _ in range(200):  # the dwell's timer, given up to 10 s on a busy machine
            if dialog.ready:
                break
            await pilot.pause(0.05)
        assert dialog.ready
        await pilot.press("enter")
        await pilot.pause()
        assert screens(app) == ["TikTokAccountsScreen"]
        link = app.services.repo.first(AssetLink, bc_id=NORTHWIND, asset_id="brightlane.studio")
        assert link is not None and link.relation_status is not RelationStatus.BOUND


@pytest.mark.parametrize("dwell", [0.0, 60.0])
async def test_enter_typed_with_the_key_that_asks_leaves_the_question_up(
    tmp_path: Path, dwell: float
) -> None:
    """x and enter in one burst: Textual hands the enter on to the focused widget, which by
    then is the question's Cancel button; it used to press it, and the question vanished
    before it was seen. It stays up now, with or without the dwell."""
    app = demo_app(tmp_path, confirm_dwell=dwell)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("2")
        for key in ("x", "enter"):
            app.post_message(events.Key(key, "\r" if key == "enter" else key))
        await pilot.pause()
        assert screens(app) == ["TikTokAccountsScreen", "ConfirmDialog"]
        link = app.services.repo.first(AssetLink, bc_id=NORTHWIND, asset_id="brightlane.studio")
        assert link is not None and link.relation_status is RelationStatus.BOUND


@pytest.mark.parametrize("dwell", [0.0, 60.0])
async def test_a_double_tap_on_claim_ownership_does_not_also_confirm_it(
    tmp_path: Path, dwell: float
) -> None:
    """The Claim ownership card opens on enter a confirmation that also takes enter: the
    second enter of a double tap, coming once the confirmation was up, confirmed the
    permanent claim unread. (Without the dwell, as tests run, it does: the case shows the
    second enter reaches the confirmation.)"""
    app = demo_app(tmp_path, confirm_dwell=dwell)
    async with app.run_test(size=(120, 36)) as pilot:
        await play(pilot, "2", "a", Typed("our.brand"), "enter", "right", "enter")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("enter")
        await pilot.pause()
        claimed = app.services.repo.first(AuthorizationRequest, handle="our.brand") is not None
        assert claimed is (dwell == 0)
        assert isinstance(app.screen, QrDialog if dwell == 0 else ConfirmDialog)


async def test_an_address_typed_with_its_enter_in_one_burst_is_the_address_invited(
    tmp_path: Path,
) -> None:
    """As with an amount (test_billing): the whole address reaches the field before enter
    sends the invitation, where it used to send an empty one and say none was given."""
    from bc_tui.domain.models import Member, MemberStatus, User
    from bc_tui.screens.members import MembersScreen

    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("3", "i")
        burst(app, *"zoe@agency.com", "enter")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, MembersScreen)
        user = app.services.repo.first(User, user_email="zoe@agency.com")
        assert user is not None
        member = app.services.repo.first(Member, user_id=user.user_id)
        assert member is not None and member.relation_status is MemberStatus.PENDING


async def test_escape_then_enter_in_one_burst_cancels_and_submits_nothing(
    tmp_path: Path,
) -> None:
    """Enter, a priority key, used to be run before an escape typed just ahead of it: the
    form was sent although the person had cancelled it. Keys keep their order now."""
    from bc_tui.domain.models import Member
    from bc_tui.screens.members import MembersScreen

    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await play(pilot, "3", "i", Typed("zoe@agency.com"))
        members = app.services.repo.count(Member, bc_id=NORTHWIND)
        burst(app, "escape", "enter")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, MembersScreen)
        assert app.services.repo.count(Member, bc_id=NORTHWIND) == members


async def test_keys_kept_back_are_handed_on_even_if_nothing_releases_them(
    tmp_path: Path,
) -> None:
    """Keys held for a form's enter are released by the enter's action; if that never
    comes (its message lost with a widget removed meanwhile), they are handed on after
    HOLD_KEYS_AT_MOST seconds, in order, rather than lost."""
    from bc_tui.screens.members import MembersScreen

    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("2")
        app.hold_keys()
        burst(app, "3", "i")
        await pilot.pause()
        assert isinstance(app.screen, TikTokAccountsScreen)  # kept back
        for _ in range(160):  # bounded: 8 s, four times the hold's limit
            if not isinstance(app.screen, TikTokAccountsScreen):
                break
            await pilot.pause(0.05)
        await pilot.pause()
        assert [type(screen).__name__ for screen in app.screen_stack] == [
            MembersScreen.__name__,
            "InviteDialog",
        ]


@pytest.mark.parametrize(
    ("area", "key", "typed", "field"),
    [
        ("2", "a", "quinn.ubq", "#handle"),  # q quit, u opened Act as, b switched center
        ("3", "i", "pat@quay.biz", "#emails"),
        ("1", "n", "7299000000000000999", "#partner-id"),
    ],
)
async def test_characters_typed_with_the_key_that_opens_a_dialog_go_into_it(
    tmp_path: Path, area: str, key: str, typed: str, field: str
) -> None:
    """In one burst (fast typing over SSH, a paste) the characters after the key reached the
    screen the dialog covers: "a" then "quinn" quit the app on its q."""
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press(area)
        burst(app, key, *typed)
        await pilot.pause()
        await pilot.pause()
        assert app.is_running
        assert app.screen.query_one(field, Input).value == typed


def test_every_form_dialog_cancels_on_escape_and_submits_on_enter_in_its_words() -> None:
    """FormDialog makes the two keys from SUBMIT (eight dialogs wrote them out, the same)."""
    import importlib
    import pkgutil

    import bc_tui.screens
    from bc_tui.screens.form import FormDialog

    for module in pkgutil.iter_modules(bc_tui.screens.__path__):
        importlib.import_module(f"bc_tui.screens.{module.name}")
    forms = FormDialog.__subclasses__()
    assert len(forms) >= 8
    for form in forms:
        keys = {binding.key: (binding.action, binding.description) for binding in form.BINDINGS}
        assert keys["escape"] == ("cancel", "Cancel"), form
        assert keys["enter"] == ("after_typing('submit')", form.SUBMIT), form


async def test_tab_in_a_burst_of_keys_moves_on_after_the_keys_before_it(tmp_path: Path) -> None:
    """Typed fast (over SSH, a paste), "12345", tab, "Acme" all went into the first field:
    tab climbed from that field to the app's bindings behind the letters after it. Tab and
    shift+tab in a dialog now run after the keys before them, and hold the keys after."""
    from bc_tui.screens.partner import PartnerDialog

    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("1", "n")
        assert isinstance(app.screen, PartnerDialog)
        burst(app, "1", "2", "3", "4", "5", "tab", "A", "c", "m", "e")
        await pilot.pause()
        await pilot.pause()
        assert app.screen.query_one("#partner-id", Input).value == "12345"
        assert app.screen.query_one("#partner-name", Input).value == "Acme"
        burst(app, "shift+tab", "6")  # (back in a field, its text is selected: 6 replaces it)
        await pilot.pause()
        await pilot.pause()
        assert app.screen.query_one("#partner-id", Input).value == "6"
        assert app.screen.query_one("#partner-name", Input).value == "Acme"
