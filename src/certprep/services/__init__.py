"""The one place where transactions open. Every state change of certprep goes through here.

One module per area (content, accounts, sessions, reports, exams, ...); each function takes the application object
and explicit ``now`` (and ``rng`` where chance is involved) and opens its own transaction.
"""

from certprep.services.accounts import (
    AccountError,
    InvalidCredentials,
    TooManyAttempts,
    User,
    UsernameTaken,
    authenticate,
    create_user,
    list_users,
)
from certprep.services.content import local_user, sync_content
from certprep.services.errors import NotFound
from certprep.services.reports import (
    ProblemReport,
    get_user_report,
    list_problem_reports,
    list_user_reports,
    report_problem,
    resolve_problem_report,
)
from certprep.services.sessions import SessionInfo, end_session, read_session, start_session, touch_session

__all__ = [
    "AccountError",
    "InvalidCredentials",
    "NotFound",
    "ProblemReport",
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
