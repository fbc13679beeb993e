"""The PySide6 front door: widgets, models and dialogs. No SQL, no HTTP."""
