"""AIMusicClient: the one place in the app that speaks HTTP to the AI Music API (hosted or built-in).

Every API call goes through `_request`, which adds the Bearer key and an Idempotency-Key on POSTs, applies
the retry policy of `lib.retry`, keeps the last rate-limit headers and turns failures into `lib.errors`.
"""

from __future__ import annotations

import logging
import mimetypes
import os
import random
import re
import tempfile
import time
import uuid
from collections.abc import Callable
from functools import cached_property
from pathlib import Path
from typing import IO, Any
from urllib.parse import urljoin, urlsplit

import requests
import urllib3
from requests.adapters import HTTPAdapter

from lib.arguments import check_url, require_id, require_text
from lib.errors import (
    AIMusicAPIError,
    APIConnectionError,
    APITimeoutError,
    FileTooLargeError,
    RateLimitError,
    ServerError,
    error_from_response,
    task_failed_error,
)
from lib.models import Credits, RateLimit, Task
from lib.resources import Lyrics, Nuro, Producer, Riffusion, Suno, Webhooks
from lib.retry import AdapterRetry, RetryConfig, backoff_seconds, post_retry_wait
from lib.webhooks import verify_webhook_signature

__all__ = ["AIMusicClient", "RetryConfig", "mask_secret", "next_poll_delay", "verify_webhook_signature"]

DEFAULT_BASE_URL = "https://api.aimusicapi.ai"
DEFAULT_MAX_DOWNLOAD_BYTES = 200 * 1024 * 1024
DOWNLOAD_CONTENT_TYPES = ("audio/", "video/", "application/octet-stream")
MODELS = ("suno", "producer", "nuro")
USER_AGENT = "ai-music-studio/0.1"

UploadSource = str | os.PathLike | bytes | IO[bytes]

logger = logging.getLogger("lib.client")


class RedactSecretsFilter(logging.Filter):
    """Removes bearer tokens, API keys and signed-link tokens from log records before they are emitted."""

    PATTERNS = (
        (re.compile(r"(Bearer\s+)\S+", re.IGNORECASE), r"\1[REDACTED]"),
        (re.compile(r"sk_[A-Za-z0-9_\-]+"), "sk_[REDACTED]"),
        (re.compile(r"([?&](?:token|signature|sig|key|expires)=)[^&\s'\"]+", re.IGNORECASE), r"\1[REDACTED]"),
    )

    def filter(self, record: logging.LogRecord) -> bool:
        text = record.getMessage()
        for pattern, replacement in self.PATTERNS:
            text = pattern.sub(replacement, text)
        record.msg, record.args = text, ()
        return True


def _install_redaction() -> None:
    for name in ("lib.client", "urllib3.connectionpool"):
        target = logging.getLogger(name)
        if not any(isinstance(existing, RedactSecretsFilter) for existing in target.filters):
            target.addFilter(RedactSecretsFilter())


_install_redaction()


def mask_secret(secret: str) -> str:
    """All but the last four characters hidden (all of a short secret)."""
    return "****" + secret[-4:] if len(secret) >= 12 else "****"


def next_poll_delay(task: Task) -> float:
    """Seconds until the next look at a pending task: a quarter of the server's estimate of the time
    left, between 1 and 15 seconds; 2 seconds when the server gave no estimate."""
    hint = task.estimated_remaining if task.estimated_remaining is not None else task.estimated_time
    if hint is None:
        return 2.0
    return min(15.0, max(1.0, hint / 4))


def _level_of(response: requests.Response) -> int:
    """Successful calls are routine (DEBUG); refusals and failures are worth seeing (INFO)."""
    return logging.DEBUG if response.ok else logging.INFO


def _json_or_none(response: requests.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def _timed_out(exc: requests.RequestException) -> bool:
    """A read timeout, also when urllib3 retried a GET until it gave up (it then reports a MaxRetryError
    whose reason is the last ReadTimeoutError, which requests wraps as a ConnectionError)."""
    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    return isinstance(exc, requests.Timeout) or isinstance(reason, urllib3.exceptions.ReadTimeoutError)


def _read_upload(file: UploadSource, filename: str | None) -> tuple[str, bytes]:
    if isinstance(file, bytes | bytearray):
        data, name = bytes(file), filename or "upload.mp3"
    elif isinstance(file, str | os.PathLike):
        path = Path(file)
        if not path.is_file():
            raise ValueError(f"file {str(path)!r} does not exist: choose an audio file.")
        data, name = path.read_bytes(), filename or path.name
    elif hasattr(file, "read"):
        data, name = file.read(), filename or Path(getattr(file, "name", "") or "upload.mp3").name
    else:
        raise ValueError("file must be a path, bytes or a binary file object.")
    if not data:
        raise ValueError("file is empty: choose an audio file with sound in it.")
    return name, data


class AIMusicClient:
    """Client of the AI Music API. Not thread-safe (one per session, like `requests.Session`).

    `retry` sets how hard calls are retried (see `lib.retry`); `sleep` and `clock` are injectable so tests
    and callers never wait for real. A given `session` gets the client's retrying adapter mounted on it.
    """

    def __init__(
        self,
        api_key: str,
        base_url: str = DEFAULT_BASE_URL,
        timeout: float = 30.0,
        retry: RetryConfig | None = None,
        session: requests.Session | None = None,
        sleep: Callable[[float], Any] = time.sleep,
        *,
        clock: Callable[[], float] = time.monotonic,
        repeat_lost_posts: bool = False,
    ) -> None:
        """`repeat_lost_posts`: a POST whose answer was lost (timeout, reset, cut answer) or that failed
        with a 5xx is sent again with the same Idempotency-Key, which only a server that keeps successful
        answers per key makes safe (the built-in one does; the reference says nothing of it: off by default)."""
        if not isinstance(api_key, str) or not api_key.strip() or any(ch.isspace() for ch in api_key):
            raise ValueError("api_key is empty or has spaces in it: paste your key from the dashboard.")
        check_url("base_url", base_url)
        if timeout <= 0:
            raise ValueError(f"timeout must be more than 0 seconds; got {timeout!r}.")
        self._api_key = api_key
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.retry = retry or RetryConfig()
        self._sleep = sleep
        self._clock = clock
        self.repeat_lost_posts = repeat_lost_posts
        self._rate_limit: RateLimit | None = None
        self._session = session or requests.Session()
        self._mount_retrying_adapter()

    def _mount_retrying_adapter(self) -> None:
        adapter = HTTPAdapter(max_retries=AdapterRetry.for_gets(self.retry, self._sleep))
        for prefix in ("http://", "https://"):
            self._session.mount(prefix, adapter)

    def __repr__(self) -> str:
        return f"AIMusicClient(base_url={self.base_url!r}, api_key={mask_secret(self._api_key)!r})"

    def __enter__(self) -> AIMusicClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self._session.close()

    # Resource groups, named like the API's own tree.
    @cached_property
    def suno(self) -> Suno:
        return Suno(self)

    @cached_property
    def producer(self) -> Producer:
        return Producer(self)

    @cached_property
    def nuro(self) -> Nuro:
        return Nuro(self)

    @cached_property
    def lyrics(self) -> Lyrics:
        return Lyrics(self)

    @cached_property
    def riffusion(self) -> Riffusion:
        return Riffusion(self)

    @cached_property
    def webhooks(self) -> Webhooks:
        return Webhooks(self)

    def resource(self, model: str) -> Suno | Producer | Nuro:
        """The resource group whose get-music polls a task of `model` ("suno", "producer" or "nuro")."""
        if model not in MODELS:
            raise ValueError(f"model {model!r} is not one of: {', '.join(MODELS)}.")
        return getattr(self, model)

    @property
    def rate_limit(self) -> RateLimit | None:
        """The X-RateLimit-* headers of the last API answer, or None before the first one."""
        return self._rate_limit

    def get_credits(self) -> Credits:
        return Credits.from_dict(self._request("GET", "/v1/credits"))

    # The network.
    def _send(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        path = urlsplit(url).path
        try:
            return self._session.request(method, url, timeout=self.timeout, **kwargs)
        except requests.ConnectTimeout as exc:
            raise self._unreachable(url) from exc
        except requests.RequestException as exc:
            if not _timed_out(exc):
                raise self._unreachable(url) from exc
            logger.warning("%s %s -> no answer in %s s", method, path, self.timeout)
            after = (
                "the request may still have started a task: look at your tasks before sending it again."
                if method == "POST"
                else "try again in a moment."
            )
            message = f"The music service did not answer within {self.timeout:g} seconds: {after}"
            raise APITimeoutError(None, "timeout", message) from exc

    def _unreachable(self, url: str) -> APIConnectionError:
        logger.warning("%s -> unreachable", urlsplit(url).path)
        host = urlsplit(url).netloc
        message = (
            f"Could not reach the music service at {host}: check your connection and the server address."
        )
        return APIConnectionError(None, "connection_error", message)

    def _request(
        self,
        method: str,
        path: str,
        *,
        json: dict[str, Any] | None = None,
        params: dict[str, Any] | None = None,
        files: dict[str, Any] | None = None,
    ) -> Any:
        """Send one logical API call and return its JSON. A POST keeps one Idempotency-Key across retries,
        and is repeated only when the answer proves nothing was done (see `lib.retry`)."""
        headers = {
            "Authorization": f"Bearer {self._api_key}",
            "Accept": "application/json",
            "User-Agent": USER_AGENT,
        }
        if method == "POST":
            headers["Idempotency-Key"] = str(uuid.uuid4())
        retry_number = 0
        while True:
            try:
                response = self._send(
                    method, self.base_url + path, headers=headers, json=json, params=params, files=files
                )
                self._rate_limit = RateLimit.from_headers(response.headers) or self._rate_limit
                logger.log(_level_of(response), "%s %s -> %s", method, path, response.status_code)
                if response.ok:
                    return self._json_answer(response)
            except (APIConnectionError, ServerError) as lost:
                if not self._may_repeat_lost(method, lost, retry_number):
                    raise
                retry_number += 1
                wait = backoff_seconds(retry_number, self.retry, random.random())
                logger.info("%s %s: answer lost, repeat %d (same key)", method, path, retry_number)
                self._sleep(wait)
                continue
            retry_number += 1
            wait = None
            if method == "POST":
                wait = post_retry_wait(
                    response.status_code,
                    response.headers,
                    retry_number,
                    self.retry,
                    time.time(),
                    random.random(),
                )
                if wait is None and self._may_repeat_failed(response.status_code, retry_number):
                    wait = backoff_seconds(retry_number, self.retry, random.random())
            if wait is None:
                raise error_from_response(response.status_code, _json_or_none(response), response.headers)
            logger.info("%s %s: retry %d in %.1f s", method, path, retry_number, wait)
            self._sleep(wait)

    def _may_repeat_lost(self, method: str, lost: Exception, retry_number: int) -> bool:
        """A POST whose answer never arrived whole, when repeating it with its key is known to be safe."""
        lost = isinstance(lost, APIConnectionError) or getattr(lost, "code", None) == "invalid_response"
        return method == "POST" and self.repeat_lost_posts and lost and retry_number < self.retry.max_retries

    def _may_repeat_failed(self, status: int, retry_number: int) -> bool:
        """A POST that failed on the server (5xx): with a server that keeps successful answers per
        Idempotency-Key, repeating it replays a success or does the work once."""
        return self.repeat_lost_posts and status >= 500 and retry_number <= self.retry.max_retries

    @staticmethod
    def _json_answer(response: requests.Response) -> Any:
        data = _json_or_none(response)
        if data is None:
            message = (
                f"The music service sent an answer this app cannot read (HTTP {response.status_code}): "
                "check the server address."
            )
            raise ServerError(response.status_code, "invalid_response", message)
        return data

    def _upload(self, path: str, file: UploadSource, filename: str | None) -> Any:
        name, data = _read_upload(file, filename)
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        return self._request("POST", path, files={"file": (name, data, content_type)})

    # Helpers for scripts, tests and the app.
    def download(
        self,
        url: str,
        dest: str | os.PathLike | None = None,
        *,
        max_bytes: int = DEFAULT_MAX_DOWNLOAD_BYTES,
        allowed_types: tuple[str, ...] = DOWNLOAD_CONTENT_TYPES,
    ) -> bytes | Path:
        """Stream a file link (absolute, or a path on the server): its bytes, or written to `dest` and its
        Path returned. Stops with FileTooLargeError past `max_bytes`, before reading the rest."""
        require_text("url", url)
        if max_bytes <= 0:
            raise ValueError(f"max_bytes must be more than 0; got {max_bytes!r}.")
        full_url = urljoin(self.base_url + "/", url) if url.startswith("/") else url
        check_url("url", full_url)
        path = urlsplit(full_url).path
        response = self._send("GET", full_url, headers={"User-Agent": USER_AGENT}, stream=True)
        with response:
            logger.log(_level_of(response), "GET %s -> %s", path, response.status_code)
            if not response.ok:
                raise error_from_response(response.status_code, _json_or_none(response), response.headers)
            self._check_download_headers(response, max_bytes, allowed_types)
            chunks = self._capped_chunks(response, max_bytes)
            if dest is None:
                return b"".join(chunks)
            return self._write_atomically(Path(dest), chunks)

    @staticmethod
    def _check_download_headers(
        response: requests.Response, max_bytes: int, allowed_types: tuple[str, ...]
    ) -> None:
        content_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if content_type and not content_type.startswith(allowed_types):
            message = (
                f"The link returned {content_type}, not a media file: open the task again for a fresh link."
            )
            raise AIMusicAPIError(response.status_code, "unexpected_content_type", message)
        length = response.headers.get("Content-Length", "")
        if length.isdigit() and int(length) > max_bytes:
            raise _too_large(max_bytes)

    @staticmethod
    def _capped_chunks(response: requests.Response, max_bytes: int):
        received = 0
        try:
            for chunk in response.iter_content(chunk_size=64 * 1024):
                received += len(chunk)
                if received > max_bytes:
                    raise _too_large(max_bytes)
                yield chunk
        except requests.RequestException as exc:
            message = "The download was cut off before the end: try again in a moment."
            raise APIConnectionError(None, "connection_error", message) from exc

    @staticmethod
    def _write_atomically(dest: Path, chunks) -> Path:
        dest.parent.mkdir(parents=True, exist_ok=True)
        descriptor, partial = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.")
        try:
            with os.fdopen(descriptor, "wb") as handle:
                for chunk in chunks:
                    handle.write(chunk)
            os.replace(partial, dest)
        except BaseException:
            Path(partial).unlink(missing_ok=True)
            raise
        return dest

    def wait_for_task(
        self,
        task_id: str,
        model: str = "suno",
        *,
        timeout: float = 600.0,
        on_progress: Callable[[Task], Any] | None = None,
    ) -> Task:
        """Poll until the task completes and return it; raise TaskFailedError if it fails and
        APITimeoutError after `timeout` seconds. Waits between polls follow `next_poll_delay`;
        a rate-limit answer waits as long as the server asks."""
        resource = self.resource(model)
        require_id("task_id", task_id)
        if timeout <= 0:
            raise ValueError(f"timeout must be more than 0 seconds; got {timeout!r}.")
        deadline = self._clock() + timeout
        while True:
            try:
                task = resource.get_music(task_id)
            except RateLimitError as exc:
                delay = float(exc.retry_after or 2.0)
            else:
                if on_progress is not None:
                    on_progress(task)
                if task.status == "completed":
                    return task
                if task.status == "failed":
                    raise task_failed_error(task)
                delay = next_poll_delay(task)
            remaining = deadline - self._clock()
            if remaining <= 0:
                message = (
                    f"The task {task_id} did not finish within {timeout:g} seconds: "
                    "it may still be running, so look at it again later."
                )
                raise APITimeoutError(None, "task_timeout", message)
            self._sleep(min(delay, remaining))


def _too_large(max_bytes: int) -> FileTooLargeError:
    message = (
        f"The file is larger than the {max_bytes / 1_000_000:g} MB this app accepts: it was not downloaded."
    )
    return FileTooLargeError(None, "file_too_large", message, {"max_bytes": max_bytes})
