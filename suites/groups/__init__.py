"""Checks of POST, GET, PUT and DELETE on /Groups and of group membership (RFC 7643 §4.2)."""
