"""The one place where transactions open. Every state change of certprep goes through here.

One module per area (content, accounts, exams, ...); each function takes the application object
and explicit ``now`` (and ``rng`` where chance is involved) and opens its own transaction.
"""

from certprep.services.accounts import (
    AccountError,
    InvalidCredentials,
    NotFound,
    SessionInfo,
    TooManyAttempts,
    User,
    UsernameTaken,
    authenticate,
    create_user,
    end_session,
    get_user_report,
    list_problem_reports,
    list_user_reports,
    list_users,
    read_session,
    report_problem,
    resolve_problem_report,
    start_session,
    touch_session,
)
from certprep.services.content import local_user, sync_content

__all__ = [
    "AccountError",
    "InvalidCredentials",
    "NotFound",
    "SessionInfo",
    "TooManyAttempts",
    "User",
    "UsernameTaken",
    "authenticate",
    "create_user",
    "end_session",
    "get_user_report",
    "list_problem_reports",
    "list_user_reports",
    "list_users",
    "local_user",
    "read_session",
    "report_problem",
    "resolve_problem_report",
    "start_session",
    "sync_content",
    "touch_session",
]
