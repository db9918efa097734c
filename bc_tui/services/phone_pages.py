"""What the simulated TikTok app shows: its pages, the items on them, and where the owner is.

The model the phone pane and `bc-tui phone` draw, without the use cases behind it
(`bc_tui.services.phone`): the admin app loads those, with QR decoding, when the phone is
first used.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Page(StrEnum):
    PROFILE = "Profile"
    MENU = "Menu"
    SETTINGS = "Settings and privacy"
    QR_CODE = "QR code"
    SCANNER = "Scan"
    AUTHORIZE = "Authorize"
    INBOX = "Inbox"
    ALL_ACTIVITY = "All activity"
    FROM_TIKTOK = "From TikTok"
    BUSINESS_CENTERS = "Business Centers"
    BC_ACCESS = "Business Center access"
    CONFIRM_REMOVE = "Remove access?"
    ACCOUNTS = "Switch account"
    RESULT = "Done"


class Do(StrEnum):
    OPEN = "open"
    AUTHORIZE = "authorize"
    DECLINE = "decline"
    SWITCH = "switch"
    REMOVE_ACCESS = "remove access"
    HOME = "home"


@dataclass(frozen=True, slots=True)
class Item:
    """Something to tap: open a page, or act (authorize, decline, switch, remove access)."""

    label: str
    do: Do
    page: Page | None = None
    arg: str = ""


@dataclass(frozen=True, slots=True)
class Place:
    page: Page
    arg: str = ""  # the token, BC id or message the page is about


@dataclass(frozen=True, slots=True)
class PhonePage:
    """One screen of the TikTok app, ready to draw."""

    place: Place
    title: str
    lines: tuple[str, ...]
    items: tuple[Item, ...]
    account: str | None  # the active account, shown in the title bar
    takes_code: bool = False  # the scanner also accepts a typed code


#: What a page builder returns: the title, the lines of text, the items to tap.
PageParts = tuple[str, list[str], list[Item]]


class Navigation:
    """Where the owner is in the app: a stack of places; back goes one step up."""

    def __init__(self) -> None:
        self.stack: list[Place] = [Place(Page.PROFILE)]

    @property
    def current(self) -> Place:
        return self.stack[-1]

    def open(self, page: Page, arg: str = "") -> None:
        self.stack.append(Place(page, arg))

    def back(self) -> bool:
        """One step up; False when already at the top (Profile)."""
        if len(self.stack) == 1:
            return False
        self.stack.pop()
        return True

    def home(self) -> None:
        del self.stack[1:]

    def show_result(self, message: str) -> None:
        """An outcome replaces the path that led to it, so back returns to Profile."""
        self.home()
        self.open(Page.RESULT, message)
