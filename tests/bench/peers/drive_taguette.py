"""Drives a Taguette server through its HTTP API, for ``bench_peers.py``.

Run with Taguette's own Python (``exports/bench/peers/taguette/bin/python``), never qualcode's::

    python drive_taguette.py DATABASE PORT

It starts ``taguette --no-browser`` (single-user mode) on DATABASE and 127.0.0.1:PORT, logs in
with the token the server prints, then reads one JSON command a line on stdin and answers one
JSON line on stdout. Every operation is what Taguette's web page does: the same requests, to the
same handlers (``/api/...`` for documents, tags and highlights, ``/project/N/export/...`` for the
exports); times are from sending the first request to reading the last response in full.

Documents are uploaded as HTML (``.html``), the one text format Taguette converts without
calibre (``.txt`` goes through calibre's ``ebook-convert``, absent here).

Commands (``{"op": ...}``): ``setup`` (a project with the documents, tags and highlights of
PLAN.json; not timed), ``use`` (the project of an earlier setup), ``import`` (a new project,
every ``.html`` of a folder uploaded one by one as the page does), ``count`` (the codebook
CSV: per tag, highlights and documents: the only counts Taguette reports), ``retrieve`` (one
tag's highlights, the HTML export), ``codebook`` (REFI-QDA .qdc), ``xlsx`` and ``csv`` (every
highlight), ``quit``.
"""

from __future__ import annotations

import http.cookiejar
import json
import re
import secrets
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

XSRF = secrets.token_hex(16)


class Client:
    def __init__(self, base: str) -> None:
        self.base = base
        jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        host = urllib.parse.urlparse(base).hostname or "127.0.0.1"
        jar.set_cookie(
            http.cookiejar.Cookie(
                0, "_xsrf", XSRF, None, False, host, False, False, "/", True, False, None,
                False, None, None, {},
            )
        )  # fmt: skip

    def request(
        self, path: str, data: bytes | None = None, content_type: str | None = None
    ) -> tuple[str, bytes]:
        headers = {"X-XSRFToken": XSRF}
        if content_type:
            headers["Content-Type"] = content_type
        req = urllib.request.Request(self.base + path, data=data, headers=headers)
        with self.opener.open(req, timeout=600) as resp:
            return resp.geturl(), resp.read()

    def get(self, path: str) -> bytes:
        return self.request(path)[1]

    def post_json(self, path: str, obj: dict[str, Any]) -> Any:
        return json.loads(self.request(path, json.dumps(obj).encode(), "application/json")[1])

    def post_form(self, path: str, fields: dict[str, str]) -> str:
        fields = {**fields, "_xsrf": XSRF}
        body = urllib.parse.urlencode(fields).encode()
        return self.request(path, body, "application/x-www-form-urlencoded")[0]

    def post_file(self, path: str, fields: dict[str, str], name: str, content: bytes) -> Any:
        boundary = "----qualcodebench" + secrets.token_hex(8)
        parts = []
        for key, value in fields.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n'
                f"{value}\r\n".encode()
            )
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            f"Content-Type: text/html\r\n\r\n".encode()
            + content
            + b"\r\n"
        )
        parts.append(f"--{boundary}--\r\n".encode())
        return json.loads(
            self.request(path, b"".join(parts), f"multipart/form-data; boundary={boundary}")[1]
        )


def start_server(database: str, port: int) -> tuple[subprocess.Popen[str], Client]:
    taguette = Path(sys.executable).with_name("taguette")
    proc = subprocess.Popen(
        [str(taguette), "--no-browser", "-b", "127.0.0.1", "-p", str(port), "--database",
         database],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )  # fmt: skip
    assert proc.stdout is not None
    token = None
    for line in proc.stdout:
        found = re.search(r"\?token=([0-9a-f]+)", line)
        if found:
            token = found.group(1)
            break
    if token is None:
        raise SystemExit("taguette did not start")
    # keep reading its log so that the pipe never fills
    subprocess.Popen(["cat"], stdin=proc.stdout, stdout=subprocess.DEVNULL)
    client = Client(f"http://127.0.0.1:{port}")
    client.get(f"/?token={token}")
    return proc, client


def new_project(client: Client, name: str) -> int:
    url = client.post_form("/project/new", {"name": name, "description": ""})
    found = re.search(r"/project/(\d+)", url)
    if not found:
        raise SystemExit(f"no project made: {url}")
    return int(found.group(1))


def upload(client: Client, project: int, folder: Path) -> dict[str, int]:
    ids = {}
    for path in sorted(folder.glob("*.html")):
        answer = client.post_file(
            f"/api/project/{project}/document/new",
            {"name": path.stem, "description": ""},
            path.name,
            path.read_bytes(),
        )
        ids[path.stem] = int(answer["created"])
    return ids


def setup(client: Client, folder: Path, plan_path: Path) -> dict[str, Any]:
    plan = json.loads(plan_path.read_text(encoding="utf-8"))
    project = new_project(client, "bench")
    docs = upload(client, project, folder)
    t0 = time.perf_counter()
    tags = {}
    for code in plan["codes"]:
        tags[code] = client.post_json(
            f"/api/project/{project}/tag/new", {"path": code, "description": ""}
        )["id"]
    for stem, start, end, code in plan["codings"]:
        client.post_json(
            f"/api/project/{project}/document/{docs[stem]}/highlight/new",
            {"start_offset": start, "end_offset": end, "tags": [tags[code]]},
        )
    return {
        "project": project,
        "documents": len(docs),
        "highlights": len(plan["codings"]),
        "coding": time.perf_counter() - t0,
    }


def main() -> None:
    database, port = sys.argv[1], int(sys.argv[2])
    proc, client = start_server(database, port)
    project = 0
    try:
        for line in sys.stdin:
            cmd = json.loads(line)
            op = cmd["op"]
            if op == "quit":
                break
            out: dict[str, Any] = {}
            t0 = time.perf_counter()
            if op == "use":
                project = int(cmd["project"])
            elif op == "setup":
                out = setup(client, Path(cmd["dir"]), Path(cmd["plan"]))
                project = out["project"]
            elif op == "import":
                fresh = new_project(client, f"import {time.time()}")
                t0 = time.perf_counter()
                out["documents"] = len(upload(client, fresh, Path(cmd["dir"])))
            else:
                base = f"/project/{project}/export"
                path = {
                    "count": f"{base}/codebook.csv",
                    "codebook": f"{base}/codebook.qdc",
                    "retrieve": f"{base}/highlights/{urllib.parse.quote(cmd.get('code', ''))}.html",
                    "xlsx": f"{base}/highlights/.xlsx",
                    "csv": f"{base}/highlights/.csv",
                }[op]
                body = client.get(path)
                out["bytes"] = len(body)
                if cmd.get("save"):
                    Path(cmd["save"]).write_bytes(body)
            out["seconds"] = time.perf_counter() - t0
            print(json.dumps(out), flush=True)
    finally:
        proc.terminate()
        proc.wait(timeout=30)


if __name__ == "__main__":
    main()
