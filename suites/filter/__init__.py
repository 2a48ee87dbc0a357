"""Checks of the filter query parameter (RFC 7644 §3.4.2.2)."""
