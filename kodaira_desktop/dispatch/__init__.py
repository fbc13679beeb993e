"""Pure scheduling parts of dispatch: an injectable clock, retry backoff, wake-up arithmetic.

The engine that claims and publishes entries is a use-case: `services/dispatcher.py`.
"""
