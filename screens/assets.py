"""Assets: an overview of everything the Business Center holds, one type at a time."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from contextlib import suppress

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding

from bc_tui.domain import labels
from bc_tui.domain.models import AdAccount, AdAccountStatus, AssetType, Partner, RelationStatus
from bc_tui.domain.permissions import Action
from bc_tui.screens.assign import AssignDialog
from bc_tui.screens.base import AreaScreen
from bc_tui.screens.confirm import ConfirmDialog
from bc_tui.screens.new_ad_account import NewAdAccountDialog
from bc_tui.screens.partner import PartnerDialog
from bc_tui.services import Actor
from bc_tui.services.views import AssetRow, AssetsOverview, PartnerRow
from bc_tui.styles import stylesheet
from bc_tui.widgets.cells import ad_account_status, clip, plain, relation_status
from bc_tui.widgets.summary import Summary
from bc_tui.widgets.tab_bar import TabBar
from bc_tui.widgets.table import VirtualTable, by_row, distinct

PARTNERS = "PARTNERS"
ADVERTISER = AssetType.ADVERTISER.value
#: The types whose assets `m` assigns from here (TikTok accounts: on their own screen, with
#: multi-select).
ASSIGNABLE = {
    asset_type.value
    for asset_type in (AssetType.ADVERTISER, AssetType.PIXEL, AssetType.CATALOG, AssetType.AUDIENCE)
}
PARTNER_COLUMNS = ("Partner", "BC ID", "Shares", "Role")
ASSET_COLUMNS = ("Name", "ID", "Ownership", "Status", "Members", "Partners")


class AssetsScreen(AreaScreen):
    AREA = "assets"
    LABEL = "Assets"
    FILTER_PLACEHOLDER = "Filter the list by name, ID, ownership, status or partner"
    CSS_PATH = stylesheet("assets.tcss")
    AUTO_FOCUS = "#groups"
    BINDINGS = [
        # Not in the key bar (it was cut short at 120 columns): the summary says ←→, and
        # `?` lists these.
        Binding("right_square_bracket", "next_group", "Next type", show=False),
        Binding("left_square_bracket", "previous_group", "Prev type", show=False),
        Binding("m", "assign", "Assign", tooltip="Assign members to this asset"),
        # (not in the bar, which has no room left at 120 columns: `?` lists it)
        Binding("enter", "details", "Details", show=False, tooltip="The asset and its members"),
        Binding("n", "add_partner", "Add partner"),
        Binding("x", "remove_partner", "Remove partner"),
        Binding("c", "create_ad_account", "New ad account"),
    ]
    MOVING = (
        ("← →", "On the types: choose one"),
        ("home end", "On the types: the first, the last"),
        ("enter ↓", "From the types into the list (↑ on its first row: back)"),
    )
    PALETTE = (
        ("Next asset type", "TikTok accounts, ad accounts, pixels... partners (])", "next_group"),
        ("Previous asset type", "([)", "previous_group"),
        ("Assign a new member", "Give members a role on the selected asset", "assign"),
        ("Asset details", "The selected asset and who works on it: r, x (enter)", "details"),
        ("Add partner", "Share assets with another Business Center", "add_partner"),
        ("Remove partner", "End a partner's access to everything shared with it", "remove_partner"),
        ("Create ad account", "A new ad account, with you as its Admin", "create_ad_account"),
    )

    def __init__(self) -> None:
        super().__init__()
        self._overview: AssetsOverview | None = None
        #: (acting user, group, whether they see partners) of the list on show: the same list
        #: again keeps its cursor and its column widths (a change anywhere reloads the screen).
        self._shown: tuple[Actor, str | None, bool] | None = None
        #: The text the filter searches in each row of a type's list (casefolded), made on
        #: the first filter of those rows: a keystroke then only scans. By the list's id,
        #: with the list (every type's: their tabs count what matches).
        self._haystacks: dict[int, tuple[tuple[AssetRow | PartnerRow, ...], list[str]]] = {}
        self._summary = ""  # what the summary says of the overview (the filter's part follows)
        #: A row to put the cursor on once it is shown (a new ad account: the change may be
        #: heard after the dialog has closed).
        self._go_to: Hashable | None = None

    def compose_body(self) -> ComposeResult:
        yield Summary()
        # The types as tabs over the list: as a list beside it they took 25 columns from the
        # table, and cut its Ownership and Status off at 80 columns (Members and Partners at
        # 120).
        yield TabBar(
            [(kind.value, labels.ASSET_TYPE_PLURAL[kind]) for kind in AssetType]
            + [(PARTNERS, "Partners")],
            id="groups",
        )
        yield VirtualTable(ASSET_COLUMNS, _cells, key=_key, texts=_column_texts, id="assets")

    def load(self) -> None:
        app = self.bc_app
        overview = app.services.views.assets_overview(app.actor)
        self.set_viewable(app.may(Action.VIEW_ASSETS))  # (invited, not joined: no rows)
        self._overview = overview
        lists = {id(group.rows) for group in overview.groups} | {id(overview.partners)}
        self._haystacks = {key: kept for key, kept in self._haystacks.items() if key in lists}
        self._label_types()
        # (Hidden while on show, the next type shows.)
        groups = self.query_one(TabBar)
        groups.show_tab(PARTNERS, bool(overview.partners) or app.may(Action.MANAGE_PARTNERS))
        total = sum(len(group.rows) for group in overview.groups)
        text = labels.count(total, "asset") + " · ←→ choose a type, enter to browse it"
        if not total and not app.may(Action.VIEW_ASSETS):  # (as TikTok accounts and Members)
            text = self.not_joined("assets")
        elif overview.only_assigned:
            text += " · you see only the assets assigned to you"
        self._summary = text
        self._show_group()
        self._go_to = None  # (shown now, or filtered out: not later, out of the blue)

    def filter_changed(self) -> None:
        self._label_types()
        self._show_group()  # (the overview is the same: only what it shows changes)

    def _label_types(self) -> None:
        """Each type's tab with its count; filtered, how many of them match (the list on
        show said "0 of 2 match" with nothing to say which type held the matches)."""
        overview = self._overview
        if overview is None:
            return
        groups = self.query_one(TabBar)
        filtered = bool(self.query_text)

        # ("1/4", not "1 of 4": six such labels still fit 120 columns.)
        for group in overview.groups:
            plural = labels.ASSET_TYPE_PLURAL[group.asset_type]
            shown = len(self._matching(group.rows))
            count = f"{shown:,}/{len(group.rows):,}" if filtered else f"{len(group.rows):,}"
            groups.relabel(group.asset_type.value, f"{plural} ({count})")
        partners = overview.partners
        if filtered:
            count = _partner_count(self._matching(partners), partners, "/")
        else:
            count = f"{len(_partners_of(partners)):,}"
        groups.relabel(PARTNERS, f"Partners ({count})")

    def _matching(self, rows: tuple[AssetRow | PartnerRow, ...]) -> Sequence[AssetRow | PartnerRow]:
        needle = self.query_text.casefold()
        if not needle:
            return rows
        kept = self._haystacks.get(id(rows))
        if kept is None or kept[0] is not rows:
            kept = self._haystacks[id(rows)] = (
                rows,
                # (the name whole: a list cuts a long one short)
                ["\0".join((*_texts(row), row.name)).casefold() for row in rows],
            )
        return [row for row, text in zip(rows, kept[1], strict=True) if needle in text]

    @on(TabBar.Changed, "#groups")
    def _group_changed(self) -> None:
        if self._shown is None or self._shown[1] != self._group():  # (`load` shows the
            self._show_group()  # type it left active itself: 10,000 rows once is enough)
        self.refresh_bindings()

    @on(VirtualTable.PastTheTop, "#assets")
    def _back_to_the_types(self) -> None:
        self.query_one(TabBar).focus()

    @on(TabBar.Browse, "#groups")
    def _group_chosen(self) -> None:
        self.focus_table()

    def action_next_group(self) -> None:
        self.query_one(TabBar).action_next()

    def action_previous_group(self) -> None:
        self.query_one(TabBar).action_previous()

    def _show_group(self) -> None:
        overview = self._overview
        option_id = self._group()
        table = self.query_one("#assets", VirtualTable)
        if overview is None or option_id is None:
            self._shown = None
            table.set_columns(())
            table.show(())
            self.query_one(Summary).say(Text(self._summary))
            return
        rows: tuple[AssetRow | PartnerRow, ...]
        if option_id == PARTNERS:
            rows = overview.partners
        else:
            rows = next(g for g in overview.groups if g.asset_type.value == option_id).rows
        # A member who sees only their own assets sees no partners: no Partners column.
        partners = self.bc_app.may(Action.VIEW_ALL_ASSETS)
        shown = (self.bc_app.actor, option_id, partners)
        at = table.cursor_key if shown == self._shown else None  # the same list: its asset
        if shown != self._shown:  # another list: start at its top, as a new list does
            self._shown = shown
            columns = ASSET_COLUMNS if partners else ASSET_COLUMNS[:-1]  # (cells past go)
            table.set_columns(PARTNER_COLUMNS if option_id == PARTNERS else columns)
            table.move_cursor(row=0)
        shown_rows = self._matching(rows)
        table.show(shown_rows)
        if self._go_to is not None:
            with suppress(KeyError):  # (not shown yet: at the next showing)
                table.move_cursor(row=table.row_index(self._go_to))
                self._go_to = at = None
        if at is not None:
            with suppress(KeyError):  # (gone: the cursor keeps its place in the list)
                table.move_cursor(row=table.row_index(at))
        summary = self._summary
        if self.query_text:
            if option_id == PARTNERS:  # (partners, as its tab counts, not their shares)
                matched = _partner_count(shown_rows, rows)
            else:
                matched = f"{len(shown_rows):,} of {len(rows):,}"
            summary += f" · {matched} match the filter: {self.query_text}"
        self.query_one(Summary).say(Text(summary))

    def focus_table(self) -> None:
        self.query_one("#assets", VirtualTable).focus()

    def _group(self) -> str | None:
        """The type on show (its tab's id)."""
        return self.query_one(TabBar).active or None

    def _on_partners(self) -> bool:
        return self._group() == PARTNERS

    def _row_on_show(self) -> AssetRow | PartnerRow | None:
        """The row under the table's cursor, once the table shows the group highlighted now:
        a key that came in the same burst as an arrow on the groups is handled before the
        table follows it (it took a row of the group left, of another type)."""
        if self._shown is None or self._shown[1] != self._group():
            self._show_group()
        table = self.query_one("#assets", VirtualTable)
        return table.row_at(table.cursor_row) if table.row_count else None

    def action_assign(self) -> None:
        """Assign a new member to the asset under the cursor (ad accounts and the rest)."""
        app = self.bc_app
        if not app.explain_if_forbidden(Action.ASSIGN_MEMBER):
            return
        if self._overview is None or self._group() not in ASSIGNABLE:
            app.notify(
                "Choose an asset type, then the asset to assign (TikTok accounts: key 2, then m).",
                severity="warning",
            )
            return
        row = self._row_on_show()
        if not isinstance(row, AssetRow):
            return

        def done(said: str | None) -> None:
            if said is not None:
                app.notify(said, title="Assigned")

        app.push_screen(AssignDialog([row.asset_id], row.asset_type, row.name), done)

    @on(VirtualTable.RowSelected, "#assets")
    def _row_chosen(self) -> None:
        if not self.dialog_open:
            self.action_details()

    def action_details(self) -> None:
        """Enter: the asset in full, and who works on it (r, x change or remove a role: on
        any but a TikTok account no key could take a role back)."""
        row = self._row_on_show()
        if not isinstance(row, AssetRow):  # (from the palette: the key is off there)
            self.bc_app.notify(
                "Choose an asset type with assets, then the asset (partners have no details: "
                "n shares more with one, x removes one).",
                severity="warning",
            )
            return
        if row.asset_type is AssetType.TT_ACCOUNT:
            from bc_tui.screens.account_detail import AccountDetail

            app = self.bc_app
            accounts = app.services.views.tiktok_accounts(app.actor)
            found = next((a for a in accounts if a.handle == row.asset_id), None)
            if found is not None:
                self.app.push_screen(AccountDetail(found))
            return
        from bc_tui.screens.asset_detail import AssetDetail

        self.app.push_screen(AssetDetail(row))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "details":
            return not self._on_partners()
        if action == "assign":
            return self.bc_app.may(Action.ASSIGN_MEMBER) and self._group() in ASSIGNABLE
        if action == "add_partner":
            return self.bc_app.may(Action.MANAGE_PARTNERS)
        if action == "remove_partner":
            return self.bc_app.may(Action.MANAGE_PARTNERS) and self._on_partners()
        if action == "create_ad_account":
            return self.bc_app.may(Action.CREATE_AD_ACCOUNT)
        return super().check_action(action, parameters)

    def action_create_ad_account(self) -> None:
        app = self.bc_app
        if not app.explain_if_forbidden(Action.CREATE_AD_ACCOUNT):
            return

        def done(account: AdAccount | None) -> None:
            if account is not None:
                app.notify(
                    f"{account.name} ({account.advertiser_id}) is in review; you are its Admin.",
                    title="Ad account created",
                )
                # Where it now is (made from another type's list, that list stayed on show;
                # and a filter it does not match hid it).
                self.action_clear_filter()
                self._go_to = (ADVERTISER, account.advertiser_id)
                self.query_one(TabBar).active = ADVERTISER
                self._show_group()
                self.focus_table()

        app.push_screen(NewAdAccountDialog(), done)

    def action_add_partner(self) -> None:
        app = self.bc_app
        if not app.explain_if_forbidden(Action.MANAGE_PARTNERS):
            return

        rows = self._overview.partners if self._overview else ()
        known = {row.partner_bc_id for row in rows}
        had = {(row.partner_bc_id, row.asset_type): row.assets for row in rows}

        def done(partner: Partner | None) -> None:
            if partner is None:
                return
            total = len(partner.asset_ids)
            shares = labels.count(total, labels.asset_noun(partner.asset_type))
            before = had.get((partner.partner_bc_id, partner.asset_type), 0)
            if before:  # (more of a type it had: the total alone read as all of them new)
                said = f"{partner.name} now has {shares} shared ({total - before:,} more)."
                app.notify(said, title="Shared")
            elif partner.partner_bc_id in known:  # ("is now a partner" said otherwise)
                app.notify(f"{partner.name} now has {shares} shared too.", title="Shared")
            else:
                app.notify(f"{partner.name} is now a partner.", title="Partner added")

        # Starting with the type on show and, from the list, the asset under the cursor.
        group, row = self._group(), None
        if self.query_one("#assets", VirtualTable).has_focus:
            row = self._row_on_show()
        app.push_screen(
            PartnerDialog(
                AssetType(group) if group not in (None, PARTNERS) else None,
                row.asset_id if isinstance(row, AssetRow) else None,
            ),
            done,
        )

    def action_remove_partner(self) -> None:
        app = self.bc_app
        if not app.explain_if_forbidden(Action.MANAGE_PARTNERS):
            return
        partner = self._row_on_show() if self._on_partners() else None
        if not isinstance(partner, PartnerRow):
            app.notify(
                "There is no partner to remove."
                if self._on_partners()
                else "Choose Partners, then the partner to remove.",
                severity="warning",
            )
            return

        def confirmed(yes: bool | None) -> None:
            if yes and app.attempt(app.services.partners.remove_partner, partner.partner_bc_id).ok:
                app.notify(f"{partner.name} no longer has access to any asset.")

        app.push_screen(
            ConfirmDialog(
                f"Remove partner {partner.name}?",
                f"{partner.name} ({partner.partner_bc_id}) loses access to everything shared "
                "with it, at once. To give it less, remove it and add it again.",
                "Remove partner",
            ),
            confirmed,
        )


def _partners_of(rows: Sequence[AssetRow | PartnerRow]) -> set[str]:
    """The partners that rows of the Partners list (one a share) are of."""
    return {row.partner_bc_id for row in rows if isinstance(row, PartnerRow)}


def _partner_count(
    shown: Sequence[AssetRow | PartnerRow], rows: Sequence[AssetRow | PartnerRow], of: str = " of "
) -> str:
    return f"{len(_partners_of(shown)):,}{of}{len(_partners_of(rows)):,}"


def _key(row: AssetRow | PartnerRow) -> Hashable:
    """Which asset (or which of a partner's shares) a row shows."""
    if isinstance(row, PartnerRow):
        return (PARTNERS, row.partner_bc_id, row.asset_type.value)
    return (row.asset_type.value, row.asset_id)


def _texts(row: AssetRow | PartnerRow) -> tuple[str, ...]:
    """The plain text of each cell."""
    if isinstance(row, PartnerRow):
        return (
            clip(row.name),
            row.partner_bc_id,
            labels.count(row.assets, labels.asset_noun(row.asset_type)),
            labels.ASSET_ROLE[row.role],
        )
    return (
        clip(row.name),
        _id_text(row.asset_type, row.asset_id),
        labels.relation(row.relation_type, row.relation_status),
        _status(row.relation_status, row.account_status).plain,
        str(row.members),
        _partners_text(row.partners),
    )


def _column_texts(rows: Sequence[AssetRow | PartnerRow]) -> Iterable[Iterable[str]]:
    """Each column's texts over `rows` (one group's), as `_texts` makes them: what the table
    measures, each distinct text once (10,000 TikTok accounts in ~6 ms, not ~17)."""
    if not rows or isinstance(rows[0], PartnerRow):
        return by_row(_texts)(rows)  # (a handful)
    return (
        distinct(rows, clip, "name"),
        distinct(rows, _id_text, "asset_type", "asset_id"),
        distinct(rows, labels.relation, "relation_type", "relation_status"),
        distinct(rows, lambda *status: _status(*status).plain, "relation_status", "account_status"),
        distinct(rows, str, "members"),
        distinct(rows, _partners_text, "partners"),
    )


def _status(link: RelationStatus, account: AdAccountStatus | None) -> Text:
    """A linked ad account shows its own status (in review, disabled), as Billing does: the
    link alone read "Active" for an account still in review."""
    if account is not None and link is RelationStatus.BOUND:
        return ad_account_status(account)
    return relation_status(link)


def _id_text(asset_type: AssetType, asset_id: str) -> str:
    return f"@{asset_id}" if asset_type is AssetType.TT_ACCOUNT else asset_id


def _partners_text(partners: tuple[str, ...]) -> str:
    return ", ".join(partners) or "—"


def _cells(row: AssetRow | PartnerRow) -> tuple[Text, ...]:
    texts = _texts(row)
    if isinstance(row, PartnerRow):
        return tuple(map(plain, texts))
    name, asset_id, ownership, _, members, partners = texts
    status = _status(row.relation_status, row.account_status)
    return (plain(name), plain(asset_id), plain(ownership), status, plain(members), plain(partners))
