"""The use-cases both front doors call. No Qt here."""
