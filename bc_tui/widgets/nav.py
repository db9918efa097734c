"""The navigation sidebar: the five areas with their number keys, the current one marked."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Static

AREAS: tuple[tuple[str, str, str], ...] = (
    ("1", "assets", "Assets"),
    ("2", "tiktok_accounts", "TikTok accounts"),
    ("3", "members", "Members"),
    ("4", "billing", "Billing"),
    ("5", "activity", "Activity log"),
)
#: What the sidebar shows in a narrow terminal (80 columns), where every column counts.
SHORT_LABELS = {"tiktok_accounts": "TikTok", "activity": "Activity"}


class NavItem(Static):
    """One area; clicking it is a convenience for what its number key does.

    One widget that picks its words from the width it gets (every screen has five of these,
    and fewer widgets is a faster first frame)."""

    def __init__(self, key: str, area: str, label: str, current: bool) -> None:
        super().__init__(classes="nav-item -current" if current else "nav-item")
        self.key = key
        self.area = area
        self.label = label

    def render(self) -> str:
        full = f"{self.key} {self.label}"
        if self.size.width >= len(full):
            return full
        return f"{self.key} {SHORT_LABELS.get(self.area, self.label)}"

    def on_click(self) -> None:
        self.post_message(NavSidebar.Selected(self.area))


class NavSidebar(Vertical):
    """Shows where you are and where the number keys go."""

    class Selected(Message):
        def __init__(self, area: str) -> None:
            super().__init__()
            self.area = area

    def __init__(self, current: str) -> None:
        super().__init__(id="nav")
        self.current = current

    def compose(self) -> ComposeResult:
        for key, area, label in AREAS:
            yield NavItem(key, area, label, area == self.current)
