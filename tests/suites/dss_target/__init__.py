"""A minimal Django project serving django-scim2-server (PyPI): a SCIM server nobody here wrote.

django-scim2-server (Bruno Alla, on scim2-models) is not django-scim2: it maps SCIM Users and
Groups onto Django's own auth.User and auth.Group through its default adapters. `python -m
tests.suites.dss_target PORT TOKEN DB` migrates a fresh SQLite file, creates the superuser the
bearer token maps to (the package's default access check admits superusers only), and serves
/scim/v2 on 127.0.0.1:PORT.
"""

SERVICE_ACCOUNT = "scim-admin"  # the superuser the bearer token authenticates as
