"""What every service shares: the store, the clock, the id source, and who is acting.

A service method is one use case: check the actor's permission, validate, write every table
it touches in one transaction, and append one audit event in that same transaction. A method
that changes anything is a `use_case`: it runs whole inside that transaction, so its checks
read the file as it is under the lock.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Concatenate, ParamSpec, TypeVar

from bc_tui.clock import Clock
from bc_tui.domain.errors import NotFound
from bc_tui.domain.models import ActivityType, AuditEvent, BusinessCenter, Member, User
from bc_tui.ids import IdSource
from bc_tui.store.repository import Repository, Writer

P = ParamSpec("P")
R = TypeVar("R")
S = TypeVar("S", bound="ServiceBase")


def use_case(method: Callable[Concatenate[S, P], R]) -> Callable[Concatenate[S, P], R]:
    """Run a service method whole, its permission check and validation too, inside one
    store transaction.

    The transaction takes the cross-process lock and re-reads the file if another process
    changed it. Checked before that, against this process's copy (re-read only every half
    second), two Admins demoting each other at once left none, one address invited from two
    apps became two users, and a code cancelled a moment before could still be approved.
    The method's own `repo.writing()` joins this transaction; a refusal writes nothing.
    """

    @functools.wraps(method)
    def run(self: S, /, *args: P.args, **kwargs: P.kwargs) -> R:
        with self.repo.writing():
            return method(self, *args, **kwargs)

    return run


@dataclass(frozen=True, slots=True)
class Actor:
    """The acting user in the current Business Center."""

    user_id: str
    bc_id: str


class ServiceBase:
    """Shared plumbing for the services; holds no state of its own beyond its collaborators."""

    def __init__(self, repo: Repository, clock: Clock, ids: IdSource) -> None:
        self.repo = repo
        self.clock = clock
        self.ids = ids

    def membership(self, actor: Actor) -> Member | None:
        """The actor's membership in their current Business Center, if any."""
        return self.repo.first(Member, bc_id=actor.bc_id, user_id=actor.user_id)

    def business_center(self, bc_id: str) -> BusinessCenter:
        center = self.repo.first(BusinessCenter, bc_id=bc_id)
        if center is None:
            raise NotFound(f"No Business Center with ID {bc_id}. Press b to pick another one.")
        return center

    def member(self, bc_id: str, user_id: str) -> Member:
        """A member of the Business Center, or NotFound naming them."""
        found = self.repo.first(Member, bc_id=bc_id, user_id=user_id)
        if found is None:
            raise NotFound(f"{self.user_name(user_id)} is not a member of this Business Center.")
        return found

    def user(self, user_id: str) -> User:
        user = self.repo.first(User, user_id=user_id)
        if user is None:
            raise NotFound(f"No user with ID {user_id}.")
        return user

    def user_names(self) -> dict[str, str]:
        """Every user's name by user id, for views that name many people at once (read as
        two fields, without making a User of each: 1,000 of them were ~3 ms of start-up)."""
        return dict(self.repo.values(User, ("user_id", "user_name")))

    def user_name(self, user_id: str) -> str:
        user = self.repo.first(User, user_id=user_id)
        return user.user_name if user else user_id

    def audit(
        self, writer: Writer, actor: Actor, activity_type: ActivityType, text: str
    ) -> AuditEvent:
        """Append the audit event of this use case, inside its transaction."""
        event = AuditEvent(
            event_id=self.ids.new_id(),
            bc_id=actor.bc_id,
            time=self.clock.now(),
            operator_id=actor.user_id,
            activity_type=activity_type,
            activity_log=text,
        )
        writer.insert(event)
        return event
