"""The simulated TikTok app on the account owner's phone: what its pages show, what taps do.

Pure Python, so the pane in the admin app, the `bc-tui phone` process and the tests all drive
the same model. A page is computed from the database each time it is shown; the navigation
stack (where the owner is) belongs to whoever shows the phone.
"""

from __future__ import annotations

from bc_tui.clock import Clock
from bc_tui.domain import labels, validation
from bc_tui.domain.errors import DomainError, NotFound
from bc_tui.domain.models import (
    AssetLink,
    AssetType,
    AuthorizationRequest,
    InboxMessage,
    Phone,
    RelationStatus,
    RelationType,
    RequestKind,
    RequestStatus,
    TikTokAccount,
)
from bc_tui.ids import IdSource
from bc_tui.services.base import ServiceBase, use_case
from bc_tui.services.linking import LinkingService
from bc_tui.services.phone_pages import Do, Item, Navigation, Page, PageParts, PhonePage, Place
from bc_tui.store.repository import Repository

#: What came of a request, beside its message in the inbox.
_CAME_OF = {
    RequestStatus.APPROVED: "authorized",
    RequestStatus.DECLINED: "declined",
    RequestStatus.FAILED: "failed",
    RequestStatus.CANCELLED: "replaced or cancelled",
    RequestStatus.EXPIRED: "expired",
}


class PhoneService(ServiceBase):
    """The phone's pages and actions; approvals go through the linking service."""

    def __init__(
        self, repo: Repository, clock: Clock, ids: IdSource, linking: LinkingService
    ) -> None:
        super().__init__(repo, clock, ids)
        self.linking = linking

    # --- the device -----------------------------------------------------------------------

    def device(self, phone_id: str | None = None) -> Phone:
        """The phone with this id, or the first one (a demo has one)."""
        phones = self.repo.all(Phone)
        for phone in phones:
            if phone_id in (None, phone.phone_id):
                return phone
        raise NotFound("There is no phone in this database. Run `bc-tui phone --account @you`.")

    @use_case
    def log_in(self, handle: str, phone_id: str | None = None) -> Phone:
        """Log an account in on the phone (creating the phone if there is none) and make it
        the active one. A device change, not a Business Center event: no audit entry."""
        clean = validation.handle(handle)
        phones = self.repo.all(Phone)
        with self.repo.writing() as writer:
            if not phones:
                phone = Phone(self.ids.new_id(), "Owner's phone", (clean,), clean)
                writer.insert(phone)
            else:
                phone = self.device(phone_id)
                logged_in = phone.logged_in + ((clean,) if clean not in phone.logged_in else ())
                writer.update(
                    Phone, {"phone_id": phone.phone_id}, logged_in=logged_in, active=clean
                )
            if self.repo.first(TikTokAccount, handle=clean) is None:
                writer.insert(TikTokAccount(clean, clean, "", ""))
        return self.device(phone.phone_id)

    @use_case
    def switch_account(self, phone_id: str, handle: str) -> Phone:
        """The app's account switcher: only accounts logged in on this phone."""
        phone = self.device(phone_id)
        if handle not in phone.logged_in:
            raise NotFound(f"@{handle} is not logged in on this phone.")
        with self.repo.writing() as writer:
            writer.update(Phone, {"phone_id": phone_id}, active=handle)
        return self.device(phone_id)

    # --- pages ----------------------------------------------------------------------------

    def page(self, phone_id: str, place: Place, on_screen: str | None = None) -> PhonePage:
        """The page at `place` for the phone's active account. `on_screen` is the token of the
        QR code the admin's screen shows, when the phone runs beside it."""
        phone = self.device(phone_id)
        me = phone.active
        build = getattr(self, f"_page_{place.page.name.lower()}")
        if me is None and place.page is not Page.ACCOUNTS:
            return PhonePage(place, "TikTok", ("No account is logged in on this phone.",), (), None)
        title, lines, items = build(phone, place.arg, on_screen)
        return PhonePage(
            place, title, tuple(lines), tuple(items), me, takes_code=place.page is Page.SCANNER
        )

    def settle(self, nav: Navigation) -> None:
        """The phone is shown again: an outcome, or the page of a code that can no longer
        be answered, is left for the Profile page. Both were about an earlier code, and
        read as if about the one on the admin's screen now ("Cancelled" under a new code)."""
        place = nav.current
        if place.page is Page.RESULT:
            nav.home()
        elif place.page is Page.AUTHORIZE:
            request = self.linking.by_token(place.arg)
            if request is None or request.status_at(self.clock.now()) is not RequestStatus.NOT_USED:
                nav.home()

    @use_case
    def choose(self, phone_id: str, nav: Navigation, item: Item) -> None:
        """Tap `item`: move through the app, or act and show the outcome."""
        if item.do is Do.OPEN and item.page is not None:
            nav.open(item.page, item.arg)
            return
        if item.do is Do.HOME:
            nav.home()
            return
        phone = self.device(phone_id)
        me = phone.active or ""
        try:
            if item.do is Do.SWITCH:
                self.switch_account(phone_id, item.arg)
                nav.home()
                return
            if item.do is Do.REMOVE_ACCESS:
                link = self.linking.remove_access(me, item.arg)
                center = self.business_center(link.bc_id)
                nav.show_result(f"{center.name} can no longer use @{me}.")
                return
            answer = self.linking.approve if item.do is Do.AUTHORIZE else self.linking.decline
            nav.show_result(self._outcome(answer(item.arg, me)))
        except DomainError as error:
            nav.show_result(str(error))

    def scan(self, nav: Navigation, scanned: str) -> bool:
        """Point the camera at a code (or type the code shown under it); False if it is no
        Business Center's code (a typo, most likely: the scanner keeps it to correct)."""
        from bc_tui import qr  # QR decoding, loaded when the phone first scans

        token = qr.token_from(scanned)
        nav.open(Page.AUTHORIZE, token)
        return self.linking.by_token(token) is not None

    # --- page builders: (phone, the page's arg, the token on the admin's screen) ------------

    def _page_menu(self, phone: Phone, _: str, _on_screen: str | None) -> PageParts:
        return "Menu", [], [Item("Settings and privacy", Do.OPEN, Page.SETTINGS)]

    def _page_result(self, phone: Phone, message: str, _on_screen: str | None) -> PageParts:
        return "Done", message.split("\n"), [Item("OK", Do.HOME)]

    def _page_profile(self, phone: Phone, _: str, _on_screen: str | None) -> PageParts:
        me = phone.active or ""
        account = self.repo.first(TikTokAccount, handle=me)
        lines = [account.display_name if account else me]
        others = [f"@{h}" for h in phone.logged_in if h != me]
        if others:
            lines.append("Also logged in here: " + ", ".join(others))
        # (those still to answer: every message ever sent was counted, answered or not)
        now = self.clock.now()
        waiting = sum(
            request.status_at(now) is RequestStatus.NOT_USED for request in self._inbox_requests(me)
        )
        inbox = f"Inbox ({waiting})" if waiting else "Inbox"
        items = [
            Item("≡ Menu", Do.OPEN, Page.MENU),
            Item(inbox, Do.OPEN, Page.INBOX),
            Item("Switch account", Do.OPEN, Page.ACCOUNTS),
        ]
        return f"@{me}", lines, items

    def _page_settings(self, phone: Phone, _: str, _on_screen: str | None) -> PageParts:
        return (
            "Settings and privacy",
            [],
            [
                Item("QR code", Do.OPEN, Page.QR_CODE),
                Item("Business Centers", Do.OPEN, Page.BUSINESS_CENTERS),
            ],
        )

    def _page_qr_code(self, phone: Phone, _: str, _on_screen: str | None) -> PageParts:
        lines = [
            f"Your QR code: people scan it to find @{phone.active}.",
            "To approve a Business Center, scan its code with the scanner (top right).",
        ]
        return "QR code", lines, [Item("Scanner (top right)", Do.OPEN, Page.SCANNER)]

    def _page_scanner(self, phone: Phone, _: str, on_screen: str | None) -> PageParts:
        now = self.clock.now()
        items = []
        if on_screen:
            items.append(
                Item("Scan the code on the admin's screen", Do.OPEN, Page.AUTHORIZE, on_screen)
            )
        for request in self.linking.live_qr_requests():
            if request.token == on_screen:
                continue
            center = self.business_center(request.bc_id)
            left = labels.mm_ss(request.seconds_left(now))
            items.append(
                Item(
                    f"{center.name}: @{request.handle} ({left})",
                    Do.OPEN,
                    Page.AUTHORIZE,
                    request.token,
                )
            )
        lines = ["Point the camera at a Business Center's QR code."]
        if not items:
            lines.append("No QR code is showing anywhere right now.")
        lines.append("Or type the code printed under it:")
        return "Scan", lines, items

    def _page_authorize(self, phone: Phone, token: str, _on_screen: str | None) -> PageParts:
        request = self.linking.by_token(token)
        if request is None:
            return (
                "Scan",
                [
                    "This is not a Business Center code.",
                    "Typed it? Go back (esc) to correct it: capitals count.",
                    "Or ask the Business Center for a new one.",
                ],
                [],
            )
        status = request.status_at(self.clock.now())
        if status is RequestStatus.EXPIRED:
            return (
                "Expired",
                ["This code has expired.", "Ask the Business Center for a new code."],
                [],
            )
        if status is not RequestStatus.NOT_USED:
            title = "Used" if status is RequestStatus.APPROVED else status.value.title()
            return (
                title,
                [
                    f"This code {labels.SPENT_CODE[status]}.",
                    "Ask the Business Center for a new code.",
                ],
                [],
            )
        center = self.business_center(request.bc_id)
        return (
            "Authorize",
            self._request_lines(request, center.name, phone.active or ""),
            [
                Item("Authorize", Do.AUTHORIZE, arg=request.token),
                Item("Decline", Do.DECLINE, arg=request.token),
            ],
        )

    @staticmethod
    def _request_lines(request: AuthorizationRequest, center: str, me: str) -> list[str]:
        lines = [f"Business Center {center}", f"asks about @{request.handle}:", ""]
        if request.kind is RequestKind.CLAIM_OWNERSHIP:
            lines.append("Claim ownership: the Business Center will own this account,")
            lines.append("and use it for ads and reports:")  # (every scope: the owner saw none)
            lines += [f"• {labels.SCOPE[scope]}" for scope in request.scopes]
            lines.append("This is permanent, and no other Business Center can claim it.")
        else:
            lines.append("Request access: it may use this account for ads and reports.")
            lines += [f"• {labels.SCOPE[scope]}" for scope in request.scopes]
            lines.append("You keep the account and can remove access any time.")
        lines += ["", f"You are logged in as @{me}."]
        return lines

    def _inbox_requests(self, handle: str) -> list[AuthorizationRequest]:
        """The requests the messages in an account's inbox are about."""
        ids = {message.request_id for message in self.repo.find(InboxMessage, handle=handle)}
        return [
            request
            for request in self.repo.find(AuthorizationRequest, handle=handle)
            if request.request_id in ids
        ]

    def _page_inbox(self, phone: Phone, _: str, _on_screen: str | None) -> PageParts:
        count = self.repo.count(InboxMessage, handle=phone.active)
        return "Inbox", [], [Item(f"All activity ({count})", Do.OPEN, Page.ALL_ACTIVITY)]

    def _page_all_activity(self, phone: Phone, _: str, _on_screen: str | None) -> PageParts:
        count = self.repo.count(InboxMessage, handle=phone.active)
        return "All activity", [], [Item(f"From TikTok ({count})", Do.OPEN, Page.FROM_TIKTOK)]

    def _page_from_tiktok(self, phone: Phone, _: str, _on_screen: str | None) -> PageParts:
        now = self.clock.now()
        messages = sorted(
            self.repo.find(InboxMessage, handle=phone.active), key=lambda m: m.time, reverse=True
        )
        items = []
        for message in messages:
            request = self.repo.first(AuthorizationRequest, request_id=message.request_id)
            if request is not None:
                when = labels.ago((now - message.time).total_seconds())
                # What came of it: four alike read as four to answer, where one was live.
                status = request.status_at(now)
                came = "" if status is RequestStatus.NOT_USED else f" · {_CAME_OF[status]}"
                label = f"{message.text} · {when}{came}"
                items.append(Item(label, Do.OPEN, Page.AUTHORIZE, request.token))
        lines = [] if items else ["Nothing from TikTok yet."]
        return "From TikTok", lines, items

    def _page_business_centers(self, phone: Phone, _: str, _on_screen: str | None) -> PageParts:
        items = []
        for link in self._links_of(phone.active or ""):
            center = self.business_center(link.bc_id)
            what = (
                "owns this account"
                if link.relation_type is RelationType.OWNER_BC
                else labels.scopes(link.tt_account_roles)
            )
            items.append(Item(f"{center.name} — {what}", Do.OPEN, Page.BC_ACCESS, link.bc_id))
        lines = ["Business Centers you let use this account."]
        if not items:
            lines = [f"No Business Center has access to @{phone.active}."]
        return "Business Centers", lines, items

    def _page_bc_access(self, phone: Phone, bc_id: str, _on_screen: str | None) -> PageParts:
        center = self.business_center(bc_id)
        links = self._links_of(phone.active or "")
        link = next((found for found in links if found.bc_id == bc_id), None)
        if link is None:
            return center.name, [f"{center.name} has no access to @{phone.active}."], []
        if link.relation_type is RelationType.OWNER_BC:
            lines = [
                f"{center.name} owns @{phone.active}: it claimed the account.",
                "Ownership cannot be removed here.",
            ]
            return center.name, lines, []
        lines = [f"Can use: {labels.scopes(link.tt_account_roles)}."]
        return center.name, lines, [Item("Remove access…", Do.OPEN, Page.CONFIRM_REMOVE, bc_id)]

    def _page_confirm_remove(self, phone: Phone, bc_id: str, _on_screen: str | None) -> PageParts:
        center = self.business_center(bc_id)
        lines = [
            f"{center.name} will no longer be able to use @{phone.active},",
            "and its team loses access to the account.",
        ]
        return "Remove access?", lines, [Item("Remove access", Do.REMOVE_ACCESS, arg=bc_id)]

    def _page_accounts(self, phone: Phone, _: str, _on_screen: str | None) -> PageParts:
        items = [
            Item(f"@{handle}{' ✓' if handle == phone.active else ''}", Do.SWITCH, arg=handle)
            for handle in phone.logged_in
        ]
        return "Switch account", [], items

    def _links_of(self, handle: str) -> list[AssetLink]:
        return self.repo.find(
            AssetLink,
            asset_type=AssetType.TT_ACCOUNT,
            asset_id=handle,
            relation_status=RelationStatus.BOUND,
        )

    def _outcome(self, request: AuthorizationRequest) -> str:
        center = self.business_center(request.bc_id).name
        if request.status is RequestStatus.APPROVED:
            if request.kind is RequestKind.CLAIM_OWNERSHIP:
                return f"Authorized. {center} now owns @{request.handle}."
            return f"Authorized. {center} can now use @{request.handle}."
        if request.status is RequestStatus.DECLINED:
            if any(
                link.bc_id == request.bc_id and link.relation_type is RelationType.OWNER_INDIVIDUAL
                for link in self._links_of(request.handle)
            ):
                # (a claim declined by an owner who had granted access: that access stays)
                return (
                    f"Declined. {center} does not own @{request.handle}: the access you "
                    "granted it stays."
                )
            return f"Declined. {center} cannot use @{request.handle}."
        reason = request.reason or "Something went wrong."
        return reason[:1].upper() + reason[1:] + "."
