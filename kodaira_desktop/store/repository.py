"""The Store: every use-case-level operation on the shared queue, each in its own transaction,
returning plain records (``kodaira_desktop.domain.records``), never ORM objects."""

from __future__ import annotations

from kodaira_desktop.store.audit import AuditStore
from kodaira_desktop.store.channels import ChannelStore
from kodaira_desktop.store.claims import ClaimStore
from kodaira_desktop.store.heartbeats import HeartbeatStore
from kodaira_desktop.store.items import ItemStore
from kodaira_desktop.store.media import MediaStore
from kodaira_desktop.store.overrides import OverrideStore
from kodaira_desktop.store.templates import TemplateStore
from kodaira_desktop.store.trust import TrustStore
from kodaira_desktop.store.users import UserStore


class Store(
    ChannelStore,
    UserStore,
    ItemStore,
    MediaStore,
    ClaimStore,
    OverrideStore,
    AuditStore,
    HeartbeatStore,
    TrustStore,
    TemplateStore,
):
    """``Store(database, clock=...)``; the clock returns aware UTC "now" (injected in tests)."""
