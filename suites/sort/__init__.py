"""Checks of sortBy and sortOrder (RFC 7644 §3.4.2.3)."""
