"""Clients for the services the city publishes to (X, LINE, Facebook, YouTube).

Everything here speaks plain HTTP through httpx and imports no Qt and no database code. The
dispatcher only needs :mod:`.base`, :mod:`.endpoints` and :func:`.registry.make_publisher`.
"""
