"""Checks of POST, GET, PUT and DELETE on /Users."""
