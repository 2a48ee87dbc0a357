"""Reference SCIM 2.0 service provider with switchable real-world deviations."""
