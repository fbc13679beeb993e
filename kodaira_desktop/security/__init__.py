"""Security building blocks: secrets in the OS keyring, chief keys and signatures, the audit
chain, the pinned trust root and the lockout policy.

Pure Python with no Qt and no SQLAlchemy. Nothing is imported here, so importing one
submodule (e.g. :mod:`.audit_chain`) does not pay for ``keyring`` or ``cryptography``.
"""
