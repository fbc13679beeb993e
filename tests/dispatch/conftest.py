from tests.office import clock, office

__all__ = ["clock", "office"]
