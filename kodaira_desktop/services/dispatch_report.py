"""What one dispatch pass did, entry ids by outcome."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from kodaira_desktop.domain.records import Entry
from kodaira_desktop.domain.states import EntryState


@dataclass
class DispatchReport:
    published: list[int] = field(default_factory=list)
    retrying: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    unknown: list[int] = field(default_factory=list)
    held: list[int] = field(default_factory=list)
    #: Put off to stay under the service's rate limit (dispatch/pacing.py).
    paced: list[int] = field(default_factory=list)

    @property
    def handled(self) -> int:
        lists = (self.published, self.retrying, self.failed, self.unknown, self.held, self.paced)
        return sum(map(len, lists))

    def summary(self) -> str:
        return (
            f"published {len(self.published)}, retrying {len(self.retrying)}, "
            f"failed {len(self.failed)}, unknown {len(self.unknown)}, held {len(self.held)}"
        )


class Finish(Protocol):
    """Records an entry's outcome (its new state, the report's list it goes in, the audit
    action, the columns to set) in one transaction with its audit row: ``Dispatcher._finish``."""

    def __call__(
        self,
        entry: Entry,
        new_state: EntryState,
        bucket: list[int],
        action: str,
        **fields: object,
    ) -> None: ...
