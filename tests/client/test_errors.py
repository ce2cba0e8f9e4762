"""Every status of the error table maps to its exception, with its fields and a sentence a person can act on."""

from __future__ import annotations

import pytest

from lib import errors
from tests.client.conftest import BASE_URL


def _error(code, message="", **details):
    return {"error": {"code": code, "message": message, "details": details}}


CASES = [
    (
        400,
        _error("validation_error", "Invalid", field="duration", issue="Duration must be between 10 and 240"),
        errors.ValidationError,
        "The request was not accepted (field 'duration'): Duration must be between 10 and 240",
    ),
    (
        401,
        _error("invalid_api_key", "bad key"),
        errors.AuthenticationError,
        "Your API key was rejected: check it in the sidebar.",
    ),
    (
        402,
        _error("insufficient_credits", "no", required=10, available=5),
        errors.InsufficientCreditsError,
        "This needs 10 credits and you have 5.",
    ),
    (
        404,
        _error("not_found", "", resource="task", id="task_9"),
        errors.NotFoundError,
        "The task task_9 was not found",
    ),
    (409, _error("idempotency_conflict"), errors.ConflictError, "different content"),
    (410, _error("link_expired"), errors.LinkExpiredError, "This download link has expired"),
    (413, _error("file_too_large", max_bytes=50_000_000), errors.FileTooLargeError, "the limit is 50 MB"),
    (
        429,
        _error("rate_limit_exceeded", limit=10, retry_after=12),
        errors.RateLimitError,
        "Too many requests: try again in 12 seconds.",
    ),
    (
        429,
        _error("concurrent_task_limit", limit=2, retry_after=5),
        errors.ConcurrencyLimitError,
        "Too many of your tasks are still running",
    ),
    (500, _error("internal_error"), errors.ServerError, "had a problem (HTTP 500)"),
    (503, _error("service_unavailable"), errors.ServerError, "temporarily unavailable"),
    (502, "<html>bad gateway</html>", errors.ServerError, "HTTP 502"),
]


@pytest.mark.parametrize(
    ("status", "answer", "error_class", "sentence"), CASES, ids=[f"{c[0]}-{c[2].__name__}" for c in CASES]
)
def test_error_statuses_map_to_exceptions(client, mocked, status, answer, error_class, sentence):
    if isinstance(answer, dict):
        mocked.add("POST", f"{BASE_URL}/v1/suno/wav", json=answer, status=status)
    else:
        mocked.add("POST", f"{BASE_URL}/v1/suno/wav", body=answer, status=status)
    with pytest.raises(error_class) as caught:
        client.suno.wav("clip_1")
    error = caught.value
    assert type(error) is error_class
    assert isinstance(error, errors.AIMusicAPIError)
    assert error.status == status
    assert sentence in str(error)
    assert repr(error).startswith(f"{error_class.__name__}(status={status}")
    if isinstance(answer, dict):
        assert error.code == answer["error"]["code"]
        assert error.details == answer["error"]["details"]


def test_insufficient_credits_carries_required_and_available():
    error = errors.error_from_response(402, _error("insufficient_credits", required=50, available=12))
    assert (error.required, error.available) == (50, 12)
    assert str(error) == "This needs 50 credits and you have 12."


def test_rate_limit_fields_come_from_headers_and_details():
    headers = {
        "Retry-After": "12",
        "X-RateLimit-Limit": "10",
        "X-RateLimit-Remaining": "0",
        "X-RateLimit-Reset": "1699200000",
    }
    error = errors.error_from_response(429, _error("rate_limit_exceeded", limit=10, retry_after=12), headers)
    assert (error.retry_after, error.limit, error.remaining, error.reset) == (12, 10, 0, 1699200000)
    only_details = errors.error_from_response(429, _error("rate_limit_exceeded", limit=30, retry_after=7))
    assert (only_details.retry_after, only_details.limit, only_details.remaining) == (7, 30, None)


def test_failed_task_becomes_task_failed_error():
    from lib.models import Task

    task = Task.from_dict(
        {
            "task_id": "task_f",
            "status": "failed",
            "error": {"code": "generation_failed", "message": "The renderer crashed."},
        }
    )
    error = errors.task_failed_error(task)
    assert isinstance(error, errors.TaskFailedError)
    assert error.code == "generation_failed" and error.task is task
    assert str(error).startswith("The task task_f failed: The renderer crashed.")
