"""The pure domain: entry states, text rules, content hashing. No Qt, no SQL."""
