"""Driving the app by keys, as an admin would."""

from __future__ import annotations

from pathlib import Path

import pytest

from bc_tui.domain.models import (
    AssetLink,
    AssetRole,
    AssetType,
    RelationStatus,
    RequestKind,
    TtAccountRole,
)
from bc_tui.screens.account_detail import AccountDetail
from bc_tui.screens.activity import ActivityScreen
from bc_tui.screens.assets import AssetsScreen
from bc_tui.screens.billing import BillingScreen
from bc_tui.screens.confirm import ConfirmDialog
from bc_tui.screens.help import HelpScreen
from bc_tui.screens.member_detail import MemberDialog
from bc_tui.screens.members import MembersScreen
from bc_tui.screens.picker import PickerDialog
from bc_tui.screens.tiktok_accounts import TikTokAccountsScreen
from bc_tui.widgets.footer import KeysFooter
from bc_tui.widgets.table import VirtualTable
from tests.apps import Typed, burst, demo_app, on_account, play, run_command
from tests.conftest import LABS, NORTHWIND, as_user


def handles(app) -> list[str]:
    table = app.screen.query_one("#accounts", VirtualTable)
    return [str(table.cells_at(i)[0]) for i in range(table.row_count)]


async def test_number_keys_switch_between_all_five_areas(tmp_path: Path) -> None:
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        assert isinstance(app.screen, AssetsScreen)
        for key, screen in [
            ("2", TikTokAccountsScreen),
            ("3", MembersScreen),
            ("4", BillingScreen),
            ("5", ActivityScreen),
            ("1", AssetsScreen),
            ("2", TikTokAccountsScreen),
        ]:
            await pilot.press(key)
            assert isinstance(app.screen, screen), key
        assert app.title == "Northwind Media"
        assert app.sub_title == "Ava Chen · Admin"


async def test_slash_filters_and_escape_clears(tmp_path: Path) -> None:
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("2")
        assert len(handles(app)) == 9
        await play(pilot, "slash", Typed("peak"))
        assert handles(app) == ["@urbanpeak.outdoors"]
        await pilot.press("escape")
        assert len(handles(app)) == 9
        assert isinstance(app.focused, VirtualTable)


async def test_escape_on_the_table_clears_a_filter_applied_with_enter(tmp_path: Path) -> None:
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await play(pilot, "2", "slash", Typed("peak"), "enter")
        assert isinstance(app.focused, VirtualTable)
        assert handles(app) == ["@urbanpeak.outdoors"]
        await pilot.press("escape")
        assert len(handles(app)) == 9
        assert not app.screen.query_one("#filter").display
        assert isinstance(app.focused, VirtualTable)


async def test_slash_in_a_burst_keeps_the_keys_order(tmp_path: Path) -> None:
    """`/` is a priority key: it used to run as it arrived, ahead of an area key typed just
    before it in one burst (`4/` opened the filter of the area being left, and the 4 was
    lost to it). It runs behind the keys before it now; the keys after it still go into the
    filter, never to the table (`x` there would remove an account)."""
    from textual.widgets import Input

    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("1")
        burst(app, "3", "/")
        await pilot.pause()
        assert isinstance(app.screen, MembersScreen)
        assert isinstance(app.focused, Input) and app.focused.id == "filter"
        await pilot.press("escape", "2")
        burst(app, "/", "x")
        await pilot.pause()
        assert [type(screen).__name__ for screen in app.screen_stack] == ["TikTokAccountsScreen"]
        assert isinstance(app.focused, Input) and app.focused.value == "x"


async def test_question_mark_lists_every_key(tmp_path: Path) -> None:
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("2", "question_mark")
        assert isinstance(app.screen, HelpScreen)
        keys = {key for _, rows in app.screen.sections for key, _ in rows}
        assert {"1", "2", "3", "4", "5", "/", "?", "q", "u", "b", "x", "ctrl+p"} <= keys
        await pilot.press("escape")
        assert isinstance(app.screen, TikTokAccountsScreen)


async def test_the_key_bar_shows_question_mark_first_even_when_cut_short(tmp_path: Path) -> None:
    """An area's own keys come first and at 80 columns (TikTok accounts: at 120 too) the bar
    is cut; `?` leads it so that the key listing every other one is always on screen."""
    app = demo_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        for area in "12345":
            await pilot.press(area)
            bar = app.screen.query_one(KeysFooter)
            first, *_, palette = bar.keys
            assert (first.display, first.description) == ("?", "Keys"), area
            assert first.end <= palette.start, area
        await pilot.click(bar, offset=(first.start + 1, 0))
        assert isinstance(app.screen, HelpScreen)


async def test_keys_screen_leaves_out_what_a_standard_member_cannot_do(tmp_path: Path) -> None:
    app = demo_app(tmp_path, as_user("lena"))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("2", "question_mark")
        keys = {key for _, rows in app.screen.sections for key, _ in rows}
        assert "x" not in keys
        assert "/" in keys


async def test_revoking_access_asks_first_and_then_ends_the_link(tmp_path: Path) -> None:
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("2")
        assert handles(app)[0] == "@brightlane.studio"
        await pilot.press("x")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("escape")
        link = app.services.repo.first(AssetLink, bc_id=NORTHWIND, asset_id="brightlane.studio")
        assert link.relation_status is RelationStatus.BOUND
        await pilot.press("x")
        await pilot.press("enter")
        await pilot.pause()
        link = app.services.repo.first(AssetLink, bc_id=NORTHWIND, asset_id="brightlane.studio")
        assert link.relation_status is RelationStatus.UNBOUND
        table = app.screen.query_one("#accounts", VirtualTable)
        assert str(table.cells_at(0)[1]) == "Ended"


async def test_enter_opens_details(tmp_path: Path) -> None:
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("2", "enter")
        assert isinstance(app.screen, AccountDetail)
        assert app.screen.row.handle == "brightlane.studio"
        await pilot.press("escape")
        assert isinstance(app.screen, TikTokAccountsScreen)


async def test_standard_member_is_not_offered_remove(tmp_path: Path) -> None:
    app = demo_app(tmp_path, as_user("lena"))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("2")
        assert handles(app) == ["@brightlane.studio", "@mira.makes"]
        await pilot.press("x")
        assert isinstance(app.screen, TikTokAccountsScreen)
        link = app.services.repo.first(AssetLink, bc_id=NORTHWIND, asset_id="brightlane.studio")
        assert link.relation_status is RelationStatus.BOUND


async def test_switching_user_changes_what_is_visible(tmp_path: Path) -> None:
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("2", "u")
        assert isinstance(app.screen, PickerDialog)
        await pilot.press("l")  # typed: the first member whose name starts with it
        await pilot.press("enter")
        await pilot.pause()
        assert app.actor == as_user("lena")
        assert handles(app) == ["@brightlane.studio", "@mira.makes"]
        assert app.sub_title == "Lena Park · Standard"


async def test_acting_as_an_invited_member_can_switch_back(tmp_path: Path) -> None:
    """Sam is only invited and may not see the members list: `u` used to offer no one then,
    and only a restart brought the Admin back."""
    app = demo_app(tmp_path, as_user("sam"))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("2", "u", "a", "enter")  # typed: Ava
        await pilot.pause()
        assert app.actor == as_user("ava")


async def test_switching_business_center(tmp_path: Path) -> None:
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("2", "b", "home", "enter")  # Northwind Labs sorts first
        await pilot.pause()
        assert app.actor.bc_id == LABS
        assert app.title == "Northwind Labs"
        assert handles(app) == ["@labs.prototype"]


async def test_another_process_change_shows_without_a_key(tmp_path: Path) -> None:
    from bc_tui.clock import FakeClock
    from bc_tui.ids import SeededIds
    from bc_tui.services import Services
    from bc_tui.store.database import Store

    app = demo_app(tmp_path)
    app._watch_interval = 0.05
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("2")
        other = Services(Store(tmp_path / "bc.json"), FakeClock(), SeededIds(99))
        other.center.remove_tiktok_account(as_user("marcus"), "vantage.gaming")
        for _ in range(100):  # bounded: at most ~5 s
            await pilot.pause(0.05)
            if "@vantage.gaming" not in handles(app):
                break
        assert "@vantage.gaming" not in handles(app)


async def test_command_palette_reaches_screens_and_actions(tmp_path: Path) -> None:
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await run_command(pilot, "Go to Members")
        assert isinstance(app.screen, MembersScreen)
        await pilot.press("2")
        await run_command(pilot, "Account details")
        assert isinstance(app.screen, AccountDetail)


async def test_the_palette_lists_each_command_once(tmp_path: Path) -> None:
    """Textual's own "Keys" (its help panel) came second under ours."""
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert len(titles) == len(set(titles))
        assert "Keys" in titles
        assert "Filter assets" in titles  # (on TikTok accounts: "Filter TikTok accounts")
        await pilot.press("2")
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Filter TikTok accounts" in titles


async def test_over_a_dialog_the_palette_offers_only_what_reaches_it(tmp_path: Path) -> None:
    """The global keys (1-5, p, u, b) do nothing over a dialog, but the palette offered them:
    "Go to Members" left the Add account dialog open behind, on TikTok accounts."""
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("2", "a")
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert not [title for title in titles if title.startswith("Go to ")]
        assert not {"Show or hide the phone", "Switch acting user", "Security settings"} & {*titles}
        assert "Keys" in titles
        await pilot.press("escape")
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Go to Members" in titles and "Switch acting user" in titles


@pytest.mark.parametrize(
    "screen", [AssetsScreen, TikTokAccountsScreen, MembersScreen, BillingScreen, ActivityScreen]
)
def test_every_key_of_an_area_is_a_palette_command(screen: type) -> None:
    """DESIGN: every action is reachable from the keyboard and from the command palette."""
    commands = {action for _, _, action in screen.PALETTE}
    keys = {binding.action for binding in screen.__dict__["BINDINGS"]}
    assert keys <= commands


@pytest.mark.parametrize("dialog", [MemberDialog, AccountDetail])
def test_every_key_of_a_details_dialog_is_a_palette_command(dialog: type) -> None:
    commands = {action for _, _, action in dialog.PALETTE}
    keys = {binding.action for binding in dialog.__dict__["BINDINGS"]} - {"close"}
    assert keys and keys <= commands


async def test_the_palette_reaches_a_members_actions_in_their_details(tmp_path: Path) -> None:
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("3", "down", "down", "down", "enter")  # Lena Park
        assert isinstance(app.screen, MemberDialog)
        await run_command(pilot, "Remove member")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("escape")
        await run_command(pilot, "Resend invitation")  # she joined: it says so
        assert any("there is no invitation to resend" in str(n.message) for n in app._notifications)


async def test_a_billing_command_shows_its_tab_first(tmp_path: Path) -> None:
    """From the overview tab, the palette's Transfer money opens the transfer for the ad
    account selected on its own tab (run where it was, it would pick a row out of sight)."""
    from bc_tui.screens.transfer import TransferDialog

    app = demo_app(tmp_path, as_user("priya"))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("4")
        assert app.screen.tab == "overview"
        await run_command(pilot, "Transfer money")
        assert isinstance(app.screen, TransferDialog)
        assert app.screen_stack[-2].tab == "ad-accounts"


async def test_the_palette_shows_the_phone(tmp_path: Path) -> None:
    from bc_tui.widgets.phone import PhonePane

    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("2")
        await run_command(pilot, "Show or hide the phone")
        assert app.screen.query_one(PhonePane).display


async def test_unexpected_error_is_logged_not_shown_as_a_traceback(
    tmp_path: Path, monkeypatch
) -> None:
    import logging

    from bc_tui.app import configure_log, log

    log_file = tmp_path / "logs" / "bc-tui.log"
    configure_log(log_file)
    app = demo_app(tmp_path)

    def broken(*_: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(app.services.center, "remove_tiktok_account", broken)
    try:
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.press("2", "x", "enter")
            await pilot.pause()
            [notice] = list(app._notifications)
            assert "unexpected" in notice.message
            assert "Traceback" not in notice.message
            assert isinstance(app.screen, TikTokAccountsScreen)
    finally:
        for handler in list(log.handlers):
            handler.close()
            log.removeHandler(handler)
        log.setLevel(logging.NOTSET)
    text = log_file.read_text()
    assert "RuntimeError: disk on fire" in text
    assert "Traceback" in text


async def test_a_rule_broken_in_the_ui_is_explained(tmp_path: Path) -> None:
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("2")
        other = app.services  # the same rule, reached through a stale row:
        other.center.remove_tiktok_account(as_user("marcus"), "brightlane.studio")
        other.center.remove_tiktok_account(as_user("marcus"), "brightlane.studio")
        await pilot.press("x", "enter")  # the row still shows it; the service refuses
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any("not in this Business Center" in m for m in messages), messages


async def test_empty_list_says_how_to_add_and_where_else_to_look(tmp_path: Path) -> None:
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        labs_admin = as_user("ava", LABS)
        app.services.center.remove_tiktok_account(labs_admin, "labs.prototype")  # ends it
        app.services.center.remove_tiktok_account(labs_admin, "labs.prototype")  # clears it
        await pilot.press("b", "home", "enter", "2")  # Northwind Labs
        await pilot.pause()
        summary = str(app.screen.query_one("#summary").render())
        assert "No TikTok accounts in Northwind Labs yet. Press a to add one." in summary
        assert "Press b" in summary


@pytest.mark.parametrize(
    ("who", "says"),
    [
        ("priya", "No TikTok account in Northwind Media is assigned to you. Members see only"),
        ("sam", "You are invited to Northwind Media and have not joined yet"),
        ("lena", "2 accounts · 2 active · you see only the accounts assigned to you"),
    ],
)
async def test_a_member_is_told_they_see_only_what_is_assigned(
    tmp_path: Path, who: str, says: str
) -> None:
    """The walkthrough's first hitch, where people look: joining a Business Center assigns
    no assets. A member with none was told the Business Center had no accounts yet."""
    app = demo_app(tmp_path, as_user(who))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("2")
        assert says in str(app.screen.query_one("#summary").render())


@pytest.mark.parametrize("area", ["1", "2", "3"])
async def test_an_invited_person_is_told_to_accept_in_every_area_that_lists(
    tmp_path: Path, area: str
) -> None:
    """Assets said "0 assets · you see only the assets assigned to you" where TikTok accounts
    and Members said to accept the invitation."""
    app = demo_app(tmp_path, as_user("sam"))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press(area)
        summary = str(app.screen.query_one("#summary").render())
        assert "You are invited to Northwind Media and have not joined yet" in summary
        assert "Accept the invitation" in summary


async def test_a_member_whose_invitation_expired_is_told_so(tmp_path: Path) -> None:
    from bc_tui.domain.models import Member

    app = demo_app(tmp_path, as_user("sam"))
    sam = app.services.repo.first(Member, bc_id=NORTHWIND, user_id=as_user("sam").user_id)
    app.services.clock.set(sam.invite_expires_at)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("2")
        summary = str(app.screen.query_one("#summary").render())
        assert "Your invitation to Northwind Media has expired" in summary


async def test_searching_an_account_of_another_center_says_where_it_is(tmp_path: Path) -> None:
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await play(pilot, "2", "slash", Typed("labs"))
        summary = str(app.screen.query_one("#summary").render())
        assert summary == (
            "@labs.prototype is in Business Center Northwind Labs — press b to switch."
        )


async def test_activity_shows_the_event_under_the_cursor_in_full(tmp_path: Path) -> None:
    """At 80 columns the table cuts every sentence; the line below it has the whole one."""
    app = demo_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("5")
        table = app.screen.query_one("#activity", VirtualTable)

        def event() -> str:
            line = app.screen.query_one("#event")
            return str(line.render()) if line.display else ""

        first, second = (table.row_at(i).activity_log for i in (0, 1))
        assert len(first) > 60  # longer than its column
        assert event() == first
        await pilot.press("down")
        assert event() == second
        await play(pilot, "slash", Typed("claimed @northwind.coffee"), "enter")
        assert event() == table.row_at(0).activity_log != first
        await play(pilot, "slash", Typed("no such event"))
        assert table.row_count == 0
        assert event() == ""


async def test_activity_pages_through_many_events(tmp_path: Path) -> None:
    from bc_tui.app import BusinessCenterApp
    from bc_tui.clock import FakeClock
    from bc_tui.ids import SeededIds
    from bc_tui.services import Actor, Services
    from bc_tui.services.seed import generate
    from bc_tui.store.database import Store

    clock = FakeClock()
    services = Services(Store(tmp_path / "big.json"), clock, SeededIds(3))
    seeded = generate(services.repo, clock, seed=3, accounts=20, members=5, events=1200)
    app = BusinessCenterApp(services, Actor(seeded.user_id, seeded.bc_id), watch_interval=0)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("5")

        def summary() -> str:
            return str(app.screen.query_one("#summary").render())

        assert summary().startswith("1,200 events · 1–500, page 1 of 3")

        def offered() -> set[str]:  # (the key bar's page keys: none past either end)
            keys = {key.key for key in app.screen.query_one(KeysFooter).keys}
            return keys & {"right_square_bracket", "left_square_bracket"}

        assert offered() == {"right_square_bracket"}
        assert summary().endswith("page 1 of 3 (] older)")
        await pilot.press("right_square_bracket", "right_square_bracket", "right_square_bracket")
        assert summary().startswith("1,200 events · 1,001–1,200, page 3 of 3")
        await pilot.pause()
        assert offered() == {"left_square_bracket"}
        assert summary().endswith("page 3 of 3 ([ newer)")
        table = app.screen.query_one("#activity", VirtualTable)
        assert str(table.cells_at(table.row_count - 1)[3]) == "Generated event 0"
        await pilot.press("left_square_bracket")
        assert "page 2 of 3" in summary()
        # The first event of page 2 is not the newest: a new event moves it down a row,
        # and the cursor goes with it (it follows new events only on the newest).
        first = table.row_at(0)
        services.center.update_business_info(
            app.actor, "Renamed", services.views.business_center(app.actor.bc_id).company, "UTC"
        )
        app.data_changed()
        await pilot.pause()
        assert table.cursor_row == 1 and table.row_at(1) == first


async def test_activity_filter_over_a_big_log_waits_for_a_pause_or_enter(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Over a big log a filter keystroke takes long enough to notice, so the filter waits
    for typing to pause (or for enter) instead of freezing the screen after each letter."""
    from bc_tui.app import BusinessCenterApp
    from bc_tui.clock import FakeClock
    from bc_tui.ids import SeededIds
    from bc_tui.services import Actor, Services
    from bc_tui.services.seed import generate
    from bc_tui.store.database import Store

    monkeypatch.setattr(ActivityScreen, "PAUSE_FROM", 1000)  # "big" is 20,000 events
    clock = FakeClock()
    services = Services(Store(tmp_path / "big.json"), clock, SeededIds(3))
    seeded = generate(services.repo, clock, seed=3, accounts=20, members=5, events=1200)
    app = BusinessCenterApp(services, Actor(seeded.user_id, seeded.bc_id), watch_interval=0)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("5", "slash")

        def summary() -> str:
            return str(app.screen.query_one("#summary").render())

        await play(pilot, Typed("event 119"))
        assert summary().startswith("1,200 events · 1–500")  # not yet: typing may go on
        await pilot.press("enter")
        assert summary().startswith("11 events · filter: event 119")


async def test_activity_stays_on_its_event_when_new_ones_arrive(tmp_path: Path) -> None:
    """A change adds an event on top: the cursor stays on the event it was on (it used to
    jump to the newest after every change, anyone's); a filter starts at the newest."""
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("5", "down", "down", "down")
        table = app.screen.query_one("#activity", VirtualTable)
        event = table.row_at(3)
        ava, lena = app.actor, as_user("lena").user_id
        app.services.center.assign_member(
            ava, lena, AssetType.TT_ACCOUNT, "northwind.coffee", AssetRole.OPERATOR
        )
        app.data_changed()
        await pilot.pause()
        assert table.row_at(4) == event and table.cursor_row == 4
        await play(pilot, "slash", Typed("Lena"), "enter")
        assert table.cursor_row == 0


async def test_activity_on_its_newest_event_follows_new_ones(tmp_path: Path) -> None:
    """On the newest event, the cursor goes on to the new newest: a first visit (the area
    was built before this session's changes) showed an older event with the new ones above."""
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("5")
        table = app.screen.query_one("#activity", VirtualTable)
        assert table.cursor_row == 0
        await pilot.press("1")
        app.services.center.assign_member(
            app.actor,
            as_user("lena").user_id,
            AssetType.TT_ACCOUNT,
            "northwind.coffee",
            AssetRole.OPERATOR,
        )
        app.data_changed()
        await pilot.press("5")
        assert table.cursor_row == 0
        assert table.row_at(0).activity_log.startswith("Ava Chen assigned Lena Park")


async def test_activity_starts_at_the_newest_when_its_event_left_the_page(tmp_path: Path) -> None:
    """The event under the cursor, last on a full page, is pushed to the next page by a new
    one: the cursor goes to the newest rather than staying on an unrelated event."""
    from bc_tui.app import BusinessCenterApp
    from bc_tui.clock import FakeClock
    from bc_tui.ids import SeededIds
    from bc_tui.services import Actor, Services
    from bc_tui.services.seed import generate
    from bc_tui.store.database import Store

    clock = FakeClock()
    services = Services(Store(tmp_path / "big.json"), clock, SeededIds(3))
    seeded = generate(services.repo, clock, seed=3, accounts=20, members=5, events=600)
    actor = Actor(seeded.user_id, seeded.bc_id)
    app = BusinessCenterApp(services, actor, watch_interval=0)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("5")
        table = app.screen.query_one("#activity", VirtualTable)
        table.move_cursor(row=499)
        assert table.cursor_row == table.row_count - 1 == 499
        services.billing.create_ad_account(actor, "Pushes one event off the page")
        app.data_changed()
        await pilot.pause()
        assert table.cursor_row == 0


@pytest.mark.parametrize(("width", "expected"), [(80, "-narrow"), (120, "-wide")])
async def test_an_area_is_laid_out_for_the_width_from_its_first_frame(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, width: int, expected: str
) -> None:
    """The width class is there when the screen mounts: given by the first Resize instead,
    it restyled every widget and laid out the first frame twice, first for the wrong width
    (at 80 columns, the wide sidebar)."""
    from bc_tui.screens.base import AreaScreen

    at_mount: list[set[str]] = []
    mount = AreaScreen.on_mount

    def on_mount(self: AreaScreen) -> None:
        at_mount.append(set(self.classes))
        mount(self)

    monkeypatch.setattr(AreaScreen, "on_mount", on_mount)
    app = demo_app(tmp_path)
    async with app.run_test(size=(width, 24)) as pilot:
        await pilot.press("2")
        assert at_mount
        assert all(expected in classes for classes in at_mount)
        assert app.screen.has_class(expected)


async def test_the_phone_shown_before_the_app_settles_is_styled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The phone's stylesheet is read once the first frame is up (`_settled`), or at the
    first key if that comes first: a key typed ahead while the app started can show the
    phone before then, and it must not show unstyled."""
    from bc_tui.ahead import AreasAheadApp
    from bc_tui.app import BusinessCenterApp
    from bc_tui.widgets.phone import PhonePane

    monkeypatch.setattr(BusinessCenterApp, "_settled", AreasAheadApp._settled)  # not yet
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("p")
        assert app.screen.query_one(PhonePane).outer_size.width == 38  # phone.tcss's


async def test_an_admin_renames_the_business_center_from_the_palette(tmp_path: Path) -> None:
    from textual.widgets import Input

    from bc_tui.screens.business_info import BusinessInfoDialog

    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await run_command(pilot, "Business info")
        assert isinstance(app.screen, BusinessInfoDialog)
        app.screen.query_one("#bc-timezone", Input).value = "Mars/Olympus"
        await pilot.press("enter")
        assert "is not a time zone" in str(app.screen.query_one("#error").render())
        app.screen.query_one("#bc-timezone", Input).value = "Europe/London"
        app.screen.query_one("#bc-name", Input).value = "Northwind Studio"
        await pilot.press("enter")
        await pilot.pause()
        assert app.title == "Northwind Studio"
        assert app.services.views.business_center(NORTHWIND).timezone == "Europe/London"


async def test_business_info_is_only_for_admins(tmp_path: Path) -> None:
    app = demo_app(tmp_path, as_user("lena"))
    async with app.run_test(size=(120, 36)) as pilot:
        app.action_business_info()
        await pilot.pause()
        assert app.screen.AREA == "assets"
        assert any(
            "Only an Admin can change business info" in n.message for n in app._notifications
        )


async def test_every_asset_list_fits_the_demo_terminal(tmp_path: Path) -> None:
    """At 120x36, the size the README runs the demo in, every Assets list shows all its
    columns: beside a list of the types, Members and Partners were off the right edge (and
    "Owned (claimed)" pushed the pixels' Status off too)."""
    from bc_tui.widgets.tab_bar import TabBar

    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        groups = app.screen.query_one("#groups", TabBar)
        table = app.screen.query_one("#assets", VirtualTable)
        assert len(groups.shown) == 6
        for tab in groups.shown:
            groups.active = tab
            await pilot.pause()
            assert table.row_count, tab
            assert table.virtual_size.width <= table.scrollable_content_region.width, tab


async def test_every_key_bar_fits_the_demo_terminal(tmp_path: Path) -> None:
    """At 120x36 an Admin's key bar shows every key whole on each area and each Assets
    list: on TikTok accounts it ended "b Business Cente", on Assets "q Q". The long words
    are in `?` (a binding's tooltip), the bar has the short ones."""
    from bc_tui.widgets.tab_bar import TabBar

    def cut_keys() -> list[str]:
        """The keys the bar leaves out, for want of room (it draws no key in part)."""
        *drawn, _palette = app.screen.query_one(KeysFooter).keys
        shown: dict[str, str] = {}  # (a key per action: the first binding's, as the bar)
        for _, binding, _, _ in app.screen.active_bindings.values():
            if binding.show:
                shown.setdefault(binding.action, f"{binding.key} {binding.description}")
        return sorted(set(shown.values()) - {f"{key.key} {key.description}" for key in drawn})

    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        for area in "12345":
            await pilot.press(area)
            await pilot.pause()
            assert cut_keys() == [], area
        await pilot.press("1")
        groups = app.screen.query_one("#groups", TabBar)
        await pilot.press("enter")  # (into the list: its keys join the bar)
        for tab in groups.shown:
            groups.active = tab
            await pilot.pause()
            assert cut_keys() == [], tab
        groups.active = "ADVERTISER"
        await pilot.pause()
        await pilot.press("?")
        assert isinstance(app.screen, HelpScreen)
        said = dict(row for _, rows in app.screen.sections for row in rows)
        assert said["b"] == "Switch Business Center"
        assert said["m"] == "Assign members to this asset"
    app = demo_app(tmp_path / "finance", as_user("priya"))  # Billing's card keys
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("4")
        for _ in range(5):
            await pilot.press("right_square_bracket")
            await pilot.pause()
            assert cut_keys() == [], app.screen.query_one("#billing-tabs").active


async def test_the_cursor_stays_on_its_account_through_filters_and_changes(
    tmp_path: Path,
) -> None:
    """The cursor kept its line, not its account: a filter ended on another account than the
    one the user had looked at, for the next x or m to act on. Now a filter starts at its
    first match unless the account under the cursor matches, ending it keeps that account,
    and so does a change that adds a row above it."""
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        table = await on_account(pilot, "mira.makes")
        await pilot.press("slash", *"north")
        assert table.cursor_key == "northwind.careers"  # the first match
        await pilot.press("enter")  # (into the list)
        await pilot.press("down")
        assert table.cursor_key == "northwind.coffee"
        await pilot.press("escape")  # the filter ends
        assert table.row_count == 9 and table.cursor_key == "northwind.coffee"
        await pilot.press("slash", *"coffee")
        assert table.cursor_key == "northwind.coffee"  # (it matches: it stays)
        await pilot.press("escape", "escape")
        app.services.linking.request_authorization(
            app.actor, "aaa.first", RequestKind.REQUEST_ACCESS, (TtAccountRole.POST,)
        )
        app.data_changed()
        await pilot.pause()
        assert table.row_at(0).handle == "aaa.first"
        assert table.cursor_key == "northwind.coffee"


async def test_under_a_dialog_the_screens_key_bar_goes(tmp_path: Path) -> None:
    """A confirmation over TikTok accounts left the screen's key bar in sight, listing keys
    (? p u b, a m x) that do nothing while the dialog is open."""
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("2")
        footer = app.screen.query_one(KeysFooter)
        assert footer.visible
        await pilot.press("x")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.pause()
        assert not footer.visible
        await pilot.press("escape")
        await pilot.pause()
        assert footer.visible


async def test_under_the_keys_a_dialogs_key_bar_goes(tmp_path: Path) -> None:
    """`?` over the Add account dialog left the dialog's bar in sight (⏎ Next, esc Cancel),
    listing keys that do not reach it while the keys are open."""
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("2", "a")
        dialog = app.screen
        footer = dialog.query_one(KeysFooter)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.pause()
        assert not footer.visible
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is dialog and footer.visible


async def test_a_long_name_is_cut_in_the_lists_and_whole_in_the_filter(tmp_path: Path) -> None:
    """A 100-character ad account name made the Name column as wide, and every column after
    it was off the screen. Lists cut it to 32 cells; the filter still finds its end."""
    from bc_tui.widgets.tab_bar import TabBar

    app = demo_app(tmp_path)
    app.services.billing.create_ad_account(app.actor, "Q" * 90 + " tail")
    async with app.run_test(size=(120, 36)) as pilot:
        app.screen.query_one("#groups", TabBar).active = "ADVERTISER"
        await pilot.pause()
        table = app.screen.query_one("#assets", VirtualTable)
        names = [table.cells_at(row)[0].plain for row in range(table.row_count)]
        row = names.index("Q" * 31 + "…")
        line = table.render_line(row + 1).text  # (+1: the header)
        assert "In review  1" in line and line.rstrip().endswith("—")  # every column in sight
        await pilot.press("slash", *"tail")
        assert table.row_count == 1


async def test_keys_in_a_dialog_are_the_dialogs(tmp_path: Path) -> None:
    """`?` did nothing in a dialog (the app's keys do not reach one), though the README says
    it works everywhere. It lists the dialog's keys, not the screen's behind it."""
    from bc_tui.screens.qr_dialog import QrDialog

    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await play(pilot, "2", "a", Typed("new.brand"), "enter", "enter", "enter")
        await pilot.pause()
        assert isinstance(app.screen, QrDialog)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        headings = [heading for heading, _ in app.screen.sections]
        assert headings == ["This dialog", "Moving"]
        keys = {key for key, _ in app.screen.sections[0][1]}
        assert {"r", "n", "p", "esc"} <= keys and "b" not in keys
        await pilot.press("escape")
        assert isinstance(app.screen, QrDialog)
        await pilot.press("p", "question_mark")  # the phone has the keys: its esc is back
        said = dict(app.screen.sections[0][1])
        assert said["esc"] == "Phone: back" and said["1-9"] == "Phone: tap item"


async def test_a_key_bound_again_by_a_dialog_is_listed_once(tmp_path: Path) -> None:
    """Account details bind r and x over the asset details' words: `?` listed both."""
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("2", "enter")  # @brightlane.studio: Lena works on it
        assert isinstance(app.screen, AccountDetail)
        await pilot.press("question_mark")
        rows = app.screen.sections[0][1]
        assert [key for key, _ in rows].count("r") == 1
        assert dict(rows)["r"] == "Operator/Analyst"


async def test_a_page_command_with_no_such_page_says_so(tmp_path: Path) -> None:
    """The palette offers Newer and Older events where `[` and `]` are off (on the newest
    page, or for someone who may not see the log): they did nothing, without a word."""
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("5")
        await run_command(pilot, "Newer events")
        assert isinstance(app.screen, ActivityScreen)
        said = [str(n.message) for n in app._notifications]
        assert "There is no newer page of events." in said


@pytest.mark.parametrize(
    ("who", "key"),
    [("lena", "5"), ("ava", "4"), ("sam", "2"), ("sam", "3"), ("sam", "1")],
    ids=["log, not an Admin", "billing, no finance role", "invited: accounts", "members", "assets"],
)
async def test_an_area_without_rows_to_see_offers_no_filter(
    tmp_path: Path, who: str, key: str
) -> None:
    """Where the area says why its rows are not shown, `/` and the palette's Filter opened a
    filter over that message (the key bar listed it too)."""

    def filters() -> list[str]:
        titles = [command.title for command in app.get_system_commands(app.screen)]
        return [title for title in titles if title.startswith(("Filter ", "Clear the filter"))]

    app = demo_app(tmp_path, as_user(who))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press(key)
        await pilot.pause()
        assert filters() == []
        assert not app.screen.check_action("filter", ())
        await pilot.press("slash")
        await pilot.pause()
        assert app.screen.filter_bar is None  # (never opened)
    app = demo_app(tmp_path / "admin", as_user("priya" if key == "4" else "ava"))
    async with app.run_test(size=(120, 36)) as pilot:  # (who may see them: offered)
        await pilot.press(key)
        await pilot.pause()
        assert len(filters()) == 2 and app.screen.check_action("filter", ())


async def test_a_filter_left_by_the_user_acting_before_goes_where_there_is_none(
    tmp_path: Path,
) -> None:
    """Ava's filter stayed open over what sam (invited) sees: "No TikTok accounts here
    match the filter (escape clears it)", and escape did nothing (no filter is offered)."""
    from bc_tui.widgets.filter_bar import FilterBar

    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await play(pilot, "2", "slash", Typed("north"), "enter")
        bar = app.screen.query_one(FilterBar)
        assert bar.value == "north"
        await pilot.press("u", "s", "enter")  # typed: sam.okafor
        await pilot.pause()
        assert app.actor == as_user("sam")
        assert (bar.value, bar.display) == ("", False)
        summary = str(app.screen.query_one("#summary").render())
        assert "accept the invitation" in summary and "filter" not in summary


async def test_a_notice_already_on_show_is_not_stacked_again(tmp_path: Path) -> None:
    """A refused key pressed three times stacked three tall copies of its reason."""
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        for _ in range(3):
            app.notify("Billing needs a finance role.", title="Billing", severity="warning")
        app.notify("Another thing.", title="Billing", severity="warning")
        await pilot.pause()
        assert [str(n.message) for n in app._notifications] == [
            "Billing needs a finance role.",
            "Another thing.",
        ]


@pytest.mark.parametrize(
    "keys",
    [("2", "m"), ("u",), ("3", "i"), ("1", "n")],
    ids=["assign: a pick list", "act as: a choice list", "invite: a field", "partner: a field"],
)
async def test_question_mark_shows_the_keys_in_every_dialog(tmp_path: Path, keys: tuple) -> None:
    """With a pick list or a form's first field focused (where dialogs start), `?` jumped
    in the list or was typed in the field, and the key bar left it out."""
    from textual.widgets import Input

    from bc_tui.screens.dialog import Dialog
    from bc_tui.screens.help import HelpScreen

    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press(*keys)
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, Dialog)
        fields = list(dialog.query(Input))
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert all("?" not in field.value for field in fields)


async def test_a_dialogs_keys_list_only_the_moving_keys_of_its_parts(tmp_path: Path) -> None:
    """Every dialog's `?` listed a table's pgup, ^home and ← →, a confirmation's too, and
    esc twice (its own under "This dialog", and "Close a dialog" under Moving)."""
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:

        def keys() -> list[str]:
            return [key for _, rows in app.screen.sections for key, _ in rows]

        await pilot.press("2", "x")  # Remove @brightlane.studio? (a confirmation)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("question_mark")
        listed = keys()
        assert "pgup pgdn" not in listed and "← →" not in listed
        assert listed.count("esc") == 1
        await pilot.press("escape", "escape", "m")  # Assign: a pick list and choices
        await pilot.press("question_mark")
        listed = keys()
        assert {"pgup pgdn", "↑ ↓", "space"} <= set(listed) and listed.count("esc") == 1
