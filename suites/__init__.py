"""Conformance suites for SCIM 2.0 service providers (RFC 7643/7644 and Okta)."""
