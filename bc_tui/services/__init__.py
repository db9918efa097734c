"""The use cases of bc-tui, callable without any screen (UI, CLI, SSH and tests share them)."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from bc_tui.clock import Clock
from bc_tui.domain import validation
from bc_tui.domain.models import DEFAULT_QR_TTL
from bc_tui.ids import IdSource
from bc_tui.services.base import Actor
from bc_tui.services.views import ViewService
from bc_tui.store.database import Store
from bc_tui.store.repository import Repository

if TYPE_CHECKING:
    from bc_tui.services.billing import BillingService
    from bc_tui.services.billing_view import BillingViews
    from bc_tui.services.center import CenterService
    from bc_tui.services.linking import LinkingService
    from bc_tui.services.members import MemberService
    from bc_tui.services.partners import PartnerService
    from bc_tui.services.phone import PhoneService

__all__ = ["Actor", "Services"]


class Services:
    """One object holding every service, built once per process around one store.

    The views are built at once (every screen reads them); the other services, and their
    modules, when first used: starting on a list imports none of the use cases, QR codes or
    billing rules (~20 ms of start-up at 10,000 accounts).
    """

    def __init__(
        self, store: Store, clock: Clock, ids: IdSource, *, qr_ttl: int = DEFAULT_QR_TTL
    ) -> None:
        self.store = store
        self.clock = clock
        self.ids = ids
        self.repo = Repository(store)
        self.qr_ttl = validation.qr_ttl(qr_ttl)  # refused now, not when a code is first made
        self.views = ViewService(self.repo, clock, ids)

    @cached_property
    def center(self) -> CenterService:
        from bc_tui.services.center import CenterService

        return CenterService(self.repo, self.clock, self.ids)

    @cached_property
    def members(self) -> MemberService:
        from bc_tui.services.members import MemberService

        return MemberService(self.repo, self.clock, self.ids)

    @cached_property
    def partners(self) -> PartnerService:
        from bc_tui.services.partners import PartnerService

        return PartnerService(self.repo, self.clock, self.ids)

    @cached_property
    def billing(self) -> BillingService:
        from bc_tui.services.billing import BillingService

        return BillingService(self.repo, self.clock, self.ids)

    @cached_property
    def billing_views(self) -> BillingViews:
        from bc_tui.services.billing_view import BillingViews

        return BillingViews(self.repo, self.clock, self.ids)

    @cached_property
    def linking(self) -> LinkingService:
        from bc_tui.services.linking import LinkingService

        return LinkingService(self.repo, self.clock, self.ids, qr_ttl=self.qr_ttl)

    @cached_property
    def phone(self) -> PhoneService:
        from bc_tui.services.phone import PhoneService

        return PhoneService(self.repo, self.clock, self.ids, self.linking)
