"""Okta checks (OKTA-*): Okta's own flows replayed through the recording client."""
