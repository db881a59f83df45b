"""Errors the library raises; only the CLI turns them into messages and exit codes."""


def first_line(exc: BaseException) -> str:
    """An exception as one line for the user: its message's first line, else its type's name."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


class QAError(Exception):
    """Base class: a problem the user can fix, described in one line."""


class CorpusError(QAError):
    """The corpus folder is missing, empty, or has nothing readable."""


class IndexError_(QAError):
    """The index directory is missing, damaged, or built differently from what was asked."""


class IndexBusyError(QAError):
    """Another process holds the index lock for longer than we were willing to wait."""


class ModelError(QAError):
    """The embedding model or the answer reader could not be loaded."""


class QuestionError(QAError):
    """The question is empty or unusable."""
