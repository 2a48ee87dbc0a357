"""Checks of the attributes and excludedAttributes parameters on reads, lists and writes."""
