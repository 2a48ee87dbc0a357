"""Checks of bulk operations, POST /Bulk (RFC 7644 §3.7), where bulk.supported is true."""
