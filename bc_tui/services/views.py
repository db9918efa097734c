"""Read models: what each screen shows, computed in one pass over the store's memory.

Screens render these rows as they are; every rule about who sees what (a Standard member
sees only assets assigned to them) is applied here. Billing's are in billing_view.py.

The rows and views are named tuples, not frozen dataclasses: at 10,000 accounts a list is
built after each change at a third of the cost, and defining one costs ~0.1 ms of start-up
against ~0.7 ms.
"""

from __future__ import annotations

from array import array
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from itertools import compress, repeat
from operator import itemgetter
from typing import Any, NamedTuple

from bc_tui.clock import Clock
from bc_tui.domain import labels
from bc_tui.domain.errors import NotFound
from bc_tui.domain.models import (
    ActivityType,
    AdAccount,
    AdAccountStatus,
    Asset,
    AssetLink,
    AssetRole,
    AssetType,
    Assignment,
    AuditEvent,
    AuthorizationRequest,
    BusinessCenter,
    FinanceRole,
    Member,
    MemberStatus,
    Partner,
    RelationStatus,
    RelationType,
    RequestStatus,
    TikTokAccount,
    User,
    UserRole,
)
from bc_tui.domain.permissions import Action, can, why_not
from bc_tui.ids import IdSource
from bc_tui.services.base import Actor, ServiceBase
from bc_tui.store.records import from_doc
from bc_tui.store.repository import Repository

ACTIVITY_PAGE = 500  # events per page: a table of this size stays instant


class HeaderView(NamedTuple):
    bc_id: str
    bc_name: str
    user_id: str
    user_name: str
    role: str  # "Admin", "Standard + Finance Analyst", "Not a member"


class TikTokAccountRow(NamedTuple):
    """One account in the TikTok accounts list."""

    handle: str
    display_name: str
    region: str
    relation_type: RelationType
    relation_status: RelationStatus
    scopes: tuple[str, ...]
    members: tuple[str, ...]  # "Ben Ortiz (Operator)"
    pending_until: datetime | None = None  # a live authorization request expires then
    partners: tuple[str, ...] = ()  # "Lumen Creative (Analyst)"


class AssetRow(NamedTuple):
    """One asset in the Assets list."""

    asset_type: AssetType
    asset_id: str
    name: str
    relation_type: RelationType
    relation_status: RelationStatus
    members: int
    partners: tuple[str, ...] = ()  # the partners it is shared with, by name
    # An ad account's own status (in review, disabled): what its Status shows once linked.
    account_status: AdAccountStatus | None = None


class AssetGroup(NamedTuple):
    asset_type: AssetType
    rows: tuple[AssetRow, ...]


class PartnerRow(NamedTuple):
    partner_bc_id: str
    name: str
    asset_type: AssetType
    assets: int
    role: AssetRole


class AssetsOverview(NamedTuple):
    groups: tuple[AssetGroup, ...]
    partners: tuple[PartnerRow, ...]
    only_assigned: bool  # True when a Standard member sees only their assignments


class MemberRow(NamedTuple):
    user_id: str
    user_name: str
    user_email: str
    user_role: UserRole
    finance_role: FinanceRole | None
    relation_status: MemberStatus
    assets: int
    invite_expired: bool = False


class AssignmentRow(NamedTuple):
    asset_type: AssetType
    asset_id: str
    name: str
    role: AssetRole


class MemberDetail(NamedTuple):
    member: MemberRow
    invited_at: datetime | None
    assignments: tuple[AssignmentRow, ...]
    invite_expires_at: datetime | None = None
    #: Their roles on assets the acting member may not see (named nowhere else to them).
    hidden: int = 0


class ActivityRow(NamedTuple):
    time: datetime
    operator: str
    activity_type: ActivityType
    activity_log: str


class ActivityView(NamedTuple):
    allowed: bool
    reason: str
    rows: tuple[ActivityRow, ...] = ()
    total: int = 0  # matching events; rows are one page of them
    page: int = 0  # 0 is the newest page
    pages: int = 1


class _ActivityOrder(NamedTuple):
    """Which events of the log belong to a Business Center, newest first."""

    bc_id: str
    mark: tuple[str, int] | None  # the log's `log_mark` when worked out
    order: array[int]
    newest: str  # the time of the newest event in it

    def extends_to(self, mark: tuple[str, int] | None) -> bool:
        """Whether the log is still this one, with events only added since."""
        return (
            self.mark is not None
            and mark is not None
            and mark[0] == self.mark[0]
            and mark[1] > self.mark[1]
        )


def _event_matches(query: str, doc: dict[str, Any], names: dict[str, str]) -> bool:
    """Whether a stored audit event matches the Activity filter: its text, who did it, or
    its type."""
    operator = names.get(doc["operator_id"], "")
    return _matches(query, doc["activity_log"], operator, doc["activity_type"])


def _matches(query: str, *fields: str) -> bool:
    needle = query.casefold()
    return any(needle in value.casefold() for value in fields)


#: Acting users whose TikTok accounts rows are kept (see `ViewService._tiktok_memo`).
_ACTORS_REMEMBERED = 4


class ViewService(ServiceBase):
    """Everything the screens read."""

    def __init__(self, repo: Repository, clock: Clock, ids: IdSource) -> None:
        super().__init__(repo, clock, ids)
        #: Acting user -> (store revision, earliest live request expiry, rows), for the last
        #: few acting users: a filter that finds nothing also reads the user's other Business
        #: Centers (`found_elsewhere`), and must not throw away the rows it filters.
        self._tiktok_memo: dict[Actor, tuple[int, datetime | None, list[TikTokAccountRow]]] = {}
        #: (rows of `_tiktok_memo`, the text a filter searches in each)
        self._haystacks: tuple[list[TikTokAccountRow], list[str]] | None = None
        #: The rows of the last Assets overview, by (asset type, id): see `assets_overview`.
        self._asset_rows: dict[tuple[AssetType, str], AssetRow] = {}
        #: One Business Center's events, newest first (see `_activity_all`).
        self._activity_memo: _ActivityOrder | None = None
        #: ((Business Center, filter, store revision, log mark), the events that match it)
        self._activity_filtered: (
            tuple[tuple[str, str, int, tuple[str, int] | None], array[int]] | None
        ) = None

    def header(self, actor: Actor) -> HeaderView:
        center = self.business_center(actor.bc_id)
        member = self.membership(actor)
        if member is None:
            role = "Not a member"
        else:
            role = labels.member_role(member.user_role, member.finance_role)
            if member.invite_expired(self.clock.now()):
                role += " (invitation expired)"
            elif member.relation_status is MemberStatus.PENDING:
                role += " (invited)"
        return HeaderView(
            bc_id=center.bc_id,
            bc_name=center.name,
            user_id=actor.user_id,
            user_name=self.user_name(actor.user_id),
            role=role,
        )

    def business_centers(self, user_id: str) -> list[tuple[BusinessCenter, Member]]:
        """The Business Centers a user belongs to (to switch between), by name."""
        centers = {center.bc_id: center for center in self.repo.all(BusinessCenter)}
        found = [
            (centers[member.bc_id], member)
            for member in self.repo.find(Member, user_id=user_id)
            if member.bc_id in centers
        ]
        return sorted(found, key=lambda pair: pair[0].name.casefold())

    def default_actor(self) -> Actor | None:
        """Who to act as when none is named: the first Admin (by name) of the largest BC.

        Asked at every start: it reads three fields of each member rather than making a
        Member of each (1,000 of them were ~4 ms before the first frame)."""
        members = [
            (bc_id, user_id, role)
            for bc_id, user_id, role, status in self.repo.values(
                Member, ("bc_id", "user_id", "user_role", "relation_status")
            )
            if status is MemberStatus.BOUND
        ]
        if not members:
            return None
        sizes: dict[str, int] = defaultdict(int)
        for bc_id, _, _ in members:
            sizes[bc_id] += 1
        largest = min(sizes, key=lambda bc: (-sizes[bc], bc))
        names = self.user_names()
        _, user_id, _ = min(  # (the first in file order of equals, as a stable sort's)
            (member for member in members if member[0] == largest),
            key=lambda member: (member[2] is not UserRole.ADMIN, names.get(member[1], "")),
        )
        return Actor(user_id=user_id, bc_id=largest)

    def find_actor(self, user: str, bc_id: str | None) -> Actor:
        """The acting user named on the command line by email or user ID."""
        wanted = user.strip().lower()
        match = next(
            (u for u in self.repo.all(User) if wanted in (u.user_id, u.user_email.lower())), None
        )
        if match is None:
            raise NotFound(f"No user {user!r} in this database (use an email or a user ID).")
        centers = [center.bc_id for center, _ in self.business_centers(match.user_id)]
        if bc_id is not None:
            if bc_id not in centers:
                raise NotFound(f"{match.user_name} is not a member of Business Center {bc_id}.")
            return Actor(match.user_id, bc_id)
        if not centers:
            raise NotFound(f"{match.user_name} is not a member of any Business Center.")
        return Actor(match.user_id, centers[0])

    def members(self, actor: Actor, query: str = "") -> list[MemberRow]:
        """Everyone in the Business Center; any member may see the list."""
        if not can(self.membership(actor), Action.VIEW_ASSETS):
            return []
        return self._member_rows(actor.bc_id, query)

    def people_to_act_as(self, bc_id: str) -> list[MemberRow]:
        """Who the person at the keyboard may act as (`u`): everyone in the Business Center,
        whoever acts now. Not `members`: acting as someone who may not see the list (an
        invited member) left a list of no one, and no way back but a restart."""
        return self._member_rows(bc_id)

    def _member_rows(self, bc_id: str, query: str = "") -> list[MemberRow]:
        users = {user.user_id: user for user in self.repo.all(User)}
        counts: dict[str, int] = defaultdict(int)
        for assignment in self.repo.find(Assignment, bc_id=bc_id):
            counts[assignment.user_id] += 1
        rows = []
        now = self.clock.now()
        for member in self.repo.find(Member, bc_id=bc_id):
            user = users.get(member.user_id) or User(member.user_id, member.user_id, "")
            if query and not _matches(query, user.user_name, user.user_email, member.user_role):
                continue
            rows.append(
                MemberRow(
                    user_id=member.user_id,
                    user_name=user.user_name,
                    user_email=user.user_email,
                    user_role=member.user_role,
                    finance_role=member.finance_role,
                    relation_status=member.relation_status,
                    assets=counts[member.user_id],
                    invite_expired=member.invite_expired(now),
                )
            )
        return sorted(rows, key=lambda row: (row.user_role is not UserRole.ADMIN, row.user_name))

    def member_detail(self, actor: Actor, user_id: str) -> MemberDetail:
        """One member with every asset they hold a role on."""
        row = next((r for r in self.members(actor) if r.user_id == user_id), None)
        member = self.repo.first(Member, bc_id=actor.bc_id, user_id=user_id)
        if row is None or member is None:
            raise NotFound(f"{self.user_name(user_id)} is not a member of this Business Center.")
        names = self._asset_names(actor.bc_id)
        held = self.repo.find(Assignment, bc_id=actor.bc_id, user_id=user_id)
        visible = self._visible_assets(actor)  # (a Standard member sees only their own)
        shown = [a for a in held if visible is None or (a.asset_type, a.asset_id) in visible]
        assignments = tuple(
            sorted(
                (
                    AssignmentRow(
                        a.asset_type,
                        a.asset_id,
                        f"@{a.asset_id}"
                        if a.asset_type is AssetType.TT_ACCOUNT
                        else names.get((a.asset_type, a.asset_id), a.asset_id),
                        a.role,
                    )
                    for a in shown
                ),
                key=lambda a: (a.asset_type.value, a.name.casefold()),
            )
        )
        return MemberDetail(
            row, member.invited_at, assignments, member.invite_expires_at, len(held) - len(shown)
        )

    def asset_members(
        self, actor: Actor, asset_type: AssetType, asset_id: str
    ) -> list[tuple[str, str, AssetRole]]:
        """(user_id, name, role) of everyone with a role on one asset, by name; nobody's
        for a member who may not see the asset (no longer assigned to them)."""
        visible = self._visible_assets(actor)
        if visible is not None and (asset_type, asset_id) not in visible:
            return []
        names = self.user_names()
        found = [
            (a.user_id, names.get(a.user_id, a.user_id), a.role)
            for a in self.repo.find(
                Assignment, bc_id=actor.bc_id, asset_type=asset_type, asset_id=asset_id
            )
        ]
        return sorted(found, key=lambda entry: entry[1].casefold())

    def asset_row(self, actor: Actor, asset_type: AssetType, asset_id: str) -> AssetRow | None:
        """One ad account, pixel, catalog or audience as the Assets list shows it (found by
        its id: the whole overview took ~50 ms at 10,000 accounts); None if the list would
        not show it (gone, or no longer assigned to a member who sees only their own)."""
        visible = self._visible_assets(actor)
        if visible is not None and (asset_type, asset_id) not in visible:
            return None
        link = self.repo.first(
            AssetLink, bc_id=actor.bc_id, asset_type=asset_type, asset_id=asset_id
        )
        if link is None:
            return None
        status = None
        if asset_type is AssetType.ADVERTISER:
            account = self.repo.first(AdAccount, advertiser_id=asset_id)
            name, status = (account.name, account.status) if account else (asset_id, None)
        else:
            asset = self.repo.first(Asset, asset_type=asset_type, asset_id=asset_id)
            name = asset.name if asset else asset_id
        members = self.repo.count(
            Assignment, bc_id=actor.bc_id, asset_type=asset_type, asset_id=asset_id
        )
        partners = tuple(
            partner.name
            for partner in self._partner_shares(actor, visible, asset_type)
            if asset_id in partner.asset_ids
        )
        return AssetRow(
            asset_type,
            asset_id,
            name,
            link.relation_type,
            link.relation_status,
            members,
            partners,
            status,
        )

    def assignable_assets(self, actor: Actor, asset_type: AssetType) -> list[AssetRow]:
        """The active assets of one type: the ones people can be given a role on. TikTok
        accounts by handle, which is how a picker names them (by their display names, the
        handles a picker lists looked unsorted); the others by name."""
        group = next(g for g in self.assets_overview(actor).groups if g.asset_type is asset_type)
        rows = [row for row in group.rows if row.relation_status is RelationStatus.BOUND]
        if asset_type is AssetType.TT_ACCOUNT:
            rows.sort(key=lambda row: row.asset_id.casefold())
        return rows

    def shareable_assets(self, actor: Actor, asset_type: AssetType) -> list[AssetRow]:
        """The active assets a partner could be given (not ones a partner shared with this
        Business Center in the first place)."""
        return [
            row
            for row in self.assignable_assets(actor, asset_type)
            if row.relation_type is not RelationType.OWNER_PARTNER
        ]

    def assignable_members(self, actor: Actor) -> list[MemberRow]:
        """Who can be given a role on an asset: everyone in the Business Center but
        Admins, who already see everything."""
        return [row for row in self.members(actor) if row.user_role is UserRole.STANDARD]

    def roles_on(
        self, actor: Actor, asset_type: AssetType, asset_ids: Sequence[str]
    ) -> dict[str, list[AssetRole]]:
        """The roles each member already holds on these assets (user_id -> roles): Assign
        changes them to the role it gives, and says so before it does."""
        wanted = set(asset_ids)
        found: dict[str, list[AssetRole]] = defaultdict(list)
        for user_id, asset_id, role in self.repo.values(
            Assignment, ("user_id", "asset_id", "role"), bc_id=actor.bc_id, asset_type=asset_type
        ):
            if asset_id in wanted:
                found[user_id].append(role)
        return dict(found)

    def tiktok_accounts(self, actor: Actor, query: str = "") -> list[TikTokAccountRow]:
        """The Business Center's TikTok accounts in every state, filtered by `query`
        (handle, name, status or ownership)."""
        rows = self._tiktok_rows(actor)
        if not query:
            return list(rows)
        needle = query.casefold()
        haystacks = self._tiktok_haystacks(rows)
        return [row for row, haystack in zip(rows, haystacks, strict=True) if needle in haystack]

    def _tiktok_haystacks(self, rows: list[TikTokAccountRow]) -> list[str]:
        """The text a filter searches in each row (casefolded), made on the first filter of
        these rows: not every visit filters, and at 10,000 accounts they are ~1 MB."""
        if self._haystacks is None or self._haystacks[0] is not rows:
            haystacks = [
                "\0".join(
                    (
                        row.handle,
                        row.display_name,
                        labels.RELATION_STATUS[row.relation_status],
                        labels.relation(row.relation_type, row.relation_status),
                    )
                ).casefold()
                for row in rows
            ]
            self._haystacks = (rows, haystacks)
        return self._haystacks[1]

    def _tiktok_rows(self, actor: Actor) -> list[TikTokAccountRow]:
        """Every account row, sorted.

        Built once per store revision and reused for every filter keystroke (10,000 rows take
        ~30 ms to build once the file is read, ~2 ms to filter); rebuilt early when a live
        request in it expires, since that changes what the rows show."""
        now = self.clock.now()
        memo = self._tiktok_memo.pop(actor, None)  # (put back last: the newest stays)
        if (
            memo is not None
            and memo[0] == self.repo.store.revision
            and (memo[1] is None or now < memo[1])
        ):
            self._tiktok_memo[actor] = memo
            return memo[2]
        if memo is not None and self._haystacks is not None and self._haystacks[0] is memo[2]:
            self._haystacks = None  # of the rows being replaced
        # A row equal to one of the rows being replaced is that same object: what is shown
        # keeps per row (the table's column widths) then holds for it. A change alters a few
        # rows of 10,000, and measuring every row again cost more than building them.
        before = {row[0]: row for row in memo[2]} if memo is not None else {}
        handles, relation_types, statuses, roles = self.repo.value_columns(
            AssetLink,
            ("asset_id", "relation_type", "relation_status", "tt_account_roles"),
            bc_id=actor.bc_id,
            asset_type=AssetType.TT_ACCOUNT,
        )
        visible = self._visible_assets(actor)
        if visible is not None:
            shown = [(AssetType.TT_ACCOUNT, handle) in visible for handle in handles]
            handles, relation_types, statuses, roles = (
                list(compress(column, shown))
                for column in (handles, relation_types, statuses, roles)
            )
        account_handles, displays, regions = self.repo.value_columns(
            TikTokAccount, ("handle", "display_name", "region")
        )
        accounts = dict(zip(account_handles, zip(displays, regions, strict=True), strict=True))
        names = self.user_names()
        people: dict[str, list[str]] = defaultdict(list)
        assignments = self.repo.values(
            Assignment,
            ("asset_id", "user_id", "role"),
            bc_id=actor.bc_id,
            asset_type=AssetType.TT_ACCOUNT,
        )
        for handle, user_id, role in assignments:
            people[handle].append(f"{names.get(user_id, '?')} ({labels.ASSET_ROLE[role]})")
        shared: dict[str, list[str]] = defaultdict(list)
        for partner in self._partner_shares(actor, visible, AssetType.TT_ACCOUNT):
            for handle in partner.asset_ids:
                shared[handle].append(f"{partner.name} ({labels.ASSET_ROLE[partner.role]})")
        pending = {
            request.handle: request.expires_at
            for request in self.repo.find(
                AuthorizationRequest, bc_id=actor.bc_id, status=RequestStatus.NOT_USED
            )
            if request.status_at(now) is RequestStatus.NOT_USED
        }
        # The rows are made a column at a time, in passes in C over the 10,000 links (and
        # without NamedTuple's __new__, a Python call a row): ~20 ms, where a loop over the
        # links making each row took ~28.
        info = list(map(accounts.get, handles, repeat(("", ""))))
        scopes = {key: tuple(map(labels.SCOPE.__getitem__, key)) for key in set(roles)}
        members = {handle: tuple(sorted(them)) for handle, them in people.items()}
        partners = {handle: tuple(them) for handle, them in shared.items()}
        found = list(
            map(
                tuple.__new__,
                repeat(TikTokAccountRow),
                zip(
                    handles,
                    map(itemgetter(0), info),
                    map(itemgetter(1), info),
                    relation_types,
                    statuses,
                    map(scopes.__getitem__, roles),
                    map(members.get, handles, repeat(())),
                    map(pending.get, handles),
                    map(partners.get, handles, repeat(())),
                    strict=True,
                ),
            )
        )
        if before:
            found = [old if (old := before.get(row[0])) == row else row for row in found]
        found.sort(key=lambda row: row[0].casefold())  # by handle
        expiry = min(pending.values(), default=None)
        self._tiktok_memo[actor] = (self.repo.store.revision, expiry, found)
        while len(self._tiktok_memo) > _ACTORS_REMEMBERED:
            del self._tiktok_memo[next(iter(self._tiktok_memo))]  # the least recently read
        return found

    def found_elsewhere(self, actor: Actor, query: str) -> list[tuple[str, str]]:
        """(Business Center name, handle) of accounts matching `query` in the acting user's
        other Business Centers: the walkthrough's "I can't see the account" hitch."""
        needle = query.strip().removeprefix("@").casefold()
        if not needle:
            return []
        found = []
        for center, member in self.business_centers(actor.user_id):
            if center.bc_id == actor.bc_id or member.relation_status is not MemberStatus.BOUND:
                continue
            other = Actor(actor.user_id, center.bc_id)
            for row in self.tiktok_accounts(other):
                if needle in row.handle.casefold():
                    found.append((center.name, row.handle))
        return found

    def _partner_shares(
        self,
        actor: Actor,
        visible: set[tuple[AssetType, str]] | None,
        asset_type: AssetType | None = None,
    ) -> list[Partner]:
        """The partners' shares the acting member may see beside the assets: none for one who
        sees only the assets assigned to them (`visible`), as they see no Partners list
        either (the names stood in the lists all the same)."""
        if visible is not None:
            return []
        if asset_type is None:
            return self.repo.find(Partner, bc_id=actor.bc_id)
        return self.repo.find(Partner, bc_id=actor.bc_id, asset_type=asset_type)

    def assets_overview(self, actor: Actor) -> AssetsOverview:
        """Every asset type with its assets, and the partners the Business Center works with.

        A row equal to one of the last overview's is that same object, as in the TikTok
        accounts list (see `_tiktok_rows`): its table measures only rows it has not seen."""
        visible = self._visible_assets(actor)
        before = self._asset_rows
        names = self._asset_names(actor.bc_id)
        statuses_of = {
            (AssetType.ADVERTISER, advertiser_id): status
            for advertiser_id, status in self.repo.values(
                AdAccount, ("advertiser_id", "status"), bc_id=actor.bc_id
            )
        }
        counts: dict[tuple[AssetType, str], int] = defaultdict(int)
        for key in self.repo.values(Assignment, ("asset_type", "asset_id"), bc_id=actor.bc_id):
            counts[key] += 1
        shared: dict[tuple[AssetType, str], list[str]] = defaultdict(list)
        for partner in self._partner_shares(actor, visible):
            for asset_id in partner.asset_ids:
                shared[partner.asset_type, asset_id].append(partner.name)
        asset_types, asset_ids, relation_types, statuses = self.repo.value_columns(
            AssetLink,
            ("asset_type", "asset_id", "relation_type", "relation_status"),
            bc_id=actor.bc_id,
        )
        keys = list(zip(asset_types, asset_ids, strict=True))
        if visible is not None:
            shown = list(map(visible.__contains__, keys))
            keys, asset_types, asset_ids, relation_types, statuses = (
                list(compress(column, shown))
                for column in (keys, asset_types, asset_ids, relation_types, statuses)
            )
        partners = {key: tuple(them) for key, them in shared.items()}
        rows = list(  # a column at a time, as the TikTok accounts list (see `_tiktok_rows`)
            map(
                tuple.__new__,
                repeat(AssetRow),
                zip(
                    asset_types,
                    asset_ids,
                    map(names.get, keys, asset_ids),
                    relation_types,
                    statuses,
                    map(counts.get, keys, repeat(0)),
                    map(partners.get, keys, repeat(())),
                    map(statuses_of.get, keys),
                    strict=True,
                ),
            )
        )
        if before:
            rows = [
                old if (old := before.get(key)) == row else row
                for key, row in zip(keys, rows, strict=True)
            ]
        self._asset_rows = dict(zip(keys, rows, strict=True))
        grouped: dict[AssetType, list[AssetRow]] = {asset_type: [] for asset_type in AssetType}
        for row in rows:
            grouped[row[0]].append(row)
        groups = tuple(
            AssetGroup(asset_type, tuple(sorted(rows, key=lambda row: row.name.casefold())))
            for asset_type, rows in grouped.items()
        )
        return AssetsOverview(
            groups=groups,
            partners=() if visible is not None else self._partners(actor),
            only_assigned=visible is not None,
        )

    def activity(self, actor: Actor, query: str = "", page: int = 0) -> ActivityView:
        """The audit log, newest first, one page of ACTIVITY_PAGE matching events (page 0 is
        the newest; a page past the end shows the last one)."""
        member = self.membership(actor)
        if not can(member, Action.VIEW_ACTIVITY):
            return ActivityView(allowed=False, reason=why_not(member, Action.VIEW_ACTIVITY))
        names = self.user_names()
        docs = self.repo.documents(AuditEvent)
        order = self._activity_order(actor, query, docs, names)
        pages = max(1, -(-len(order) // ACTIVITY_PAGE))
        page = min(max(0, page), pages - 1)
        events = [
            from_doc(AuditEvent, docs[index])
            for index in order[page * ACTIVITY_PAGE : (page + 1) * ACTIVITY_PAGE]
        ]
        rows = tuple(
            ActivityRow(
                time=event.time,
                operator=names.get(event.operator_id, event.operator_id),
                activity_type=event.activity_type,
                activity_log=event.activity_log,
            )
            for event in events
        )
        return ActivityView(
            allowed=True, reason="", rows=rows, total=len(order), page=page, pages=pages
        )

    def _activity_order(
        self, actor: Actor, query: str, docs: Sequence[dict[str, Any]], names: dict[str, str]
    ) -> array[int]:
        """Positions in `docs` of the events that match, newest first, as a compact array:
        each page then costs only its own 500 events.

        A filter narrows this Business Center's order (`_activity_all`), once per store
        revision and filter text (it also matches people's names, which a change may
        rename). The log's raw lines are searched first, so only the events that may match
        are decoded: at 100,000 events a filter keystroke costs ~60 ms when the text is
        rare, up to ~0.35 s when nearly every event may match (the screen waits for a pause
        in typing over such a log)."""
        everything = self._activity_all(actor)
        if not query:
            return everything
        mark = self.repo.log_mark(AuditEvent)
        key = (actor.bc_id, query, self.repo.store.revision, mark)
        if mark is not None and self._activity_filtered and self._activity_filtered[0] == key:
            return self._activity_filtered[1]
        candidates = self.repo.log_search(AuditEvent, query, everything)
        if candidates is not None:
            needle = query.casefold()
            who = {user_id for user_id, name in names.items() if needle in name.casefold()}
            if who:  # their events match by the operator's name, which no line holds
                (operators,) = self.repo.columns(AuditEvent, "operator_id")
                chosen = set(candidates)
                candidates = [i for i in everything if i in chosen or operators[i] in who]
        found = array(
            "l",
            (
                index
                for index in (everything if candidates is None else candidates)
                if _event_matches(query, docs[index], names)
            ),
        )
        self._activity_filtered = (key, found)
        return found

    def _activity_all(self, actor: Actor) -> array[int]:
        """Positions of this Business Center's events in the log, newest first.

        The Business Center and time of each event are read off the log's raw lines (at
        100,000 events ~0.1 s; decoding every event took ~0.2 s). After a change, while the
        log only grew, only the new events are read and put first (~3 ms); an event stamped
        earlier than the newest one kept (another process's clock) sorts them all again.
        Times are stored as ISO 8601 in UTC, so their strings sort in time order."""
        mark = self.repo.log_mark(AuditEvent)
        memo = self._activity_memo
        if mark is not None and memo is not None and (memo.bc_id, memo.mark) == (actor.bc_id, mark):
            return memo.order
        start = 0
        if memo is not None and memo.bc_id == actor.bc_id and memo.extends_to(mark):
            start = memo.mark[1]  # type: ignore[index]
        bc_ids, times = self.repo.columns(AuditEvent, "bc_id", "time", start=start)
        # Last first, so that the (stable) sort keeps events of the same time newest first.
        matching = [n for n in range(len(bc_ids) - 1, -1, -1) if bc_ids[n] == actor.bc_id]
        matching.sort(key=times.__getitem__, reverse=True)
        order = array("l", (start + n for n in matching))
        newest = times[matching[0]] if matching else ""
        if start and memo is not None:
            if not matching or times[matching[-1]] >= memo.newest:  # all newer: they go first
                order.extend(memo.order)
                newest = max(newest, memo.newest)
            else:  # an event older than some before it: sort them all again
                self._activity_memo = None
                return self._activity_all(actor)
        # Without a mark (events pending in a transaction) it is never reused, only replaced.
        self._activity_memo = _ActivityOrder(actor.bc_id, mark, order, newest)
        return order

    def _asset_names(self, bc_id: str) -> dict[tuple[AssetType, str], str]:
        names: dict[tuple[AssetType, str], str] = {}
        for handle, display_name in self.repo.values(TikTokAccount, ("handle", "display_name")):
            names[AssetType.TT_ACCOUNT, handle] = display_name
        for ad_account in self.repo.find(AdAccount, bc_id=bc_id):
            names[AssetType.ADVERTISER, ad_account.advertiser_id] = ad_account.name
        for asset in self.repo.all(Asset):
            names[asset.asset_type, asset.asset_id] = asset.name
        return names

    def _partners(self, actor: Actor) -> tuple[PartnerRow, ...]:
        return tuple(
            PartnerRow(
                partner_bc_id=partner.partner_bc_id,
                name=partner.name,
                asset_type=partner.asset_type,
                assets=len(partner.asset_ids),
                role=partner.role,
            )
            for partner in self.repo.find(Partner, bc_id=actor.bc_id)
        )

    def _visible_assets(self, actor: Actor) -> set[tuple[AssetType, str]] | None:
        """None when the actor sees every asset (Admin); else the assets assigned to them."""
        member = self.membership(actor)
        if can(member, Action.VIEW_ALL_ASSETS):
            return None
        if not can(member, Action.VIEW_ASSETS):
            return set()
        return {
            (assignment.asset_type, assignment.asset_id)
            for assignment in self.repo.find(Assignment, bc_id=actor.bc_id, user_id=actor.user_id)
        }
