"""The city's posting policy (CONTRACTS.md §2). Pure Python: no Qt, no SQL."""

from kodaira_desktop.policy.config import PolicyConfig, PolicyError
from kodaira_desktop.policy.engine import (
    REASON_LABELS_JA,
    DayStatus,
    Decision,
    PostingPolicy,
)
from kodaira_desktop.policy.loader import load_policy, parse_policy

__all__ = [
    "REASON_LABELS_JA",
    "DayStatus",
    "Decision",
    "PolicyConfig",
    "PolicyError",
    "PostingPolicy",
    "load_policy",
    "parse_policy",
]
