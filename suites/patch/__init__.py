"""Checks of PATCH on /Users and /Groups (RFC 7644 §3.5.2) in the shapes Okta and Entra send."""
