from tests.office import CHIEF, CHIEF_PASSWORD, JST, STAFF, clock, office

__all__ = ["CHIEF", "CHIEF_PASSWORD", "JST", "STAFF", "clock", "office"]
