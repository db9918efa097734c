"""Table cells as Rich Text: user data is always shown literally, never parsed as markup."""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size
from rich.text import Text

from bc_tui.domain import labels
from bc_tui.domain.models import AdAccountStatus, MemberStatus, RelationStatus

_RELATION_STYLE = {
    RelationStatus.BOUND: "bold green",
    RelationStatus.PENDING: "bold yellow",
    RelationStatus.REJECTED: "bold red",
    RelationStatus.UNBOUND: "dim",
}


def plain(value: object) -> Text:
    """Any value as literal text (a display name like "[bold]x" stays exactly that)."""
    return Text(str(value), no_wrap=True, overflow="ellipsis")


#: The most cells a name takes in a list: names may have 100 characters, and one that long
#: made its column as wide, putting every column after it off the screen.
NAME_CELLS = 32


def clip(name: str) -> str:
    """`name` as a list shows it: cut to NAME_CELLS, with an ellipsis (it is whole in the
    details, and a filter searches all of it)."""
    if cell_len(name) <= NAME_CELLS:
        return name
    return set_cell_size(name, NAME_CELLS - 1).rstrip() + "…"


_AD_ACCOUNT_STYLE = {
    AdAccountStatus.ACTIVE: "green",
    AdAccountStatus.PENDING_REVIEW: "yellow",
    AdAccountStatus.DISABLED: "dim",
}


def relation_status(status: RelationStatus) -> Text:
    return Text(labels.RELATION_STATUS[status], style=_RELATION_STYLE[status])


def ad_account_status(status: AdAccountStatus) -> Text:
    return Text(labels.AD_ACCOUNT_STATUS[status], style=_AD_ACCOUNT_STYLE[status])


def member_status(status: MemberStatus, *, expired: bool = False) -> Text:
    if expired:
        return Text("Invite expired", style="red")
    if status is MemberStatus.PENDING:
        return Text("Invited", style="bold yellow")
    return Text("Active", style="green")
