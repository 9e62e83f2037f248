"""Errors the user can act on. The CLI prints them on one line and exits with status 2."""


class QualcodeError(Exception):
    """A problem with the user's input or project, explained in one line."""


class NotFound(QualcodeError):
    """A named document, code, coder or coding does not exist."""


def first_line(exc: BaseException) -> str:
    """One line saying what went wrong (a database error's own message, not its wrapping;
    what another user's work did, when that is the cause: :func:`concurrent_problem`)."""
    known = concurrent_problem(exc)
    if known is not None:
        return known
    orig = getattr(exc, "orig", None) or exc
    lines = str(orig).strip().splitlines()
    return lines[0] if lines else type(orig).__name__


BUSY = (
    "the project is busy with another writer (an import, a merge or another coder's long "
    "change) and stayed busy past the wait; nothing was changed: try again when it has finished"
)
GONE = (
    "something this change refers to was deleted or merged away by someone else meanwhile "
    "(e.g. the code was merged into another); nothing was changed: reload and try again"
)


def concurrent_problem(exc: BaseException) -> str | None:
    """What another user's work did to this change, in one line, when a database error says
    so: SQLite's write lock held past the busy timeout, or a row that another transaction
    deleted meanwhile (a foreign-key violation: the code of a new coding merged away). None
    for any other error. Read from the driver's error, so no floor needs SQLAlchemy."""
    orig = getattr(exc, "orig", None) or exc
    text = str(orig).strip().lower()
    name = type(orig).__name__
    if name == "OperationalError" and ("database is locked" in text or "database is busy" in text):
        return BUSY
    if name == "ForeignKeyViolation" or "foreign key constraint failed" in text:
        return GONE
    return None
