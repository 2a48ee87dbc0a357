"""The simulated Okta org in SQLite: people, groups, apps, assignments, push mappings, tasks, log.

OrgStore is one class made of a mixin per group of tables: store_db.py holds the file, its
schema and the shared connection; store_people.py, store_apps.py and store_log.py the tables;
store_records.py the records they read and write.
"""

from __future__ import annotations

from simulator.okta.store_apps import AppTables
from simulator.okta.store_db import OrgFileError, now, parse_stamp, stamp
from simulator.okta.store_log import LogTables
from simulator.okta.store_people import PeopleTables
from simulator.okta.store_records import (
    AppGroupRec,
    AppRec,
    AppUserRec,
    GroupRec,
    LogRec,
    PasswordRec,
    PushRec,
    TaskRec,
    UserRec,
)

__all__ = [
    "AppGroupRec",
    "AppRec",
    "AppUserRec",
    "GroupRec",
    "LogRec",
    "OrgFileError",
    "OrgStore",
    "PasswordRec",
    "PushRec",
    "TaskRec",
    "UserRec",
    "now",
    "parse_stamp",
    "stamp",
]


class OrgStore(PeopleTables, AppTables, LogTables):
    """Org state; every method is atomic, and `transaction()` groups several."""
