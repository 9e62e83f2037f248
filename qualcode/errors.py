"""Errors the user can act on. The CLI prints them on one line and exits with status 2."""


class QualcodeError(Exception):
    """A problem with the user's input or project, explained in one line."""


class NotFound(QualcodeError):
    """A named document, code, coder or coding does not exist."""


def first_line(exc: BaseException) -> str:
    """One line saying what went wrong (a database error's own message, not its wrapping)."""
    orig = getattr(exc, "orig", None) or exc
    lines = str(orig).strip().splitlines()
    return lines[0] if lines else type(orig).__name__
