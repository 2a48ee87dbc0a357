"""Checks that credentials are enforced, passwords stay secret and hostile input is refused."""
