"""Checks of resource versioning with ETags, If-Match and If-None-Match (RFC 7644 §3.14)."""
