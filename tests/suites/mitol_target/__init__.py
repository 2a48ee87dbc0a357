"""A minimal Django project serving mitol-django-scim (PyPI): a SCIM server nobody here wrote.

mitol-django-scim is MIT Open Learning's SCIM adapter, filter parser, views and /Bulk on top of
django-scim2. `python -m tests.suites.mitol_target PORT TOKEN DB` creates the tables in a fresh
SQLite file, creates the staff service account the bearer token maps to (the package admits only
active staff, and leaves authentication to the project: MIT Learn uses django-oauth-toolkit
tokens), and serves the package's own URLs (/scim/v2/...) on 127.0.0.1:PORT.
"""

SERVICE_ACCOUNT = "scim-service"  # the staff user the bearer token authenticates as
