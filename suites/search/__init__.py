"""Checks of queries sent with HTTP POST to "/.search" (RFC 7644 §3.4.3)."""
