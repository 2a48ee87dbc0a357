"""A minimal Django project serving django-scim2 (PyPI): a SCIM server nobody here wrote.

`python -m tests.suites.django_target PORT TOKEN DB` migrates a fresh SQLite file, creates the
service account the bearer token maps to, and serves /scim/v2 on 127.0.0.1:PORT.
"""

SERVICE_ACCOUNT = "scim-service"  # the user the bearer token authenticates as
