"""The dispatch engine: claims due entries, re-checks policy and approvals, publishes, records."""
