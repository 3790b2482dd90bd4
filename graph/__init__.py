"""Kommunalgraph library: records, mapping, validation, reasoning, store and queries."""

__version__ = "0.1.0"
