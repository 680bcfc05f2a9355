"""Form and multipart bodies, file and text answers, cookies: client and server."""

from __future__ import annotations

import urllib.parse
from typing import Any

import httpx
import pytest
from bodies import BodiesClient
from bodies.models import LogInRequest, LogInResponse, UploadFileRequest, UploadFileResponse
from bodies.server import Handlers, create_app
from test_server import served


def recording(response: httpx.Response) -> tuple[BodiesClient, list[httpx.Request]]:
    seen: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return response

    return BodiesClient(http_client=httpx.Client(transport=httpx.MockTransport(handle))), seen


def test_a_form_body_is_urlencoded_with_lists_repeated() -> None:
    client, seen = recording(httpx.Response(200, json={"session": "s1"}))
    answer = client.log_in(body=LogInRequest(username="ann", password="p&ss", scopes=["read", "write"]))
    assert answer == LogInResponse(session="s1")
    request = seen[0]
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert urllib.parse.parse_qsl(request.content.decode()) == [
        ("username", "ann"),
        ("password", "p&ss"),
        ("scopes", "read"),
        ("scopes", "write"),
    ]


def test_a_multipart_body_sends_the_file_as_a_file() -> None:
    client, seen = recording(httpx.Response(201, json={"id": "f1", "size": 3}))
    client.upload_file(body=UploadFileRequest(file=b"\x00\x01\xff", title="bin"))
    request = seen[0]
    assert request.headers["Content-Type"].startswith("multipart/form-data; boundary=")
    body = request.content
    assert b'name="file"; filename="file"' in body and b"\x00\x01\xff" in body
    assert b'name="title"\r\n\r\nbin' in body


def test_cookies_go_in_one_header_and_a_file_comes_back_as_bytes() -> None:
    client, seen = recording(
        httpx.Response(200, content=b"\x89PNG", headers={"Content-Type": "application/octet-stream"})
    )
    assert client.download_file("f1", session="abc", theme=None) == b"\x89PNG"
    assert seen[0].headers["Cookie"] == "session=abc"
    from bodies.models import DownloadFileTheme

    client.download_file("f1", session="abc", theme=DownloadFileTheme.DARK)
    assert seen[1].headers["Cookie"] == "session=abc; theme=dark"


def test_a_text_answer_comes_back_as_str() -> None:
    client, _ = recording(httpx.Response(200, text="report.pdf"))
    assert client.get_file_name("f1") == "report.pdf"


@pytest.mark.slow  # a server on loopback
def test_client_and_server_agree_on_forms_files_and_cookies() -> None:
    received: dict[str, Any] = {}

    class Files(Handlers):
        async def log_in(self, *, body: LogInRequest) -> LogInResponse:
            received["login"] = body
            return LogInResponse(session=f"session-of-{body.username}")

        async def upload_file(self, *, body: UploadFileRequest) -> UploadFileResponse:
            received["file"] = body.file
            return UploadFileResponse(id=body.title or "untitled", size=len(body.file))

        async def download_file(self, file_id: str, *, session: str, theme: Any = None) -> bytes:
            return f"{file_id}:{session}:{theme.value if theme else '-'}".encode()

        async def get_file_name(self, file_id: str) -> str:
            return f"{file_id}.txt"

    with served(create_app(Files())) as root, BodiesClient(base_url=root + "/v2") as client:
        session = client.log_in(
            body=LogInRequest(username="ann", password="x", remember=True, scopes=["a", "b"])
        ).session
        stored = client.upload_file(body=UploadFileRequest(file=b"\x00\xffdata", title="t", size=6))
        downloaded = client.download_file("f9", session=session)
        name = client.get_file_name("f9")
    assert received["login"] == LogInRequest(username="ann", password="x", remember=True, scopes=["a", "b"])
    assert (received["file"], stored) == (b"\x00\xffdata", UploadFileResponse(id="t", size=6))
    assert (downloaded, name) == (b"f9:session-of-ann:-", "f9.txt")
