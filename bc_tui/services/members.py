"""Use cases for the people of a Business Center: invitations, roles, and leaving.

Rules from the product: only Admins manage members; at most 20 Admins; the last Admin can
never be removed or demoted (TikTok advises keeping two); an invite names at most 50 emails;
removing a member takes every one of their assignments with them, each logged.
"""

from __future__ import annotations

from dataclasses import dataclass

from bc_tui.domain import labels, validation
from bc_tui.domain.errors import Conflict, NotFound, ValidationError
from bc_tui.domain.models import (
    ActivityType,
    AssetRole,
    AssetType,
    Assignment,
    FinanceRole,
    Member,
    MemberStatus,
    User,
    UserRole,
)
from bc_tui.domain.permissions import Action, require
from bc_tui.services.assignments import asset_name, check_assignable
from bc_tui.services.base import Actor, ServiceBase, use_case

MAX_ADMINS = 20
MAX_MEMBERS = 4000
MAX_INVITES = 50  # emails per invitation, as the Business API allows


@dataclass(frozen=True, slots=True)
class Invitation:
    """What one invite did: who was invited, and who was not, with the reason."""

    invited: tuple[Member, ...]
    skipped: tuple[tuple[str, str], ...]  # (email, why)


def split_emails(text: str) -> list[str]:
    """Emails as people paste them: separated by commas, semicolons, spaces or new lines."""
    for separator in ",;\n\t":
        text = text.replace(separator, " ")
    return [part for part in text.split(" ") if part]


class MemberService(ServiceBase):
    """Invitations, roles and removal of members."""

    @use_case
    def invite_members(
        self,
        actor: Actor,
        emails: list[str],
        user_role: UserRole,
        finance_role: FinanceRole | None = None,
        assets: tuple[tuple[AssetType, str], ...] = (),
        asset_role: AssetRole = AssetRole.ANALYST,
    ) -> Invitation:
        """Invite several people at once; they are PENDING members until they accept.

        `assets` come with the invitation, each with `asset_role` (at most 50, like emails).
        A malformed address refuses the whole invite (so nothing half-happens); members and
        people already invited are reported in `skipped` (an address listed twice, once).
        """
        require(self.membership(actor), Action.INVITE_MEMBER)
        if len(assets) > MAX_INVITES:
            raise ValidationError(
                "assets", f"{len(assets)} chosen", f"give at most {MAX_INVITES} with an invite"
            )
        for asset_type in {asset_type for asset_type, _ in assets}:
            ids = [asset_id for kind, asset_id in assets if kind is asset_type]
            check_assignable(self.repo, actor.bc_id, asset_type, ids, asset_role)
        if not emails:
            raise ValidationError("emails", "none given", "type one or more email addresses")
        if len(emails) > MAX_INVITES:
            raise ValidationError(
                "emails", f"{len(emails)} addresses", f"invite at most {MAX_INVITES} at a time"
            )
        addresses = [validation.email(email) for email in emails]
        skipped: list[tuple[str, str]] = []
        fresh: list[str] = []
        users = {user.user_email: user for user in self.repo.all(User)}
        members = {m.user_id: m for m in self.repo.find(Member, bc_id=actor.bc_id)}
        seen: set[str] = set()
        for address in addresses:
            user = users.get(address)
            member = members.get(user.user_id) if user else None
            if address in seen:  # (its first listing says it all: "x (listed twice)" beside
                continue  # "Invited x" read as if x had not been invited)
            if member is not None and member.invite_expired(self.clock.now()):
                skipped.append((address, "their invitation expired — resend it, or revoke it"))
            elif member is not None and member.relation_status is MemberStatus.PENDING:
                skipped.append((address, "already invited — resend or revoke that invitation"))
            elif member is not None:
                skipped.append((address, "already a member"))
            elif refused := self._domains_refuse(actor.bc_id, address):
                skipped.append((address, refused))
            else:
                fresh.append(address)
            seen.add(address)
        if not fresh:
            reasons = "; ".join(f"{email}: {why}" for email, why in skipped)
            raise Conflict(f"Nobody new to invite ({reasons}).")
        if len(members) + len(fresh) > MAX_MEMBERS:
            raise Conflict(f"A Business Center can have at most {MAX_MEMBERS} members.")
        if user_role is UserRole.ADMIN:
            self._check_admin_room(actor.bc_id, adding=len(fresh))
        invited = []
        with_assets = ""
        if assets:
            names = ", ".join(
                asset_name(self.repo, actor.bc_id, kind, asset_id) for kind, asset_id in assets
            )
            with_assets = f", {labels.ASSET_ROLE[asset_role]} on {names}"
        with self.repo.writing() as writer:
            for address in fresh:
                user = users.get(address)
                if user is None:
                    user = User(self.ids.new_id(), address.split("@")[0], address)
                    writer.insert(user)
                member = Member(
                    bc_id=actor.bc_id,
                    user_id=user.user_id,
                    user_role=user_role,
                    relation_status=MemberStatus.PENDING,
                    finance_role=finance_role,
                    invited_at=self.clock.now(),
                )
                writer.insert(member)
                invited.append(member)
                for asset_type, asset_id in assets:
                    role = asset_role
                    writer.insert(Assignment(actor.bc_id, user.user_id, asset_type, asset_id, role))
            self.audit(
                writer,
                actor,
                ActivityType.USER,
                f"{self.user_name(actor.user_id)} invited {', '.join(fresh)} as "
                f"{labels.member_role(user_role, finance_role)}{with_assets}",
            )
        return Invitation(invited=tuple(invited), skipped=tuple(skipped))

    @use_case
    def resend_invitation(self, actor: Actor, user_id: str) -> Member:
        """Send a pending invitation again (it counts from now)."""
        require(self.membership(actor), Action.INVITE_MEMBER)
        member = self._pending(actor.bc_id, user_id)
        email = self._email(member.user_id)
        refused = self._domains_refuse(actor.bc_id, email)
        if refused:  # (set since it was first sent)
            raise Conflict(
                f"{email} cannot be invited again: {refused}. Revoke the invitation (v), or "
                "change Security settings."
            )
        with self.repo.writing() as writer:
            writer.update(
                Member, {"bc_id": actor.bc_id, "user_id": user_id}, invited_at=self.clock.now()
            )
            self.audit(
                writer,
                actor,
                ActivityType.USER,
                f"{self.user_name(actor.user_id)} resent the invitation to {email}",
            )
        return self.member(actor.bc_id, user_id)

    def _domains_refuse(self, bc_id: str, address: str) -> str | None:
        """Why the Business Center's Security settings refuse inviting `address` (None: they
        allow it)."""
        allowed = self.business_center(bc_id).allowed_email_domains
        if allowed and validation.email_domain(address) not in allowed:
            return f"Security settings allow only {', '.join(allowed)}"
        return None

    @use_case
    def revoke_invitation(self, actor: Actor, user_id: str) -> None:
        """Withdraw a pending invitation, and any assets it came with."""
        require(self.membership(actor), Action.INVITE_MEMBER)
        member = self._pending(actor.bc_id, user_id)
        with self.repo.writing() as writer:
            writer.remove(Member, bc_id=actor.bc_id, user_id=user_id)
            writer.remove(Assignment, bc_id=actor.bc_id, user_id=user_id)
            self.audit(
                writer,
                actor,
                ActivityType.USER,
                f"{self.user_name(actor.user_id)} revoked the invitation to "
                f"{self._email(member.user_id)}",
            )

    @use_case
    def accept_invitation(self, actor: Actor) -> Member:
        """The invited person accepts: their membership becomes BOUND."""
        member = self.membership(actor)
        if member is None:
            raise NotFound("There is no invitation for you in this Business Center.")
        if member.relation_status is MemberStatus.BOUND:
            raise Conflict("You are already a member of this Business Center.")
        expires = member.invite_expires_at
        if expires is not None and self.clock.now() >= expires:
            raise Conflict(
                f"This invitation expired on {expires:%Y-%m-%d}. Ask an Admin of the Business "
                "Center to resend it."
            )
        with self.repo.writing() as writer:
            writer.update(
                Member,
                {"bc_id": actor.bc_id, "user_id": actor.user_id},
                relation_status=MemberStatus.BOUND,
            )
            self.audit(
                writer,
                actor,
                ActivityType.USER,
                f"{self.user_name(actor.user_id)} accepted the invitation",
            )
        return self.member(actor.bc_id, actor.user_id)

    @use_case
    def change_member_role(self, actor: Actor, user_id: str, user_role: UserRole) -> Member:
        """Promote or demote; at most 20 Admins, and never the last one."""
        require(self.membership(actor), Action.CHANGE_MEMBER_ROLE)
        member = self.member(actor.bc_id, user_id)
        if member.user_role is user_role:
            raise ValidationError(
                "role",
                f"{self.user_name(user_id)} is already {labels.USER_ROLE[user_role]}",
                "pick the other role",
            )
        if user_role is UserRole.ADMIN:
            self._check_admin_room(actor.bc_id)
        else:
            self._check_not_last_admin(member, "demoted")
        with self.repo.writing() as writer:
            writer.update(Member, {"bc_id": actor.bc_id, "user_id": user_id}, user_role=user_role)
            self.audit(
                writer,
                actor,
                ActivityType.USER,
                f"{self.user_name(actor.user_id)} changed {self.user_name(user_id)}'s role "
                f"from {labels.USER_ROLE[member.user_role]} to {labels.USER_ROLE[user_role]}",
            )
        return self.member(actor.bc_id, user_id)

    @use_case
    def change_finance_role(
        self, actor: Actor, user_id: str, finance_role: FinanceRole | None
    ) -> Member:
        """Give or take a finance role (Finance Manager: full payment control; Finance
        Analyst: bills, invoices and transactions to view)."""
        require(self.membership(actor), Action.CHANGE_MEMBER_ROLE)
        member = self.member(actor.bc_id, user_id)
        if member.finance_role is finance_role:
            now = labels.FINANCE_ROLE[finance_role] if finance_role else "no finance role"
            raise ValidationError(
                "finance role", f"{self.user_name(user_id)} already has {now}", "pick another"
            )
        before = labels.FINANCE_ROLE[member.finance_role] if member.finance_role else "none"
        after = labels.FINANCE_ROLE[finance_role] if finance_role else "none"
        with self.repo.writing() as writer:
            writer.update(
                Member, {"bc_id": actor.bc_id, "user_id": user_id}, finance_role=finance_role
            )
            self.audit(
                writer,
                actor,
                ActivityType.USER,
                f"{self.user_name(actor.user_id)} changed {self.user_name(user_id)}'s finance "
                f"role from {before} to {after}",
            )
        return self.member(actor.bc_id, user_id)

    @use_case
    def remove_member(self, actor: Actor, user_id: str) -> int:
        """Offboarding: the member and every one of their assignments go, each logged.

        Returns how many assignments went. You cannot remove yourself (another Admin must),
        and the last Admin cannot be removed.
        """
        require(self.membership(actor), Action.REMOVE_MEMBER)
        if user_id == actor.user_id:
            raise Conflict("You cannot remove yourself: ask another Admin to do it.")
        member = self.member(actor.bc_id, user_id)
        self._check_not_last_admin(member, "removed")
        assignments = self.repo.find(Assignment, bc_id=actor.bc_id, user_id=user_id)
        who, name = self.user_name(actor.user_id), self.user_name(user_id)
        with self.repo.writing() as writer:
            for assignment in assignments:
                asset = asset_name(
                    self.repo, actor.bc_id, assignment.asset_type, assignment.asset_id
                )
                role = labels.ASSET_ROLE[assignment.role]
                text = f"{who} removed {name} from {asset} ({role}) while removing them"
                self.audit(writer, actor, ActivityType.ASSET, text)
            writer.remove(Assignment, bc_id=actor.bc_id, user_id=user_id)
            writer.remove(Member, bc_id=actor.bc_id, user_id=user_id)
            self.audit(
                writer, actor, ActivityType.USER, f"{who} removed {name} from the Business Center"
            )
        return len(assignments)

    def _pending(self, bc_id: str, user_id: str) -> Member:
        member = self.member(bc_id, user_id)
        if member.relation_status is not MemberStatus.PENDING:
            raise Conflict(f"{self.user_name(user_id)} already accepted; there is no invitation.")
        return member

    def _email(self, user_id: str) -> str:
        return self.user(user_id).user_email

    def _check_admin_room(self, bc_id: str, adding: int = 1) -> None:
        admins = self.repo.count(Member, bc_id=bc_id, user_role=UserRole.ADMIN)
        if admins + adding > MAX_ADMINS:
            raise Conflict(f"A Business Center can have at most {MAX_ADMINS} Admins.")

    def _check_not_last_admin(self, member: Member, what: str) -> None:
        if (
            member.user_role is not UserRole.ADMIN
            or member.relation_status is not MemberStatus.BOUND
        ):
            return
        bound_admins = self.repo.count(
            Member, bc_id=member.bc_id, user_role=UserRole.ADMIN, relation_status=MemberStatus.BOUND
        )
        if bound_admins <= 1:
            raise Conflict(
                f"{self.user_name(member.user_id)} is the last Admin and cannot be {what}: a "
                "Business Center needs one. Make someone else Admin first (TikTok advises "
                "keeping at least two)."
            )
