"""Pure timing rules of dispatch: an injectable clock, retry backoff, wake-up arithmetic and
per-account pacing under the services' rate limits. No storage, no HTTP, no Qt.

The engine that claims and publishes entries is a use-case, `services/dispatcher.py`, with its
parts beside it: `dispatch_host.py` (identity, heartbeat thread), `claim_recovery.py` (dead
dispatchers' claims, expired emergency requests), `publisher_pool.py` (one client per channel
from the keyring) and `dispatch_report.py`.
"""
