"""Exceptions of the AI Music API client: one class per kind of failure, built from status + error.code.

`str(error)` is a sentence a person can act on; `repr(error)` shows the class, status and code for logs.
"""

from __future__ import annotations

from typing import Any


class AIMusicAPIError(Exception):
    """Base class: the API (or the way to it) did not do what was asked."""

    def __init__(
        self,
        status: int | None = None,
        code: str | None = None,
        message: str = "",
        details: dict[str, Any] | None = None,
    ) -> None:
        self.status = status
        self.code = code
        self.message = message or "The music service could not complete the request."
        self.details = dict(details or {})
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"{type(self).__name__}(status={self.status!r}, code={self.code!r})"


class ValidationError(AIMusicAPIError):
    """400: the request's parameters were not accepted."""


class AuthenticationError(AIMusicAPIError):
    """401: the API key is missing or was rejected."""


class InsufficientCreditsError(AIMusicAPIError):
    """402: the account has fewer credits than the call costs."""

    @property
    def required(self) -> int | None:
        return self.details.get("required")

    @property
    def available(self) -> int | None:
        return self.details.get("available")


class NotFoundError(AIMusicAPIError):
    """404: the task, clip, persona or file does not exist (for this key)."""


class ConflictError(AIMusicAPIError):
    """409: an Idempotency-Key was reused with a different request body."""


class LinkExpiredError(AIMusicAPIError):
    """410: a signed file link is past its expiry."""


class FileTooLargeError(AIMusicAPIError):
    """413, or a download stopped by the client's size cap."""

    @property
    def max_bytes(self) -> int | None:
        return self.details.get("max_bytes")


class RateLimitError(AIMusicAPIError):
    """429: too many requests this minute."""

    def __init__(self, *args: Any, headers: dict[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        headers = headers or {}
        self.retry_after = _first_number(headers.get("Retry-After"), self.details.get("retry_after"))
        self.limit = _first_number(headers.get("X-RateLimit-Limit"), self.details.get("limit"))
        self.remaining = _first_number(headers.get("X-RateLimit-Remaining"))
        self.reset = _first_number(headers.get("X-RateLimit-Reset"))


class ConcurrencyLimitError(RateLimitError):
    """429 concurrent_task_limit: too many of this key's tasks are still running."""


class ServerError(AIMusicAPIError):
    """5xx: the service failed or is temporarily unavailable."""


class APIConnectionError(AIMusicAPIError):
    """The service could not be reached (no HTTP answer)."""


class APITimeoutError(APIConnectionError):
    """No answer in time: the request may or may not have been carried out."""


class TaskFailedError(AIMusicAPIError):
    """A task finished with status "failed"; `task` is the parsed Task when known."""

    def __init__(self, *args: Any, task: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.task = task


_BY_STATUS: dict[int, type[AIMusicAPIError]] = {
    400: ValidationError,
    401: AuthenticationError,
    402: InsufficientCreditsError,
    404: NotFoundError,
    409: ConflictError,
    410: LinkExpiredError,
    413: FileTooLargeError,
    422: ValidationError,
    429: RateLimitError,
}


def _first_number(*values: Any) -> int | None:
    for value in values:
        try:
            if value is not None and value != "":
                return int(float(value))
        except (TypeError, ValueError):
            continue
    return None


def _plural(count: int | None, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _sentence(cls: type[AIMusicAPIError], status: int, message: str, details: dict[str, Any]) -> str:
    """The sentence shown to a person, from what the server said."""
    if cls is AuthenticationError:
        return "Your API key was rejected: check it in the sidebar."
    if cls is InsufficientCreditsError:
        required, available = _first_number(details.get("required")), _first_number(details.get("available"))
        if required is not None and available is not None:
            return f"This needs {_plural(required, 'credit')} and you have {available}."
        return "You do not have enough credits for this: top up or choose a cheaper option."
    if cls is ValidationError:
        field, issue = details.get("field"), details.get("issue") or message
        where = f" (field '{field}')" if field else ""
        return f"The request was not accepted{where}: {issue or 'check the values and try again.'}"
    if cls is NotFoundError:
        resource, ident = details.get("resource") or "item", details.get("id")
        named = f" {ident}" if ident else ""
        return f"The {resource}{named} was not found: it may have been deleted or belong to another key."
    if cls is ConflictError:
        return "This request repeats an earlier one with different content: send it again as a new request."
    if cls is LinkExpiredError:
        return "This download link has expired: open the task again to get a fresh link."
    if cls is FileTooLargeError:
        limit = _first_number(details.get("max_bytes"))
        if limit:
            return f"The file is too large: the limit is {limit / 1_000_000:g} MB."
        return "The file is too large: choose a smaller one."
    if status == 503:
        return "The music service is temporarily unavailable: try again in a moment."
    return f"The music service had a problem (HTTP {status}): try again in a moment."


def _rate_limit_sentence(error: RateLimitError) -> str:
    wait = f"in {_plural(error.retry_after, 'second')}" if error.retry_after is not None else "in a minute"
    if isinstance(error, ConcurrencyLimitError):
        return f"Too many of your tasks are still running: wait for one to finish, or try again {wait}."
    return f"Too many requests: try again {wait}."


def error_from_response(status: int, body: Any, headers: dict[str, str] | None = None) -> AIMusicAPIError:
    """Build the exception for a non-2xx answer from its status, JSON body and headers."""
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        error = {}
    code = error.get("code")
    message = str(error.get("message") or "")
    details = error.get("details") if isinstance(error.get("details"), dict) else {}
    if status == 429:
        cls: type[RateLimitError] = (
            ConcurrencyLimitError if code == "concurrent_task_limit" else RateLimitError
        )
        limited = cls(status, code, message, details, headers=dict(headers or {}))
        limited.message = _rate_limit_sentence(limited)
        return limited
    error_class = _BY_STATUS.get(status, ServerError if status >= 500 else AIMusicAPIError)
    return error_class(status, code, _sentence(error_class, status, message, details), details)


def task_failed_error(task: Any) -> TaskFailedError:
    """The exception for a task whose status is "failed"."""
    info = getattr(task, "error", None)
    code = getattr(info, "code", None) or "generation_failed"
    reason = getattr(info, "message", "") or "the service gave no reason"
    details = getattr(info, "details", None) or {}
    message = f"The task {task.task_id} failed: {reason.rstrip('.')}. Try again, perhaps with other settings."
    return TaskFailedError(None, code, message, details, task=task)
