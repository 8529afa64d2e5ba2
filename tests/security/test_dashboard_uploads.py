"""Issue 13 finding 8: uploads were read before the login check and without a size limit.

The attacker is anyone on the internet who can reach the dashboard: they post a large body
to the import form without being logged in (the server would spool it to disk before
refusing), or a logged-in coordinator posts a file far larger than any directory.
"""

from __future__ import annotations

from datetime import timedelta

from dashboard_app import clock_fixture, context_fixture  # noqa: F401 - fixtures
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from web.dashboard_helpers import csrf_of, login

from bot.audit.models import AuditEvent
from bot.staff import service as staff
from bot.web.app import create_app
from bot.web.deps import SESSION_COOKIE

BOUNDARY = "steunwijzer-test-boundary"


def _multipart_chunks(file_bytes: int, csrf: str = "x", chunk: int = 64 * 1024) -> list[bytes]:
    head = (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n"
            f"{csrf}\r\n--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; "
            f"filename=\"big.csv\"\r\nContent-Type: text/csv\r\n\r\n").encode()
    body = head + b"a" * file_bytes + f"\r\n--{BOUNDARY}--\r\n".encode()
    return [body[i:i + chunk] for i in range(0, len(body), chunk)]


async def _call(app, chunks: list[bytes], *, cookie: str | None = None,
                declare_length: bool = True) -> tuple[int, dict[bytes, bytes], bytes, int]:
    """POST ``chunks`` to /directory/import through the ASGI interface.

    Returns status, headers, body and how many chunks the application took.
    """
    taken = 0

    async def receive() -> dict:
        nonlocal taken
        if taken >= len(chunks):
            return {"type": "http.disconnect"}
        taken += 1
        return {"type": "http.request", "body": chunks[taken - 1],
                "more_body": taken < len(chunks)}

    sent: list[dict] = []

    async def send(message: dict) -> None:
        sent.append(message)

    headers = [(b"host", b"127.0.0.1"),
               (b"content-type", f"multipart/form-data; boundary={BOUNDARY}".encode())]
    if declare_length:
        headers.append((b"content-length", str(sum(map(len, chunks))).encode()))
    if cookie:
        headers.append((b"cookie", f"{SESSION_COOKIE}={cookie}".encode()))
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
             "scheme": "http", "path": "/directory/import", "raw_path": b"/directory/import",
             "query_string": b"", "root_path": "", "headers": headers,
             "client": ("203.0.113.9", 40000), "server": ("127.0.0.1", 80)}
    await app(scope, receive, send)
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], dict(start["headers"]), body, taken


async def test_an_upload_without_login_is_refused_before_its_body_is_read(context) -> None:
    chunks = _multipart_chunks(2 * 1024 * 1024)
    status, headers, _body, taken = await _call(create_app(context), chunks)
    assert status == 303 and headers[b"location"] == b"/login"
    assert taken == 0  # not a byte of the upload was read


async def test_a_chunked_upload_over_the_limit_is_cut_off_with_413(context) -> None:
    context.settings.web_max_upload_mb = 1
    with context.database.session() as session:
        token, _row = staff.start_session(session, staff.get_user(session, "tilburg"),
                                          now=context.clock(), lifetime=timedelta(hours=1))
    chunks = _multipart_chunks(3 * 1024 * 1024)
    # No Content-Length (chunked transfer): the limit holds while the body streams in.
    status, _headers, body, taken = await _call(create_app(context), chunks, cookie=token,
                                                declare_length=False)
    assert status == 413
    assert "1 MB" in body.decode()
    assert taken < len(chunks)  # it stopped reading soon after the limit


def test_a_file_over_the_limit_gets_a_clear_413_page_and_changes_nothing(context) -> None:
    context.settings.web_max_upload_mb = 1
    with TestClient(create_app(context), base_url="http://127.0.0.1") as client:
        login(client, "tilburg")
        csrf = csrf_of(client.get("/directory/import").text)
        response = client.post("/directory/import", data={"csrf_token": csrf},
                               files={"file": ("big.csv", b"a" * (1024 * 1024 + 1), "text/csv")})
        assert response.status_code == 413
        assert "Dit is te groot" in response.text and "1 MB" in response.text
        with context.database.session() as session:
            imports = session.scalar(select(func.count()).select_from(AuditEvent)
                                     .where(AuditEvent.action.like("directory.import%")))
        assert imports == 0
        # A file under the limit is read as before (and refused for its content).
        small = client.post("/directory/import", data={"csrf_token": csrf},
                            files={"file": ("small.csv", b"not,a,directory\n", "text/csv")})
        assert small.status_code == 422


def test_the_login_form_is_limited_too(context) -> None:
    context.settings.web_max_upload_mb = 0.01
    with TestClient(create_app(context), base_url="http://127.0.0.1") as client:
        csrf = csrf_of(client.get("/login").text)
        response = client.post("/login", data={"csrf_token": csrf, "username": "tilburg",
                                                "password": "x" * 20_000})
        assert response.status_code == 413
