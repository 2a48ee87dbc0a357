"""Checks of the discovery endpoints and of what they advertise (RFC 7644 §4, RFC 7643 §5–§7)."""
