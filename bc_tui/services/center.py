"""Use cases that shape a Business Center: the center itself, its members, their assignments,
and its links to assets."""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from bc_tui.domain import labels, validation
from bc_tui.domain.errors import Conflict, NotFound, ValidationError
from bc_tui.domain.models import (
    ActivityType,
    AssetLink,
    AssetRole,
    AssetType,
    Assignment,
    AuthorizationRequest,
    BusinessCenter,
    Member,
    MemberStatus,
    Partner,
    RelationStatus,
    RelationType,
    RequestStatus,
    User,
    UserRole,
)
from bc_tui.domain.permissions import Action, require
from bc_tui.services.assignments import (
    asset_name,
    check_assignable,
    find_link,
)
from bc_tui.services.base import Actor, ServiceBase, use_case
from bc_tui.store.repository import Repository, Writer


class CenterService(ServiceBase):
    """Business Centers, members, assignments and asset links."""

    @use_case
    def create_business_center(
        self,
        creator_email: str,
        creator_name: str,
        name: str,
        company: str,
        currency: str,
        timezone: str,
    ) -> tuple[BusinessCenter, Actor]:
        """Anyone may create a Business Center and becomes its first Admin.

        The creator is found by email, or signed up with `creator_name` when new. Returns the
        center and the creator as the acting user in it.
        """
        address = validation.email(creator_email)
        existing = self.repo.first(User, user_email=address)
        clean_name = validation.text("name", name)
        if existing is not None:
            for membership in self.repo.find(Member, user_id=existing.user_id):
                mine = self.business_center(membership.bc_id)
                if mine.name.casefold() == clean_name.casefold():
                    # (`bc-tui init` run twice made a second one, silently)
                    raise Conflict(
                        f"{address} already has a Business Center named {mine.name} here "
                        f"(ID {mine.bc_id}): open that one, or choose another name."
                    )
        creator = existing or User(
            user_id=self.ids.new_id(),
            user_name=validation.text("your name", creator_name),
            user_email=address,
        )
        center = BusinessCenter(
            bc_id=self.ids.new_id(),
            name=clean_name,
            company=validation.text("company", company),
            currency=validation.currency(currency),
            timezone=validation.timezone(timezone),
        )
        actor = Actor(user_id=creator.user_id, bc_id=center.bc_id)
        with self.repo.writing() as writer:
            if existing is None:
                writer.insert(creator)
            writer.insert(center)
            writer.insert(
                Member(
                    bc_id=center.bc_id,
                    user_id=creator.user_id,
                    user_role=UserRole.ADMIN,
                    relation_status=MemberStatus.BOUND,
                )
            )
            self.audit(
                writer,
                actor,
                ActivityType.BUSINESS,
                f"{creator.user_name} created the Business Center {center.name}",
            )
        return center, actor

    @use_case
    def update_business_info(
        self, actor: Actor, name: str, company: str, timezone: str
    ) -> BusinessCenter:
        """An Admin changes the Business Center's name, legal company name or time zone (its
        currency is fixed once it has one). Nothing changed: nothing is written."""
        require(self.membership(actor), Action.EDIT_BUSINESS)
        center = self.business_center(actor.bc_id)
        wanted = {
            "name": validation.text("name", name),
            "company": validation.text("company", company),
            "timezone": validation.timezone(timezone.strip()),
        }
        words = {"name": "name", "company": "company", "timezone": "time zone"}
        changes = {
            field: value for field, value in wanted.items() if getattr(center, field) != value
        }
        if not changes:
            return center
        with self.repo.writing() as writer:
            writer.update(BusinessCenter, {"bc_id": center.bc_id}, **changes)
            what = "; ".join(
                f"{words[field]} {getattr(center, field)} → {value}"
                for field, value in changes.items()
            )
            self.audit(
                writer,
                actor,
                ActivityType.BUSINESS,
                f"{self.user_name(actor.user_id)} changed the business info: {what}",
            )
        return self.business_center(actor.bc_id)

    @use_case
    def update_security(self, actor: Actor, email_domains: str) -> BusinessCenter:
        """An Admin sets the email domains new members may have (Security settings); empty
        allows any. Members and invitations already sent stay. Nothing changed: nothing is
        written."""
        require(self.membership(actor), Action.MANAGE_SECURITY)
        center = self.business_center(actor.bc_id)
        domains = validation.email_domains(email_domains)
        if set(domains) == set(center.allowed_email_domains):  # (in another order: the same)
            return center
        with self.repo.writing() as writer:
            writer.update(BusinessCenter, {"bc_id": center.bc_id}, allowed_email_domains=domains)
            self.audit(
                writer,
                actor,
                ActivityType.BUSINESS,
                f"{self.user_name(actor.user_id)} changed the security settings: new members "
                + (f"only at {', '.join(domains)}" if domains else "at any email domain"),
            )
        return self.business_center(actor.bc_id)

    @use_case
    def assign_member(
        self, actor: Actor, user_id: str, asset_type: AssetType, asset_id: str, role: AssetRole
    ) -> Assignment:
        """Give a member a role on one asset the Business Center holds (BOUND links only)."""
        require(self.membership(actor), Action.ASSIGN_MEMBER)
        self.member(actor.bc_id, user_id)
        check_assignable(self.repo, actor.bc_id, asset_type, [asset_id], role)
        key = _assignment_key(actor.bc_id, user_id, asset_type, asset_id)
        current = self.repo.first(Assignment, **key)
        if current is not None and current.role is role:
            raise Conflict(
                f"{self.user_name(user_id)} is already {labels.ASSET_ROLE[role]} on "
                f"{self._name(actor, asset_type, asset_id)}."
            )
        assignment = Assignment(actor.bc_id, user_id, asset_type, asset_id, role)
        with self.repo.writing() as writer:
            self._give(writer, actor, assignment, current)
        return assignment

    def _give(
        self, writer: Writer, actor: Actor, assignment: Assignment, current: Assignment | None
    ) -> None:
        """Make `assignment`, or change `current` to its role, and log which it was: a
        change said "assigned X as Analyst" where X had been Operator."""
        who, name = self.user_name(actor.user_id), self.user_name(assignment.user_id)
        asset = self._name(actor, assignment.asset_type, assignment.asset_id)
        new = labels.ASSET_ROLE[assignment.role]
        if current is None:
            writer.insert(assignment)
            text = f"{who} assigned {name} as {new} on {asset}"
        else:
            key = _assignment_key(
                assignment.bc_id, assignment.user_id, assignment.asset_type, assignment.asset_id
            )
            writer.update(Assignment, key, role=assignment.role)
            old = labels.ASSET_ROLE[current.role]
            text = f"{who} changed {name}'s role on {asset} from {old} to {new}"
        self.audit(writer, actor, ActivityType.ASSET, text)

    @use_case
    def assign_members(
        self,
        actor: Actor,
        asset_type: AssetType,
        asset_ids: list[str],
        user_ids: list[str],
        role: AssetRole,
    ) -> int:
        """Assign a new member: several people to several assets with one role, in one
        transaction, each assignment logged. Refused as a whole if any asset is not active or
        any person is not a member. Returns how many assignments were made or changed."""
        require(self.membership(actor), Action.ASSIGN_MEMBER)
        if not asset_ids or not user_ids:
            raise ValidationError("members", "nobody chosen", "select at least one member")
        check_assignable(self.repo, actor.bc_id, asset_type, asset_ids, role)
        for user_id in user_ids:
            self.member(actor.bc_id, user_id)
        changed = 0
        with self.repo.writing() as writer:
            for asset_id in asset_ids:
                for user_id in user_ids:
                    key = _assignment_key(actor.bc_id, user_id, asset_type, asset_id)
                    current = self.repo.first(Assignment, **key)
                    if current is None or current.role is not role:
                        wanted = Assignment(actor.bc_id, user_id, asset_type, asset_id, role)
                        self._give(writer, actor, wanted, current)
                        changed += 1
        return changed

    @use_case
    def change_assignment_role(
        self, actor: Actor, user_id: str, asset_type: AssetType, asset_id: str, role: AssetRole
    ) -> Assignment:
        """Change the role a member holds on an asset. Unlike `assign_member`, refused when
        they hold none: the dialog that asked may show an assignment removed a moment ago (in
        another app), and giving the role would have undone that removal."""
        require(self.membership(actor), Action.ASSIGN_MEMBER)
        self._held(actor, user_id, asset_type, asset_id)
        return self.assign_member(actor, user_id, asset_type, asset_id, role)

    def _held(
        self, actor: Actor, user_id: str, asset_type: AssetType, asset_id: str
    ) -> dict[str, object]:
        """The key of a member's assignment to an asset; NotFound if they have none."""
        key = _assignment_key(actor.bc_id, user_id, asset_type, asset_id)
        if self.repo.first(Assignment, **key) is None:
            raise NotFound(
                f"{self.user_name(user_id)} has no role on "
                f"{self._name(actor, asset_type, asset_id)}."
            )
        return key

    def _name(self, actor: Actor, asset_type: AssetType, asset_id: str) -> str:
        return asset_name(self.repo, actor.bc_id, asset_type, asset_id)

    @use_case
    def unassign_member(
        self, actor: Actor, user_id: str, asset_type: AssetType, asset_id: str
    ) -> None:
        """Take a member's role on one asset away."""
        require(self.membership(actor), Action.ASSIGN_MEMBER)
        key = self._held(actor, user_id, asset_type, asset_id)
        with self.repo.writing() as writer:
            writer.remove(Assignment, **key)
            self.audit(
                writer,
                actor,
                ActivityType.ASSET,
                f"{self.user_name(actor.user_id)} removed {self.user_name(user_id)} from "
                f"{self._name(actor, asset_type, asset_id)}",
            )

    @use_case
    def remove_tiktok_account(self, actor: Actor, handle: str) -> AssetLink | None:
        """End this Business Center's link to a TikTok account.

        An active link becomes UNBOUND (kept, so the history shows it) and every assignment to
        the account goes in the same transaction. A pending, rejected or ended entry is deleted
        outright: that is how the stale entry is cleared before a retry. Returns the ended link,
        or None when the entry was deleted.
        """
        require(self.membership(actor), Action.REMOVE_ASSET_LINK)
        link = find_link(self.repo, actor.bc_id, AssetType.TT_ACCOUNT, handle)
        key = {"bc_id": actor.bc_id, "asset_type": AssetType.TT_ACCOUNT, "asset_id": handle}
        who, now = self.user_name(actor.user_id), self.clock.now()
        with self.repo.writing() as writer:
            # Its live code goes too. Cleared, a pending entry left the list while the owner
            # could still authorize its code; ended, an account with access kept a live
            # claim, which the owner could approve: the Business Center then owned it.
            cancelled = cancel_live_codes(writer, self.repo, actor.bc_id, handle, now)
            if link.relation_status is RelationStatus.BOUND:
                unbound = unbind_tiktok_account(writer, self.repo, actor.bc_id, handle, now)
                ended = (
                    "gave up ownership of"
                    if link.relation_type is RelationType.OWNER_BC
                    else "ended access to"
                )
                text = f"{who} {ended} @{handle}{unbound.said()}"
            else:
                writer.remove(AssetLink, **key)
                state = labels.RELATION_STATUS[link.relation_status].lower()
                text = f"{who} cleared the {state} entry for @{handle}"
            if cancelled:  # (one at most: a new code cancels the one before)
                text += " and cancelled its live code"
            self.audit(writer, actor, ActivityType.ASSET, text)
        return self.repo.first(AssetLink, **key)


def cancel_live_codes(
    writer: Writer, repo: Repository, bc_id: str, handle: str, now: datetime
) -> int:
    """Cancel the codes for an account that can still be answered; how many there were.

    Only one code per account is valid at a time: a new one cancels the rest, and clearing
    the account's pending entry cancels it too."""
    cancelled = 0
    for live in repo.find(
        AuthorizationRequest, bc_id=bc_id, handle=handle, status=RequestStatus.NOT_USED
    ):
        if live.status_at(now) is RequestStatus.NOT_USED:
            writer.update(
                AuthorizationRequest,
                {"request_id": live.request_id},
                status=RequestStatus.CANCELLED,
            )
            cancelled += 1
    return cancelled


class Unbound(NamedTuple):
    """What ended with a Business Center's link to a TikTok account, besides the link."""

    assignments: int  # its members' roles on the account
    partners: tuple[str, ...]  # the partners it was shared with (their names)

    def said(self) -> str:
        """' and removed 2 member assignments and its share with Lumen Creative', for a log."""
        text = ""
        if self.assignments:
            text += f" and removed {labels.count(self.assignments, 'member assignment')}"
        if self.partners:
            text += f" and its share with {', '.join(self.partners)}"
        return text


def unbind_tiktok_account(
    writer: Writer, repo: Repository, bc_id: str, handle: str, when: datetime
) -> Unbound:
    """End a Business Center's active link to a TikTok account, every assignment to it, and
    its shares with partners: a Business Center cannot share what it no longer holds (the
    partner kept the account ended here).

    Shared by the admin's Remove and the owner's Remove access on the phone.
    """
    key = {"bc_id": bc_id, "asset_type": AssetType.TT_ACCOUNT, "asset_id": handle}
    writer.update(AssetLink, key, relation_status=RelationStatus.UNBOUND, updated_at=when)
    partners = []
    for share in repo.find(Partner, bc_id=bc_id, asset_type=AssetType.TT_ACCOUNT):
        if handle not in share.asset_ids:
            continue
        partners.append(share.name)
        match = {
            "bc_id": bc_id,
            "partner_bc_id": share.partner_bc_id,
            "asset_type": share.asset_type,
        }
        rest = tuple(asset_id for asset_id in share.asset_ids if asset_id != handle)
        if rest:
            writer.update(Partner, match, asset_ids=rest)
        else:  # (a share of nothing is no share: the partner keeps its other types' shares)
            writer.remove(Partner, **match)
    return Unbound(writer.remove(Assignment, **key), tuple(partners))


def _assignment_key(
    bc_id: str, user_id: str, asset_type: AssetType, asset_id: str
) -> dict[str, object]:
    return {"bc_id": bc_id, "user_id": user_id, "asset_type": asset_type, "asset_id": asset_id}
