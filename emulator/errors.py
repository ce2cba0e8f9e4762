"""The error format of the API: ``{"error": {"code", "message", "details"}}`` with the status of the table."""

from __future__ import annotations


class APIError(Exception):
    """An error answer. Raise it anywhere below a route; the app turns it into the JSON error format."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        details: dict | None = None,
        headers: dict[str, str] | None = None,
    ):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details or {}
        self.headers = headers or {}

    def body(self) -> dict:
        return error_body(self.code, self.message, self.details)


def error_body(code: str, message: str, details: dict | None = None) -> dict:
    return {"error": {"code": code, "message": message, "details": details or {}}}


def validation_error(field: str, issue: str) -> APIError:
    return APIError(400, "validation_error", issue, {"field": field, "issue": issue})


def not_found(resource: str, id_: str, hint: str = "") -> APIError:
    message = f"No {resource} with id {id_!r} exists for this API key."
    return APIError(404, "not_found", f"{message} {hint}".strip(), {"resource": resource, "id": id_})


def invalid_api_key(message: str) -> APIError:
    return APIError(401, "invalid_api_key", message)


def insufficient_credits(required: int, available: int) -> APIError:
    return APIError(
        402,
        "insufficient_credits",
        f"This call costs {required} credits but only {available} are available.",
        {"required": required, "available": available},
    )


def file_too_large(max_bytes: int) -> APIError:
    size = f"{max_bytes / (1024 * 1024):g} MB" if max_bytes >= 1024 * 1024 else f"{max_bytes} bytes"
    return APIError(
        413,
        "file_too_large",
        f"The file is larger than {size}, the most the server takes.",
        {"max_bytes": max_bytes},
    )
