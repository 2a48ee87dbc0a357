"""scimcert: SCIM 2.0 conformance harness, reference provider and Okta simulator."""

__version__ = "0.1.0"
