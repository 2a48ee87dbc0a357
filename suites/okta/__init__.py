"""Okta checks (OKTA-*): Okta's own flows replayed through the recording client.

Their levels are Okta's, not the RFC's ("Required" is MUST, "Optional" is MAY): these checks
decide Okta readiness and never the RFC conformance verdict (suites.levels.basis_of). Where
Okta asks for more than the RFC (a non-empty detail, a deactivated user kept readable, its
rename body accepted), the docstring says both.
"""
