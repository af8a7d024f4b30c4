"""The installed package's version, without importing anything heavy (the command line's `--version`)."""
from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version


def package_version() -> str:
    """The installed `commonground` distribution's version; "0+unknown" when run from an uninstalled tree."""
    try:
        return version("commonground")
    except PackageNotFoundError:
        return "0+unknown"
