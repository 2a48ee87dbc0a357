"""Checks of schema extensions (RFC 7643 §3.3, §6, §7): the enterprise one and vendors' own."""
