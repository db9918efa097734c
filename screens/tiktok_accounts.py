"""TikTok accounts: every account the Business Center holds or asked for, in every state.

The first screen a user sees, so its dialogs are imported when first opened: at start-up
they are ~10 ms of imports that the first frame does not need.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from contextlib import suppress
from datetime import datetime
from itertools import compress
from operator import attrgetter, countOf

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.timer import Timer

from bc_tui.domain import labels
from bc_tui.domain.models import RelationStatus, RelationType, RequestKind, TtAccountRole
from bc_tui.domain.permissions import Action
from bc_tui.screens.base import AreaScreen
from bc_tui.services.views import TikTokAccountRow
from bc_tui.styles import stylesheet
from bc_tui.widgets.cells import clip, plain, relation_status
from bc_tui.widgets.summary import Summary
from bc_tui.widgets.table import VirtualTable, distinct

#: Most telling first: at 80 columns the right-hand ones scroll out of view.
COLUMNS = ("Handle", "Status", "Ownership", "Access", "Name", "Members")


class TikTokAccountsScreen(AreaScreen):
    AREA = "tiktok_accounts"
    LABEL = "TikTok accounts"
    FILTER_PLACEHOLDER = "Filter by handle, name, ownership or status"
    CSS_PATH = stylesheet("tiktok_accounts.tcss")
    BINDINGS = [
        Binding("a", "add", "Add account"),
        Binding("space", "select", "Select"),
        # Short in the key bar, which must fit 120 columns; `?` says it whole.
        Binding("m", "assign", "Assign", tooltip="Assign members to the picked accounts"),
        Binding("enter", "details", "Details"),
        Binding("x", "remove", "Remove"),
    ]
    PALETTE = (
        ("Add TikTok account", "Request access or claim ownership, by QR code", "add"),
        ("Select account", "Pick the account under the cursor for Assign (space)", "select"),
        ("Assign a new member", "Give members a role on the selected accounts", "assign"),
        ("Account details", "Show the selected TikTok account", "details"),
        ("Remove or revoke account", "End the Business Center's link to it", "remove"),
    )

    def __init__(self) -> None:
        super().__init__()
        self._cursor_to: str | None = None  # a handle to select on the next load
        self._chosen: set[str] = set()  # accounts picked with space, for m
        self._pending: list[TikTokAccountRow] = []  # rows whose countdown ticks
        self._ticker: Timer  # (see `on_mount`)
        self._measured_chosen: set[str] = set()  # the picks the table's widths include
        #: The access ticked for a handle when its step was left by going back a step.
        self._scopes_left: tuple[str, tuple[TtAccountRole, ...]] | None = None

    def compose_body(self) -> ComposeResult:
        yield Summary()
        yield VirtualTable(
            COLUMNS,
            self._cells,
            key=_handle,
            texts=self._column_texts,
            give_way=("Name", "Members"),
            id="accounts",
        )

    def on_mount(self) -> None:
        # No super().on_mount(): Textual runs AreaScreen's handler too (a second load).
        # Running only while a row has a countdown (`load`) and no dialog is over the list:
        # an idle list wakes nothing. (AreaScreen's suspend and resume run too.)
        self._ticker = self.set_interval(1.0, self._tick_pending, pause=True)

    def on_screen_suspend(self) -> None:
        self._ticker.pause()  # (under a dialog: it catches up when it resumes)

    def on_screen_resume(self) -> None:
        if self._pending:
            self._ticker.resume()

    def _status_suffix(
        self, status: RelationStatus, pending_until: datetime | None
    ) -> tuple[str, str]:
        """What follows the status, and its style: the time left on a live request
        ("Pending 04:12"), or that a pending entry has no live request any more."""
        if pending_until is not None:
            seconds = (pending_until - self.bc_app.services.clock.now()).total_seconds()
            left = labels.mm_ss(max(0, math.ceil(seconds)))
            if status is RelationStatus.PENDING:
                return f" {left}", ""
            return f" · claim {left}", "yellow"
        if status is RelationStatus.PENDING:
            return " · stale", "dim"
        return "", ""

    # Each cell's plain text from some of the row's fields: the table measures a column by
    # calling these once per distinct value (`_column_texts`), the painting once per cell.

    def _handle_text(self, handle: str) -> str:
        return f"✓ @{handle}" if handle in self._chosen else f"@{handle}"

    def _status_text(self, status: RelationStatus, pending_until: datetime | None) -> str:
        return labels.RELATION_STATUS[status] + self._status_suffix(status, pending_until)[0]

    def _texts(self, row: TikTokAccountRow) -> tuple[str, ...]:
        """The plain text of each cell."""
        return (
            self._handle_text(row.handle),
            self._status_text(row.relation_status, row.pending_until),
            labels.relation(row.relation_type, row.relation_status),
            _access_text(row.scopes),
            clip(row.display_name),
            _members_text(row.members, row.partners),
        )

    def _column_texts(self, rows: Sequence[TikTokAccountRow]) -> tuple[list[str], ...]:
        """Each column's texts over `rows`, as `_texts` makes them: what the table measures."""
        return (
            self._handle_texts(rows),
            distinct(rows, self._status_text, "relation_status", "pending_until"),
            distinct(rows, labels.relation, "relation_type", "relation_status"),
            distinct(rows, _access_text, "scopes"),
            distinct(rows, clip, "display_name"),
            distinct(rows, _members_text, "members", "partners"),
        )

    def _handle_texts(self, rows: Sequence[TikTokAccountRow]) -> list[str]:
        """The Handle column's texts that can be its widest: the longest handles' and the
        picked ones'. Every handle is different, and making all 10,000 texts to measure them
        took ~4 ms of each start-up. (A handle of characters wider than one cell, which TikTok
        does not allow but a file could hold, has every text made.)"""
        handles = list(map(attrgetter("handle"), rows))
        if not "".join(handles).isascii():
            return list(map(self._handle_text, handles))
        longest = max(map(len, handles), default=0)
        widest = [handle for handle in handles if len(handle) == longest]
        return list(map(self._handle_text, {*widest, *self._chosen.intersection(handles)}))

    def _cells(self, row: TikTokAccountRow) -> tuple[Text, ...]:
        handle, _, *rest = self._texts(row)
        status = relation_status(row.relation_status)
        status.append(*self._status_suffix(row.relation_status, row.pending_until))
        chosen = row.handle in self._chosen
        return (Text(handle, style="bold") if chosen else plain(handle), status, *map(plain, rest))

    @property
    def _table(self) -> VirtualTable[TikTokAccountRow]:
        return self.query_one("#accounts", VirtualTable)

    def action_select(self) -> None:
        """Space: pick the account under the cursor for Assign (or unpick it)."""
        row = self._selected()
        if row is None:
            return
        if row.handle not in self._chosen and row.relation_status is not RelationStatus.BOUND:
            # (picks are for m, and only active accounts can be assigned: Assign refused the
            # lot at the end, with no way to drop the one from there)
            status = labels.RELATION_STATUS[row.relation_status].lower()
            self.bc_app.notify(
                f"@{row.handle} is {status}: only active accounts can be picked to assign.",
                severity="warning",
            )
            return
        self._chosen ^= {row.handle}
        table = self._table
        cursor = table.cursor_row
        self.load()
        table.move_cursor(row=cursor + 1)

    def action_assign(self) -> None:
        """Assign a new member to the picked accounts (or the one under the cursor)."""
        app = self.bc_app
        if not app.explain_if_forbidden(Action.ASSIGN_MEMBER):
            return
        row = self._selected()
        handles = sorted(self._chosen) or ([row.handle] if row else [])
        if not handles:
            app.notify("Select an account first.", severity="warning")
            return

        def done(said: str | None) -> None:
            if said is None:
                return
            self._chosen.clear()
            self.reload()
            app.notify(said, title="Assigned")

        from bc_tui.screens.assign import AssignDialog

        app.push_screen(AssignDialog(handles), done)

    def _tick_pending(self) -> None:
        """Keep the countdowns of pending rows moving; reload when one runs out.

        Only while this screen is on top: under a dialog it catches up when it resumes.
        """
        if not self.is_active:
            return
        now = self.bc_app.services.clock.now()
        if any(row.pending_until and row.pending_until <= now for row in self._pending):
            self.reload()
        elif self._pending:
            self._table.refresh_cells()

    def reload(self) -> None:
        """The data changed (or a countdown ran out): the columns fit the rows as they are
        now. They only grow as the filter shows rows (so they do not jump while typing), and
        a claim's "Active · claim 04:59" had left Status that wide for good, names cut."""
        self._table.set_columns(COLUMNS)
        self._measured_chosen = set()
        super().reload()

    def load(self) -> None:
        app = self.bc_app
        rows = app.services.views.tiktok_accounts(app.actor, self.query_text)
        self.set_viewable(app.may(Action.VIEW_ASSETS))  # (invited, not joined: no rows)
        self._pending = list(compress(rows, map(attrgetter("pending_until"), rows)))
        if self._pending:
            self._ticker.resume()
        else:
            self._ticker.pause()
        table = self._table
        changed = self._chosen ^ self._measured_chosen  # their ✓ changes a width
        if changed or self._chosen:
            by_handle = {row.handle: row for row in rows}
            # Picks a filter hides are kept (the summary counts them): only an account no
            # longer in the list is let go of.
            every = app.services.views.tiktok_accounts(app.actor) if self.query_text else rows
            self._chosen.intersection_update(row.handle for row in every)
            table.remeasure(by_handle[handle] for handle in changed if handle in by_handle)
            self._measured_chosen = set(self._chosen)
        table.show(rows)
        if self._cursor_to is not None:
            with suppress(KeyError):  # not shown (filtered out, or gone)
                table.move_cursor(row=table.row_index(self._cursor_to))
                self._cursor_to = None
        active = countOf(map(attrgetter("relation_status"), rows), RelationStatus.BOUND)
        summary = f"{labels.count(len(rows), 'account')} · {active:,} active"
        if self._chosen:
            hidden = len(self._chosen.difference(row.handle for row in rows))
            summary += f" · {len(self._chosen)} selected"
            if hidden:
                summary += f", {hidden} hidden by the filter"
            summary += " (m assigns)"  # (longer, with a filter it wrapped at 120 columns)
        if rows and not app.may(Action.VIEW_ALL_ASSETS):
            summary += " · you see only the accounts assigned to you"
        if self.query_text:
            summary += f" · filter: {self.query_text}"
        if not rows and self.query_text:
            summary = "No TikTok accounts here match the filter (escape clears it)."
            if self._chosen:  # (m assigns them still: say so, as the filtered summary did)
                summary += f" {len(self._chosen)} selected, hidden by it (m assigns them)."
            elsewhere = app.services.views.found_elsewhere(app.actor, self.query_text)
            if elsewhere:
                center, handle = elsewhere[0]
                summary = f"@{handle} is in Business Center {center} — press b to switch."
        elif not rows and not app.may(Action.VIEW_ASSETS):
            summary = self.not_joined("accounts")
        elif not rows and not app.may(Action.VIEW_ALL_ASSETS):
            # The walkthrough's first hitch: joining a Business Center assigns no assets.
            summary = (
                f"No TikTok account in {app.title} is assigned to you. Members see only the "
                "accounts an Admin assigns them: ask an Admin to assign you one."
            )
        elif not rows:
            # The walkthrough's "account not visible" hitch: maybe it is in another BC.
            summary = f"No TikTok accounts in {app.title} yet. "
            if app.may(Action.ADD_TIKTOK_ACCOUNT):
                summary += "Press a to add one. "
            summary += "Expected some? Press b to check you are in the right Business Center."
        self.query_one(Summary).say(Text(summary))

    def _selected(self) -> TikTokAccountRow | None:
        table = self._table
        return table.row_at(table.cursor_row) if table.row_count else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "remove":
            return self.bc_app.may(Action.REMOVE_ASSET_LINK)
        if action == "add":
            return self.bc_app.may(Action.ADD_TIKTOK_ACCOUNT)
        if action in ("assign", "select"):
            return self.bc_app.may(Action.ASSIGN_MEMBER)
        if action == "clear_filter" and self._chosen:  # (with no filter: the picks)
            return True
        return super().check_action(action, parameters)

    def action_clear_filter(self) -> None:
        """Escape ends a filter, and with none, lets go of the accounts picked with space
        (only space on each had let go of them)."""
        if super().check_action("clear_filter", ()):
            super().action_clear_filter()
        elif self._chosen:
            count = len(self._chosen)
            self._chosen.clear()
            self.load()
            self.bc_app.notify(f"Let go of {labels.count(count, 'picked account')}.")

    def action_add(self) -> None:
        """The walkthrough's step 2: which account, and how. Its dialog is on the screens at
        once (not from the worker that goes on from it), so that keys typed right after `a`
        go into it (`ServicesApp._typed_ahead`).

        On an entry that ended, was declined or whose request ran out, it starts with that
        account's handle, selected: the entry's details and the Clear question say `a` asks
        again. A handle typed straight away replaces it."""
        if self.bc_app.explain_if_forbidden(Action.ADD_TIKTOK_ACCOUNT):
            from bc_tui.screens.add_account import AddAccountDialog

            row = self._selected()
            handle = ""
            if (
                row is not None
                and row.relation_status is not RelationStatus.BOUND
                and row.pending_until is None  # (not a request still waiting)
            ):
                handle = row.handle
            self.app.push_screen(AddAccountDialog(handle), self._account_chosen)

    def _account_chosen(self, choice: tuple[str, RequestKind] | None) -> None:
        if choice is not None:
            self._add_account(*choice)

    @work(exclusive=True)
    async def _add_account(self, handle: str, kind: RequestKind) -> None:
        """The walkthrough's step 3 on: what access, then the code."""
        from bc_tui.screens.confirm import ConfirmDialog
        from bc_tui.screens.qr_dialog import QrDialog
        from bc_tui.screens.scopes import ScopesDialog

        app = self.bc_app
        if kind is RequestKind.CLAIM_OWNERSHIP:
            confirmed = await app.push_screen_wait(
                ConfirmDialog(
                    f"Claim ownership of @{handle}?",
                    f"@{handle} moves into {app.title} for good: its owner gives it up, and no "
                    "other Business Center can claim it afterwards. Use Request access for "
                    "accounts your company does not fully own.",
                    "Claim ownership",
                )
            )
            if not confirmed:
                self._back_to_options(handle, kind)
                return
            result = app.attempt(app.services.linking.request_authorization, handle, kind)
            request = result.value if result.ok else None
        else:
            left = self._scopes_left
            again = left is not None and left[0] == handle
            scopes = ScopesDialog(handle, left[1]) if again else ScopesDialog(handle)
            request = await app.push_screen_wait(scopes)
            if request is None:
                self._scopes_left = (handle, scopes.scopes)
                self._back_to_options(handle, kind)
                return
        if request is None:
            return
        approved = await app.push_screen_wait(QrDialog(request))
        if approved is not None:
            what = (
                f"is now owned by {app.title}"
                if kind is RequestKind.CLAIM_OWNERSHIP
                else f"granted {app.title} access ({labels.scopes(approved.scopes)})"
            )
            claimed = kind is RequestKind.CLAIM_OWNERSHIP  # (perhaps of an account added before)
            app.notify(f"@{handle} {what}.", title="Claimed" if claimed else "Account added")
            self._cursor_to = handle
            self.reload()
            if app.phone_session is not None and app.phone_session.visible:
                # The phone had the keys in the dialog (its Authorize closed it): it keeps
                # them, on its "Authorized" page, rather than 1 switching area.
                self.sync_phone(focus=True)

    def _back_to_options(self, handle: str, kind: RequestKind) -> None:
        """Cancelled at the access or claim step: back to the two options, not the list
        (where the handle had to be typed again), on the one chosen."""
        from bc_tui.screens.add_account import AddAccountDialog

        self.app.push_screen(AddAccountDialog(handle, kind), self._account_chosen)

    @on(VirtualTable.RowSelected, "#accounts")
    def _row_chosen(self) -> None:
        if not self.dialog_open:
            self.action_details()

    def action_details(self) -> None:
        row = self._selected()
        if row is not None:
            from bc_tui.screens.account_detail import AccountDetail

            self.app.push_screen(AccountDetail(row))

    def action_remove(self) -> None:
        app = self.bc_app
        if not app.explain_if_forbidden(Action.REMOVE_ASSET_LINK):
            return
        row = self._selected()
        if row is None:
            app.notify("Select an account first.", severity="warning")
            return
        handle = row.handle
        if row.relation_status is not RelationStatus.BOUND:
            state = labels.RELATION_STATUS[row.relation_status].lower()
            title = f"Clear @{handle}?"
            body = (
                f"The {state} entry for @{handle} leaves the list"
                + (", and its code stops working." if row.pending_until else ".")
                + " To ask again, press a: no need to clear it first."
            )
            verb, done_text = "Clear entry", f"Cleared the entry for @{handle}."
        elif row.relation_type is RelationType.OWNER_BC:
            title = f"Give up ownership of @{handle}?"
            body = (
                f"This Business Center owns @{handle}. Removing it ends that ownership, "
                f"every member's access to it{_partners_too(row)}; claiming it again needs "
                "the owner to approve."
            )
            verb, done_text = "Give up ownership", f"Gave up ownership of @{handle}."
        else:
            title = f"Revoke access to @{handle}?"
            members = len(row.members)
            goes = (
                f"{labels.count(members, 'member assignment')} {'goes' if members == 1 else 'go'}"
                if members
                else "no member is assigned to it"
            )
            keeps = (
                "The partner that shared it keeps it."
                if row.relation_type is RelationType.OWNER_PARTNER
                else "The owner keeps the account."
            )
            body = f"The Business Center stops using @{handle}: {goes}{_partners_too(row)}. {keeps}"
            verb, done_text = "Revoke access", f"Access to @{handle} revoked."

        def done(confirmed: bool | None) -> None:
            if confirmed and app.attempt(app.services.center.remove_tiktok_account, handle).ok:
                app.notify(done_text)

        from bc_tui.screens.confirm import ConfirmDialog

        app.push_screen(ConfirmDialog(title, body, verb), done)


def _partners_too(row: TikTokAccountRow) -> str:
    """', and its share with Lumen Creative (Analyst)' when partners have the account."""
    return f", and its share with {', '.join(row.partners)}" if row.partners else ""


def _handle(row: TikTokAccountRow) -> str:
    return row.handle


def _access_text(scopes: tuple[str, ...]) -> str:
    return ", ".join(scopes) or "—"


def _members_text(members: tuple[str, ...], partners: tuple[str, ...]) -> str:
    return ", ".join([*members, *(f"partner {partner}" for partner in partners)]) or "—"
