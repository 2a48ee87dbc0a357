"""SCIM logic shared by the provider, the Okta simulator and the suites."""
