"""The use cases of bc-tui, callable without any screen (UI, CLI, SSH and tests share them)."""

from __future__ import annotations

from bc_tui.clock import Clock
from bc_tui.ids import IdSource
from bc_tui.services.base import Actor
from bc_tui.services.billing import BillingService
from bc_tui.services.billing_view import BillingViews
from bc_tui.services.center import CenterService
from bc_tui.services.linking import DEFAULT_QR_TTL, LinkingService
from bc_tui.services.members import MemberService
from bc_tui.services.partners import PartnerService
from bc_tui.services.phone import PhoneService
from bc_tui.services.views import ViewService
from bc_tui.store.database import Store
from bc_tui.store.repository import Repository

__all__ = ["Actor", "Services"]


class Services:
    """One object holding every service, built once per process around one store."""

    def __init__(
        self, store: Store, clock: Clock, ids: IdSource, *, qr_ttl: int = DEFAULT_QR_TTL
    ) -> None:
        self.store = store
        self.clock = clock
        self.ids = ids
        repo = Repository(store)
        self.repo = repo
        self.center = CenterService(repo, clock, ids)
        self.members = MemberService(repo, clock, ids)
        self.partners = PartnerService(repo, clock, ids)
        self.views = ViewService(repo, clock, ids)
        self.billing = BillingService(repo, clock, ids)
        self.billing_views = BillingViews(repo, clock, ids)
        self.linking = LinkingService(repo, clock, ids, qr_ttl=qr_ttl)
        self.phone = PhoneService(repo, clock, ids, self.linking)
