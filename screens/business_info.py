"""The Business Center's own details, which an Admin may change: its name, the company's
legal name and the time zone its times are shown in. Its currency is fixed once set."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Static

from bc_tui.domain.models import BusinessCenter
from bc_tui.screens.base import business_app
from bc_tui.screens.form import FormDialog
from bc_tui.widgets.footer import KeysFooter
from bc_tui.widgets.text_field import TextField


class BusinessInfoDialog(FormDialog[BusinessCenter]):
    SUBMIT = "Save"
    FIELDS: ClassVar[dict[str, str]] = {
        "name": "#bc-name",
        "company": "#bc-company",
        "timezone": "#bc-timezone",
    }

    def compose(self) -> ComposeResult:
        app = business_app(self)
        center = app.services.views.business_center(app.actor.bc_id)
        with Vertical(classes="dialog"):
            yield Static(Text(f"Business info — {center.bc_id}"), classes="dialog-title")
            yield Static("Name", classes="dialog-body")
            yield TextField(center.name, id="bc-name", max_length=80)
            yield Static("Company (legal name)", classes="dialog-body")
            yield TextField(center.company, id="bc-company", max_length=80)
            yield Static("Time zone (IANA, e.g. Europe/London)", classes="dialog-body")
            yield TextField(center.timezone, id="bc-timezone", max_length=64)
            yield self.error_line()
            yield Static(
                Text(f"Currency: {center.currency} (it cannot be changed once set)."),
                classes="dialog-note",
            )
            yield from self.buttons()
            yield Static("tab moves · enter saves · esc cancels", classes="dialog-keys")
        yield KeysFooter()

    def action_submit(self) -> None:
        app = business_app(self)
        self.submit_to(
            app.services.center.update_business_info,
            self.query_one("#bc-name", Input).value,
            self.query_one("#bc-company", Input).value,
            self.query_one("#bc-timezone", Input).value,
        )
