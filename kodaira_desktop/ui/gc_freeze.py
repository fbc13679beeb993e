"""Full garbage collections that do not stall the window.

A full (generation 2) collection walks every object the process holds — about 80,000 once the
window's modules are loaded (SQLAlchemy, the Qt wrappers, our tables) — and holds the
interpreter lock while it does: 60–100 ms, on whichever thread happens to allocate, so the GUI
thread waits either way (measured: the longest stall while loading was such a collection).
Once start-up has loaded what stays for the whole session, `gc.freeze()` moves those objects
out of the collector's sight: later full collections walk only what was made since (measured:
~100 ms → under 1 ms). Cycles among the frozen objects are never collected; they live as long
as the process anyway.
"""

from __future__ import annotations

import gc


def freeze_what_start_up_loaded() -> None:
    """Called once the window is loaded (not in tests' windows, which come and go)."""
    gc.freeze()
