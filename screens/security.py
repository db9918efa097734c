"""Security settings: the email domains new members may have, which an Admin sets.

DOMAIN.md's Security settings also cover 2-step verification; bc-tui has no sign-in to ask
a second step of, so this dialog holds the allow-list only.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Static

from bc_tui.domain.models import BusinessCenter
from bc_tui.domain.validation import MAX_EMAIL_DOMAINS
from bc_tui.screens.base import business_app
from bc_tui.screens.form import FormDialog
from bc_tui.widgets.footer import KeysFooter
from bc_tui.widgets.text_field import TextField


class SecurityDialog(FormDialog[BusinessCenter]):
    SUBMIT = "Save"

    def compose(self) -> ComposeResult:
        app = business_app(self)
        center = app.services.views.business_center(app.actor.bc_id)
        with Vertical(classes="dialog"):
            yield Static(Text(f"Security settings — {center.name}"), classes="dialog-title")
            yield Static("Email domains new members may have", classes="dialog-body")
            yield TextField(
                ", ".join(center.allowed_email_domains),
                placeholder="any domain (e.g. company.com, agency.io)",
                id="email-domains",
            )
            yield self.error_line()
            yield Static(
                Text(
                    f"Up to {MAX_EMAIL_DOMAINS}, separated by commas. An invitation to an "
                    "address elsewhere is refused. Members and invitations already sent stay. "
                    "Empty: any domain."
                ),
                classes="dialog-note",
            )
            yield from self.buttons()
            yield Static("enter saves · esc cancels", classes="dialog-keys")
        yield KeysFooter()

    def action_submit(self) -> None:
        app = business_app(self)
        self.submit_to(
            app.services.center.update_security,
            self.query_one("#email-domains", Input).value,
        )
