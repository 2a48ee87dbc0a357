"""Checks of cursor-based pagination (RFC 9865): nextCursor, previousCursor, forged cursors, limits."""
