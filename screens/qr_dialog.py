"""The QR code dialog: a real, expiring code the account's owner scans and approves.

It follows its request live: an approval, a decline or a failure on the phone (in this app or
another process) shows here without a key pressed, because the app posts DataChanged to the
screen on top whenever the database changes.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Static

from bc_tui.domain import labels
from bc_tui.domain.models import AuthorizationRequest, RequestKind, RequestMethod, RequestStatus
from bc_tui.screens.base import business_app
from bc_tui.screens.dialog import Dialog
from bc_tui.styles import stylesheet
from bc_tui.widgets.countdown import QrCountdown
from bc_tui.widgets.footer import KeysFooter
from bc_tui.widgets.phone import show_phone
from bc_tui.widgets.qr import QrCode

SCAN_STEPS = (
    "Profile → ≡ (top right) → Settings and privacy → QR code → scanner (top right) → scan "
    "→ Authorize"
)
INBOX_STEPS = "Inbox → All activity → From TikTok → open the request → Authorize"


class QrDialog(Dialog[AuthorizationRequest | None]):
    """Shows one request; dismisses with it once approved, with None when closed.

    Closing a live QR code cancels it (the code is only on this screen, so it could not be
    scanned afterwards). Closing a live notification does not: it waits in the owner's
    TikTok inbox, and the list shows it as pending until they answer or it expires, as the
    real product does; `x` withdraws it.
    """

    CSS_PATH = [stylesheet("dialogs.tcss"), stylesheet("qr.tcss")]
    AUTO_FOCUS = ""  # r, n and escape belong to the dialog; the phone takes focus if shown
    BINDINGS = [
        Binding("r", "regenerate", "New QR code"),
        # Once the request cannot be approved, r is the dialog's even with the phone's code
        # field under the keys: the dialog says "Press r for a new QR code" (while it is
        # live, a code typed on the phone may hold an r).
        Binding("r", "renew", "New QR code", priority=True),
        Binding("n", "notify_instead", "Notify instead"),
        Binding("x", "withdraw", "Withdraw"),
        # One of the two, by what closing does (see the class's docstring).
        Binding("escape", "cancel", "Cancel"),
        Binding("escape", "close", "Close"),
        # App keys do not reach a modal; the phone must, since the owner scans from it.
        Binding("p", "app.phone", "Phone"),
    ]

    def __init__(self, request: AuthorizationRequest) -> None:
        super().__init__()
        self.request = request

    def compose(self) -> ComposeResult:
        app = business_app(self)
        yield KeysFooter()
        with Horizontal(classes="dialog -qr"):
            with Vertical(id="qr-area"):
                yield Static(id="qr-caption", classes="dialog-title -beside-phone")
                yield QrCode(self.request.token, id="qr")
                yield Static(id="qr-message")
                yield QrCountdown(app.services.clock, id="countdown")
                yield Static(id="qr-code-under", classes="-beside-phone")
            with Vertical(id="qr-info"):
                yield Static(id="qr-title", classes="dialog-title")
                yield Static(id="qr-for")
                yield Static(id="qr-token")
                yield Static(id="qr-steps")
                yield Static(id="qr-status")
                yield Static(id="qr-keys", classes="dialog-keys")

    def on_mount(self) -> None:
        self.show(self.request)
        self.sync_phone(focus=True)

    def _waiting(self) -> RequestMethod | None:
        """How the request waits for the owner (a QR code, a notification); None once it
        cannot be approved any more."""
        now = business_app(self).services.clock.now()
        live = self.request.status_at(now) is RequestStatus.NOT_USED
        return self.request.method if live else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """`x` only while a notification waits (a QR code is withdrawn by closing it); `n`
        not then (it would only send the same request again). Escape cancels a live QR
        code and closes anything else."""
        waiting = self._waiting()
        notified, code_on_show = waiting is RequestMethod.NOTIFICATION, waiting is RequestMethod.QR
        enabled = {
            "regenerate": waiting is not None,
            "renew": waiting is None,
            "withdraw": notified,
            "notify_instead": not notified,
            "cancel": code_on_show,
            "close": not code_on_show,
        }
        return enabled.get(action, True)

    def keys_over_phone(self) -> frozenset[str]:
        """Keys that are the dialog's even in the phone's code field (`CodeField`)."""
        return frozenset() if self._waiting() else frozenset({"r"})

    def sync_phone(self, *, focus: bool = False) -> None:
        show_phone(self, self, focus=focus)

    def on_qr_countdown_expired(self, _: QrCountdown.Expired) -> None:
        self.show(self.request)

    def reload(self) -> None:
        self.show(business_app(self).services.linking.request(self.request.request_id))
        if not self.closing:  # (approved: it has closed)
            self.sync_phone()

    def show(self, request: AuthorizationRequest) -> None:
        """Render `request` as it stands now; close when it has been approved."""
        self.request = request
        app = business_app(self)
        status = request.status_at(app.services.clock.now())
        if status is RequestStatus.APPROVED:
            self.dismiss(request)
            return
        claim = request.kind is RequestKind.CLAIM_OWNERSHIP
        notification = request.method is RequestMethod.NOTIFICATION
        kind = "Claim ownership" if claim else "Request access"
        self.query_one("#qr-title", Static).update(
            kind + (" · notification" if notification else " · scan to approve")
        )
        # What the code is for, over it, where the column that says so is left out: the
        # handle first, for an ellipsis cuts a long one's line short (24 characters at most).
        self.query_one("#qr-caption", Static).update(Text(f"@{request.handle} · {kind}"))
        self.query_one("#qr-for", Static).update(
            Text(f"@{request.handle} · {labels.scopes(request.scopes)}")
        )
        qr_code = self.query_one("#qr", QrCode)
        message = self.query_one("#qr-message", Static)
        countdown = self.query_one("#countdown", QrCountdown)
        live = status is RequestStatus.NOT_USED
        showing_qr = live and not notification
        # What the phone can type instead of scanning; only beside the code it spells (a
        # notification's code was shown while the phone said no code was showing).
        code = Text(f"Code {request.token}" if showing_qr else "", style="dim")
        self.query_one("#qr-token", Static).update(code)
        self.query_one("#qr-code-under", Static).update(code)
        if showing_qr:
            qr_code.show(request.token)
        qr_code.display = showing_qr
        message.display = not showing_qr
        message.update(self._message(request, status))
        message.set_class(status is not RequestStatus.NOT_USED, "-problem")
        if live or status is RequestStatus.EXPIRED:
            countdown.start(request.created_at, request.expires_at)
        else:
            countdown.stop()
        steps = INBOX_STEPS if notification else SCAN_STEPS
        self.query_one("#qr-steps", Static).update(
            Text(f"On the phone logged in as @{request.handle}:\n{steps}") if live else ""
        )
        self.query_one("#qr-status", Static).update(
            Text("Waiting for the owner…", style="italic") if live else ""
        )
        keys = "r new QR code · n notify · esc close"
        if live and notification:
            keys = "r QR code · x withdraw · esc close"
        elif live:
            keys = "r new code · n notify · esc cancel"
        self.query_one("#qr-keys", Static).update(keys)
        self.refresh_bindings()

    @staticmethod
    def _message(request: AuthorizationRequest, status: RequestStatus) -> Text:
        if status is RequestStatus.NOT_USED:  # a live notification
            return Text.assemble(
                ("Notification sent\n\n", "bold"),
                f"Request sent to @{request.handle}: the owner approves it in the TikTok "
                "app's inbox.\n\n"
                "Closing this keeps it pending until they answer or it expires; x "
                "withdraws it, r shows a QR code instead.",
            )
        if status is RequestStatus.EXPIRED:
            notified = request.method is RequestMethod.NOTIFICATION
            return Text.assemble(
                ("Notification expired\n\n" if notified else "QR code expired\n\n", "bold"),
                f"A {'notification' if notified else 'code'} is valid for a limited time, and "
                "this one ran out before it was approved.\n\nPress r for a new QR code, or n "
                + ("to notify the owner again." if notified else "to notify the owner instead."),
            )
        if status is RequestStatus.FAILED:
            reason = request.reason.removeprefix("authorization failed: ")
            reason = reason[:1].upper() + reason[1:] + "."
            return Text.assemble(("Authorization failed\n\n", "bold"), reason)
        if status is RequestStatus.DECLINED:
            return Text.assemble(
                ("Declined\n\n", "bold"),
                f"@{request.handle} declined the request. Check with the owner, then press r "
                "to ask again.",
            )
        return Text.assemble(
            ("Code no longer valid\n\n", "bold"),
            "It was replaced by a newer code or cancelled. Press r for a new one.",
        )

    def action_regenerate(self) -> None:
        app = business_app(self)
        result = app.attempt(app.services.linking.regenerate, self.request.request_id)
        if result.ok:
            self.show(result.value)

    def action_renew(self) -> None:
        self.action_regenerate()

    def action_notify_instead(self) -> None:
        app = business_app(self)
        result = app.attempt(app.services.linking.send_notification, self.request.request_id)
        if result.ok:
            self.show(result.value)

    def action_cancel(self) -> None:
        app = business_app(self)
        app.attempt(app.services.linking.cancel, self.request.request_id)
        self.dismiss(None)

    def action_close(self) -> None:
        if self._waiting() is RequestMethod.NOTIFICATION:
            business_app(self).notify(
                f"The request waits in @{self.request.handle}'s TikTok inbox until they answer "
                "or it expires. x on the list withdraws it.",
                title="Notification sent",
            )
        self.dismiss(None)

    def action_withdraw(self) -> None:
        app = business_app(self)
        if app.attempt(app.services.linking.cancel, self.request.request_id).ok:
            app.notify(f"Withdrew the request to @{self.request.handle}.")
            self.dismiss(None)
