"""Checks of error responses and response media types (RFC 7644 §3.1, §3.12)."""
