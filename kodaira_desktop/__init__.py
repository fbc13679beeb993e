"""Kodaira Desktop. The version is set in pyproject.toml only; this reads the installed metadata."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("kodaira-desktop")
except PackageNotFoundError:  # a source tree that was never installed
    __version__ = "0+unknown"
