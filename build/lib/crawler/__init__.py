"""Rebuilds the dated history of software vendors' privacy policies from Wayback-style archives."""

__version__ = "0.1.0"
