"""Roundtable: a platform for multistakeholder policy working groups."""

__version__ = "0.1.0"
