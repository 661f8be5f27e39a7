"""Quoting identifiers for the few statements that name a schema or table (DDL, reads)."""

from __future__ import annotations


def ident(*parts: str) -> str:
    """``"schema"."table"``: each part double-quoted, embedded quotes doubled (SQL standard)."""
    return ".".join('"' + part.replace('"', '""') + '"' for part in parts)
