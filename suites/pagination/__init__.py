"""Checks of paged list responses: startIndex, count, the counters and a stable order."""
