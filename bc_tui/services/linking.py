"""Adding TikTok accounts: authorization requests, their single-use tokens, and the owner's
answer.

The walkthrough's heart: an Admin asks to *request access* to or *claim* an account, a QR code
(or an in-app notification) carries a single-use token, and the account's owner approves or
declines on their phone. Expiry is computed from the Clock, so no background job is needed and
every reader (this app, the phone process) agrees on it.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bc_tui.clock import Clock
from bc_tui.domain import labels, validation
from bc_tui.domain.errors import Conflict, NotFound, ValidationError
from bc_tui.domain.models import (
    DEFAULT_QR_TTL,
    ActivityType,
    AssetLink,
    AssetType,
    AuthorizationRequest,
    InboxMessage,
    RelationStatus,
    RelationType,
    RequestKind,
    RequestMethod,
    RequestStatus,
    TikTokAccount,
    TtAccountRole,
)
from bc_tui.domain.permissions import Action, require
from bc_tui.ids import IdSource
from bc_tui.services.base import Actor, ServiceBase, use_case
from bc_tui.services.center import cancel_live_codes, unbind_tiktok_account
from bc_tui.store.repository import Repository, Writer

#: TikTok's limits on links between Business Centers and TikTok accounts (DOMAIN.md: an
#: account may be linked to up to 800 Business Centers, a Business Center to up to 800
#: accounts). Active links count; a request waiting for its owner does not, and is checked
#: again when approved. (`bc-tui seed` writes bigger Business Centers, for the benchmarks.)
MAX_ACCOUNTS_PER_CENTER = 800
MAX_CENTERS_PER_ACCOUNT = 800

#: An account's entry as a request found it: its status, type and access (no status: none).
_Entry = tuple[RelationStatus | None, RelationType | None, tuple[TtAccountRole, ...]]


def _relation_for(kind: RequestKind) -> RelationType:
    return (
        RelationType.OWNER_BC
        if kind is RequestKind.CLAIM_OWNERSHIP
        else RelationType.OWNER_INDIVIDUAL
    )


def _link_key(request: AuthorizationRequest) -> dict[str, Any]:
    """The stored fields that name the Business Center's entry for a request's account."""
    return {"bc_id": request.bc_id, "asset_type": AssetType.TT_ACCOUNT, "asset_id": request.handle}


class LinkingService(ServiceBase):
    """Authorization requests for TikTok accounts, from the admin's side and the owner's."""

    def __init__(
        self, repo: Repository, clock: Clock, ids: IdSource, *, qr_ttl: int = DEFAULT_QR_TTL
    ) -> None:
        super().__init__(repo, clock, ids)
        self.qr_ttl = validation.qr_ttl(qr_ttl)

    # --- the admin's side -----------------------------------------------------------------

    def check_request(self, actor: Actor, handle: str, kind: RequestKind) -> str:
        """Every check `request_authorization` makes before asking for scopes; returns the
        clean handle. Lets the dialog say what is wrong before the admin goes further."""
        require(self.membership(actor), Action.ADD_TIKTOK_ACCOUNT)
        if kind is RequestKind.CLAIM_OWNERSHIP:
            require(self.membership(actor), Action.CLAIM_TIKTOK_ACCOUNT)
        clean = validation.handle(handle)
        self._check_linkable(actor.bc_id, clean, kind)
        return clean

    @use_case
    def request_authorization(
        self,
        actor: Actor,
        handle: str,
        kind: RequestKind,
        scopes: tuple[TtAccountRole, ...] = (),
        method: RequestMethod = RequestMethod.QR,
    ) -> AuthorizationRequest:
        """Create a request with a fresh token; any live request for the account is replaced.

        Claiming grants every scope; requesting access needs at least one. The Business
        Center's entry for the account becomes PENDING unless it is already active.
        """
        clean = self.check_request(actor, handle, kind)
        if kind is RequestKind.CLAIM_OWNERSHIP:
            scopes = tuple(TtAccountRole)
        else:
            scopes = tuple(scope for scope in TtAccountRole if scope in scopes)
            if not scopes:
                raise ValidationError(
                    "access", "nothing chosen", "choose Spark Ads, LIVE ads or both"
                )
        request = self._new_request(actor, clean, kind, scopes, method, self._before(actor, clean))
        with self.repo.writing() as writer:
            cancel_live_codes(writer, self.repo, actor.bc_id, clean, self.clock.now())
            self._mark_pending(writer, request)
            self._issue(writer, request)
            what = (
                f"asked to claim @{clean}"
                if kind is RequestKind.CLAIM_OWNERSHIP
                else f"requested access to @{clean} ({labels.scopes(scopes)})"
            )
            self.audit(
                writer,
                actor,
                ActivityType.ASSET,
                f"{self.user_name(actor.user_id)} {what} — {self._by(method)}",
            )
        return request

    @use_case
    def regenerate(self, actor: Actor, request_id: str) -> AuthorizationRequest:
        """A new QR code for the same account, kind and scopes; the old token stops working."""
        return self._replace(actor, request_id, RequestMethod.QR)

    @use_case
    def send_notification(self, actor: Actor, request_id: str) -> AuthorizationRequest:
        """No camera at hand: the request goes to the account's inbox instead of a QR code."""
        return self._replace(actor, request_id, RequestMethod.NOTIFICATION)

    @use_case
    def cancel(self, actor: Actor, request_id: str) -> AuthorizationRequest:
        """The admin closes the code: its token stops working."""
        require(self.membership(actor), Action.ADD_TIKTOK_ACCOUNT)
        request = self._own_request(actor, request_id)
        if request.status_at(self.clock.now()) is not RequestStatus.NOT_USED:
            return request
        with self.repo.writing() as writer:
            writer.update(
                AuthorizationRequest, {"request_id": request_id}, status=RequestStatus.CANCELLED
            )
            self._put_back(writer, request)
            self.audit(
                writer,
                actor,
                ActivityType.ASSET,
                f"{self.user_name(actor.user_id)} cancelled the "
                + ("claim of" if request.kind is RequestKind.CLAIM_OWNERSHIP else "request for")
                + f" @{request.handle}",
            )
        return self.request(request_id)

    def request(self, request_id: str) -> AuthorizationRequest:
        found = self.repo.first(AuthorizationRequest, request_id=request_id)
        if found is None:
            raise NotFound("That authorization request no longer exists.")
        return found

    def last_request(self, actor: Actor, handle: str) -> AuthorizationRequest | None:
        """The newest request this Business Center made for an account, if any: what a
        pending entry with no live code came to (failed, and why; expired; cancelled)."""
        found = self.repo.find(AuthorizationRequest, bc_id=actor.bc_id, handle=handle)
        return max(found, key=lambda request: request.created_at, default=None)

    # --- the owner's side (the phone) -----------------------------------------------------

    @use_case
    def approve(self, token: str, approving_handle: str) -> AuthorizationRequest:
        """The owner taps Authorize while logged into `approving_handle`.

        Returns the request as it ended: APPROVED, or FAILED/EXPIRED with the reason. Only a
        token that is unknown or already used raises.
        """
        return self._answer(token, approving_handle, approve=True)

    @use_case
    def decline(self, token: str, approving_handle: str) -> AuthorizationRequest:
        """The owner taps Decline: the Business Center's entry becomes REJECTED."""
        return self._answer(token, approving_handle, approve=False)

    @use_case
    def remove_access(self, approving_handle: str, bc_id: str) -> AssetLink:
        """The owner, on the phone, ends a Business Center's access to their account.

        Only access the owner granted can be removed here; a claimed account belongs to the
        Business Center. Every assignment to the account goes with it.
        """
        link = self._link(bc_id, approving_handle)
        center = self.business_center(bc_id)
        if link is None or link.relation_status is not RelationStatus.BOUND:
            raise NotFound(f"{center.name} has no access to @{approving_handle}.")
        if link.relation_type is RelationType.OWNER_BC:
            raise Conflict(
                f"{center.name} owns @{approving_handle} (it was claimed), so its access "
                "cannot be removed from the phone."
            )
        phone_actor = Actor(user_id=f"@{approving_handle}", bc_id=bc_id)
        with self.repo.writing() as writer:
            unbound = unbind_tiktok_account(
                writer, self.repo, bc_id, approving_handle, self.clock.now()
            )
            text = f"@{approving_handle} removed {center.name}'s access{unbound.said()}"
            self.audit(writer, phone_actor, ActivityType.ASSET, text)
        return self._link(bc_id, approving_handle)  # type: ignore[return-value]

    def live_qr_requests(self) -> list[AuthorizationRequest]:
        """Every QR code a camera could be pointed at right now, newest first."""
        now = self.clock.now()
        live = [
            request
            for request in self.repo.find(
                AuthorizationRequest, status=RequestStatus.NOT_USED, method=RequestMethod.QR
            )
            if request.status_at(now) is RequestStatus.NOT_USED
        ]
        return sorted(live, key=lambda request: request.created_at, reverse=True)

    def by_token(self, token: str) -> AuthorizationRequest | None:
        return self.repo.first(AuthorizationRequest, token=token.strip())

    # --- internals ------------------------------------------------------------------------

    def _answer(self, token: str, approving_handle: str, *, approve: bool) -> AuthorizationRequest:
        request = self.by_token(token)
        if request is None:
            raise NotFound("This code is not valid. Ask the Business Center for a new one.")
        now = self.clock.now()
        status = request.status_at(now)
        if status in labels.SPENT_CODE:
            spent = labels.SPENT_CODE[status]
            raise Conflict(f"This code {spent}. Ask the Business Center for a new one.")
        center = self.business_center(request.bc_id)
        phone_actor = Actor(user_id=f"@{approving_handle}", bc_id=request.bc_id)
        key = {"request_id": request.request_id}
        with self.repo.writing() as writer:
            if status is RequestStatus.EXPIRED:
                reason = "the code expired before it was approved — ask for a new code"
                writer.update(
                    AuthorizationRequest, key, status=RequestStatus.EXPIRED, reason=reason
                )
                text = f"@{approving_handle} tried to use an expired code for @{request.handle}"
            elif approving_handle != request.handle:
                reason = (
                    f"authorization failed: the phone is logged in as @{approving_handle}, "
                    f"this request is for @{request.handle} — scan a new code (r in the "
                    f"Business Center's QR dialog) on a phone logged in as @{request.handle}"
                )
                writer.update(AuthorizationRequest, key, status=RequestStatus.FAILED, reason=reason)
                text = (
                    f"Authorization for @{request.handle} failed: the phone was logged in as "
                    f"@{approving_handle}"
                )
            elif (
                approve
                and request.kind is RequestKind.CLAIM_OWNERSHIP
                and (owner := self._other_owner(request.bc_id, request.handle))
            ):
                reason = (
                    f"authorization failed: @{request.handle} is already owned by another "
                    f"Business Center ({owner}); an account can be claimed by only one"
                )
                writer.update(AuthorizationRequest, key, status=RequestStatus.FAILED, reason=reason)
                text = f"Claiming @{request.handle} failed: it is owned by another Business Center"
            elif approve and (limit := self._beyond_limits(request.bc_id, request.handle)):
                reason = f"authorization failed: {limit}"
                writer.update(AuthorizationRequest, key, status=RequestStatus.FAILED, reason=reason)
                text = f"Authorization for @{request.handle} failed: {limit}"
            elif approve:
                writer.update(AuthorizationRequest, key, status=RequestStatus.APPROVED)
                self._bind(writer, request)
                text = (
                    f"@{request.handle} approved: {center.name} now owns the account"
                    if request.kind is RequestKind.CLAIM_OWNERSHIP
                    else f"@{request.handle} granted {center.name} access "
                    f"({labels.scopes(request.scopes)})"
                )
            else:
                writer.update(AuthorizationRequest, key, status=RequestStatus.DECLINED)
                self._reject(writer, request)
                text = f"@{request.handle} declined {center.name}'s request"
            self.audit(writer, phone_actor, ActivityType.ASSET, text)
        return self.request(request.request_id)

    def _replace(
        self, actor: Actor, request_id: str, method: RequestMethod
    ) -> AuthorizationRequest:
        require(self.membership(actor), Action.ADD_TIKTOK_ACCOUNT)
        old = self._own_request(actor, request_id)
        if old.status is RequestStatus.APPROVED:
            raise Conflict(
                f"@{old.handle} already approved this request; there is nothing to redo."
            )
        self._check_linkable(actor.bc_id, old.handle, old.kind)
        before = (old.before_status, old.before_type, old.before_roles)
        request = self._new_request(actor, old.handle, old.kind, old.scopes, method, before)
        with self.repo.writing() as writer:
            cancel_live_codes(writer, self.repo, actor.bc_id, old.handle, self.clock.now())
            self._mark_pending(writer, request)
            self._issue(writer, request)
            verb = (
                "generated a new QR code"
                if method is RequestMethod.QR
                else "sent a notification instead of a QR code"
            )
            self.audit(
                writer,
                actor,
                ActivityType.ASSET,
                f"{self.user_name(actor.user_id)} {verb} for @{old.handle}",
            )
        return request

    def _new_request(
        self,
        actor: Actor,
        handle: str,
        kind: RequestKind,
        scopes: tuple[TtAccountRole, ...],
        method: RequestMethod,
        before: _Entry,
    ) -> AuthorizationRequest:
        now = self.clock.now()
        before_status, before_type, before_roles = before
        return AuthorizationRequest(
            request_id=self.ids.new_id(),
            bc_id=actor.bc_id,
            handle=handle,
            kind=kind,
            scopes=scopes,
            method=method,
            token=self.ids.new_token(),
            created_by=actor.user_id,
            created_at=now,
            expires_at=now + timedelta(seconds=self.qr_ttl),
            before_status=before_status,
            before_type=before_type,
            before_roles=before_roles,
        )

    def _before(self, actor: Actor, handle: str) -> _Entry:
        """The account's entry before a request made it pending: as it is, or, if a request
        left it pending, as it was before that one (no status: there was none)."""
        link = self._link(actor.bc_id, handle)
        if link is None:
            return (None, None, ())
        if link.relation_status is RelationStatus.PENDING:
            last = self.last_request(actor, handle)
            if last is not None:
                return (last.before_status, last.before_type, last.before_roles)
        return (link.relation_status, link.relation_type, link.tt_account_roles)

    def _put_back(self, writer: Writer, request: AuthorizationRequest) -> None:
        """A cancelled request leaves the account's entry as it was before it was made: a
        code closed with esc left a "Pending · stale" entry (and a rejected account's
        Rejected gone) for x to clear."""
        link = self._link(request.bc_id, request.handle)
        if link is None or link.relation_status is not RelationStatus.PENDING:
            return
        key = _link_key(request)
        if request.before_status is None or request.before_type is None:
            writer.remove(AssetLink, **key)
            return
        writer.update(
            AssetLink,
            key,
            relation_status=request.before_status,
            relation_type=request.before_type,
            tt_account_roles=request.before_roles,
            updated_at=self.clock.now(),
        )

    def _own_request(self, actor: Actor, request_id: str) -> AuthorizationRequest:
        request = self.request(request_id)
        if request.bc_id != actor.bc_id:
            raise NotFound("That authorization request belongs to another Business Center.")
        return request

    def _link(self, bc_id: str, handle: str) -> AssetLink | None:
        return self.repo.first(
            AssetLink, bc_id=bc_id, asset_type=AssetType.TT_ACCOUNT, asset_id=handle
        )

    def _other_owner(self, bc_id: str, handle: str) -> str | None:
        """The name of another Business Center that has claimed `handle`, if any."""
        for link in self.repo.find(
            AssetLink,
            asset_type=AssetType.TT_ACCOUNT,
            asset_id=handle,
            relation_type=RelationType.OWNER_BC,
            relation_status=RelationStatus.BOUND,
        ):
            if link.bc_id != bc_id:
                return self.business_center(link.bc_id).name
        return None

    def _beyond_limits(self, bc_id: str, handle: str) -> str | None:
        """Why linking `handle` to `bc_id` now would pass TikTok's limits (None: it would
        not, or they are linked already)."""
        link = self._link(bc_id, handle)
        if link is not None and link.relation_status is RelationStatus.BOUND:
            return None
        active = {"asset_type": AssetType.TT_ACCOUNT, "relation_status": RelationStatus.BOUND}
        if self.repo.count(AssetLink, bc_id=bc_id, **active) >= MAX_ACCOUNTS_PER_CENTER:
            return (
                f"the Business Center already has {MAX_ACCOUNTS_PER_CENTER:,} TikTok accounts, "
                "the most TikTok allows: remove one (x) first"
            )
        if self.repo.count(AssetLink, asset_id=handle, **active) >= MAX_CENTERS_PER_ACCOUNT:
            return (
                f"@{handle} is already linked to {MAX_CENTERS_PER_ACCOUNT:,} Business Centers, "
                "the most TikTok allows"
            )
        return None

    def _check_linkable(self, bc_id: str, handle: str, kind: RequestKind) -> None:
        if why := self._beyond_limits(bc_id, handle):
            raise Conflict(why[0].upper() + why[1:] + ".")
        link = self._link(bc_id, handle)
        bound = link is not None and link.relation_status is RelationStatus.BOUND
        if bound and link.relation_type is RelationType.OWNER_BC:  # type: ignore[union-attr]
            raise Conflict(f"This Business Center already owns @{handle}.")
        if kind is RequestKind.CLAIM_OWNERSHIP:
            owner = self._other_owner(bc_id, handle)
            if owner:
                raise Conflict(
                    f"@{handle} is already owned by another Business Center ({owner}), and an "
                    "account can be claimed by only one. Request access instead."
                )
        elif bound:
            raise Conflict(
                f"This Business Center already has access to @{handle}. To change what it "
                "may use, revoke access (x) and request it again."
            )

    def _mark_pending(self, writer: Writer, request: AuthorizationRequest) -> None:
        """The Business Center's entry shows the request, unless the account is active."""
        link = self._link(request.bc_id, request.handle)
        if link is not None and link.relation_status is RelationStatus.BOUND:
            return
        self._put_link(writer, request, RelationStatus.PENDING)

    def _bind(self, writer: Writer, request: AuthorizationRequest) -> None:
        if self.repo.first(TikTokAccount, handle=request.handle) is None:
            writer.insert(TikTokAccount(request.handle, request.handle, "", ""))
        self._put_link(writer, request, RelationStatus.BOUND)

    def _reject(self, writer: Writer, request: AuthorizationRequest) -> None:
        link = self._link(request.bc_id, request.handle)
        if link is not None and link.relation_status is RelationStatus.BOUND:
            return  # a declined claim leaves the access the owner granted before
        self._put_link(writer, request, RelationStatus.REJECTED)

    def _put_link(
        self, writer: Writer, request: AuthorizationRequest, status: RelationStatus
    ) -> None:
        key = _link_key(request)
        changes = {
            "relation_type": _relation_for(request.kind),
            "relation_status": status,
            "tt_account_roles": request.scopes,
            "updated_at": self.clock.now(),
        }
        if not writer.update(AssetLink, key, **changes):
            writer.insert(AssetLink(**key, **changes))  # type: ignore[arg-type]

    def _issue(self, writer: Writer, request: AuthorizationRequest) -> None:
        """Store the request; a notification also lands in the account's inbox, "From TikTok"."""
        writer.insert(request)
        if request.method is not RequestMethod.NOTIFICATION:
            return
        center = self.business_center(request.bc_id)
        wants = (
            "wants to claim ownership of"
            if request.kind is RequestKind.CLAIM_OWNERSHIP
            else f"requests access ({labels.scopes(request.scopes)}) to"
        )
        writer.insert(
            InboxMessage(
                message_id=self.ids.new_id(),
                handle=request.handle,
                time=self.clock.now(),
                text=f"Business Center {center.name} {wants} your account @{request.handle}.",
                request_id=request.request_id,
            )
        )

    @staticmethod
    def _by(method: RequestMethod) -> str:
        return "QR code" if method is RequestMethod.QR else "notification sent"
