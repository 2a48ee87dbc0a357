pytest_plugins = ["suites.plugin"]
