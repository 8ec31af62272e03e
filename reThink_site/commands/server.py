"""The preview server: serves only the output folder, injects live reload and an error overlay."""

from __future__ import annotations

import html
import ipaddress
import mimetypes
import socket
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Optional
from urllib.parse import unquote, urlsplit

from reThink_site.cms.admin import CONFIG_FILE
from reThink_site.cms.admin import FOLDER as ADMIN_FOLDER
from reThink_site.cms.config import with_local_backend
from reThink_site.core.errors import Problem

EVENTS_PATH = "/__rethink/events"
PING_SECONDS = 10.0
ADMIN_PATH = f"/{ADMIN_FOLDER}/"


class ServeState:
    """What the server shows now: the output folder, the build generation and the last failure."""

    def __init__(self, output: Path, base_path: str) -> None:
        self.output = output
        self.base_path = base_path if base_path.endswith("/") else base_path + "/"
        self.generation = 0
        self.problems: tuple[Problem, ...] = ()
        self.stopping = threading.Event()
        self.changed = threading.Condition()
        self.cms_api = ""  # with `serve --cms`: the local backend /admin/ saves through

    def finished_build(self, problems: tuple[Problem, ...] = ()) -> None:
        """Record a rebuild (problems when it failed) and wake every waiting browser."""
        with self.changed:
            self.problems = tuple(problems)
            self.generation += 1
            self.changed.notify_all()

    def stop(self) -> None:
        """Tell event streams to end so the server can shut down."""
        self.stopping.set()
        with self.changed:
            self.changed.notify_all()


def is_loopback(host: str) -> bool:
    """True for localhost and 127.0.0.0/8 or ::1, where only this machine can connect."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def resolve_site_path(output: Path, request_path: str) -> Optional[Path]:
    """The file under output that a decoded site path names, or None if it is outside or unsafe."""
    if "\x00" in request_path or "\\" in request_path:
        return None
    parts = request_path.split("/")
    if any(part in ("..", ".") for part in parts):
        return None
    root = output.resolve()
    target = root.joinpath(*[p for p in parts if p])
    try:
        real = target.resolve(strict=True)
    except (OSError, RuntimeError, ValueError):
        return None
    if real != root and root not in real.parents:
        return None
    if real.is_dir():
        real = real / "index.html"
        if not real.is_file():
            return None
    return real if real.is_file() else None


def live_reload_snippet(state: ServeState) -> bytes:
    """The script (and, after a failed rebuild, the problem overlay) added to HTML in serve mode."""
    script = ("<script>(function(){var g=%d;var s=new EventSource(\"%s\");"
              "s.onmessage=function(e){if(String(e.data)!==String(g)){s.close();location.reload();}};})();"
              "</script>" % (state.generation, EVENTS_PATH))
    return (problem_overlay(state.problems) + script).encode("utf-8")


def problem_overlay(problems: tuple[Problem, ...]) -> str:
    """An overlay listing what stops the build, escaped, until the file is fixed."""
    if not problems:
        return ""
    items = "".join(f"<li><code>{html.escape(p.path)}:{p.line}</code> "
                    f"{'<strong>' + html.escape(p.field) + '</strong>: ' if p.field else ''}"
                    f"{html.escape(p.message)}{(' <em>(' + html.escape(p.hint) + ')</em>') if p.hint else ''}"
                    f"{' <small>(warning)</small>' if not p.is_error else ''}</li>" for p in problems)
    return ('<div id="rethink-problems" role="alert" style="position:fixed;inset:0;z-index:2147483647;'
            'overflow:auto;background:#fff;color:#600;padding:2em;font:16px/1.5 sans-serif;'
            'border:6px solid #900">'
            '<h1 style="color:#900">The site cannot be built</h1>'
            '<p>Fix these problems and save the file; this page reloads by itself. '
            'Until then you see the last version that built.</p>'
            f'<ul>{items}</ul></div>')


def inject(page: bytes, snippet: bytes) -> bytes:
    """Put the snippet just before </body> (or at the end), leaving the file on disk unchanged."""
    marker = page.lower().rfind(b"</body>")
    return page + snippet if marker < 0 else page[:marker] + snippet + page[marker:]


class PreviewHandler(BaseHTTPRequestHandler):
    """GET/HEAD for files in the output folder plus the live-reload event stream."""

    server: "PreviewServer"
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args) -> None:  # noqa: A002 (the base class's name)
        """Keep the terminal for build messages, not one line per request."""

    def do_HEAD(self) -> None:  # noqa: N802 (http.server's name)
        self.respond(head=True)

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        self.respond(head=False)

    def respond(self, head: bool) -> None:
        """Serve one request from the current output folder (looked up afresh every time)."""
        state = self.server.state
        # one leading slash, however many came: `GET http://host//events` must not redirect to //events/,
        # which a browser reads as another host
        raw_path = "/" + urlsplit(self.path).path.lstrip("/")
        if raw_path == EVENTS_PATH and not head:
            self.stream_events(state)
            return
        if not raw_path.startswith(state.base_path):
            if raw_path in ("/", state.base_path.rstrip("/")):
                self.send_simple(HTTPStatus.FOUND, b"", location=state.base_path, head=head)
            else:
                self.send_not_found(state, head)
            return
        try:
            site_path = unquote(raw_path[len(state.base_path) - 1:], errors="strict")
        except UnicodeDecodeError:
            site_path = "\x00"
        found = resolve_site_path(state.output, site_path)
        if found is None:
            self.send_not_found(state, head)
            return
        if found.name == "index.html" and not site_path.endswith(("/", "index.html")):
            self.send_simple(HTTPStatus.MOVED_PERMANENTLY, b"", location=raw_path + "/", head=head)
            return
        try:
            body = found.read_bytes()
        except OSError:
            self.send_not_found(state, head)
            return
        if site_path.startswith(ADMIN_PATH):
            self.send_admin_file(body, site_path, found.name, head)
            return
        self.send_file(body, found.name, HTTPStatus.OK, head)

    def send_admin_file(self, body: bytes, site_path: str, name: str, head: bool) -> None:
        """/admin/ without live reload (a rebuild must not reload a half-filled form), saving locally with --cms."""
        state = self.server.state
        if site_path == ADMIN_PATH + CONFIG_FILE and state.cms_api:
            body = with_local_backend(body, state.cms_api)
        kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
        if kind.startswith("text/") or kind in ("application/javascript", "application/json"):
            kind += "; charset=utf-8"
        self.send_simple(HTTPStatus.OK, body, content_type=kind, head=head)

    def send_file(self, body: bytes, name: str, status: HTTPStatus, head: bool) -> None:
        """Send a file's bytes, with live reload added to HTML."""
        kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
        if kind == "text/html":
            body = inject(body, live_reload_snippet(self.server.state))
            kind += "; charset=utf-8"
        elif kind.startswith("text/") or kind in ("application/xml", "application/json"):
            kind += "; charset=utf-8"
        self.send_simple(status, body, content_type=kind, head=head)

    def send_not_found(self, state: ServeState, head: bool) -> None:
        """The site's own 404 page when there is one, always with status 404."""
        page = resolve_site_path(state.output, "/404.html")
        if page is not None:
            self.send_file(page.read_bytes(), "404.html", HTTPStatus.NOT_FOUND, head)
            return
        text = b"<!doctype html><title>Not found</title><h1>Not found</h1></body>"
        self.send_file(text, "404.html", HTTPStatus.NOT_FOUND, head)

    def send_simple(self, status: HTTPStatus, body: bytes, content_type: str = "text/plain; charset=utf-8",
                    location: str = "", head: bool = False) -> None:
        """Status, headers and (unless HEAD) the body."""
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        if location:
            self.send_header("Location", location)
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def stream_events(self, state: ServeState) -> None:
        """Server-sent events: the build generation now and after every rebuild, until shutdown."""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        seen = -1
        try:
            while not state.stopping.is_set():
                with state.changed:
                    state.changed.wait_for(lambda seen=seen: state.generation != seen or state.stopping.is_set(),
                                           timeout=PING_SECONDS)
                    generation = state.generation
                if state.stopping.is_set():
                    return
                message = f"data: {generation}\n\n" if generation != seen else ": ping\n\n"
                seen = generation
                self.wfile.write(message.encode("ascii"))
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            return


class PreviewServer(ThreadingHTTPServer):
    """A threaded HTTP server that knows the serve state; worker threads never block exit."""

    daemon_threads = True
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], state: ServeState) -> None:
        self.state = state
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, PreviewHandler)


def make_server(host: str, port: int, state: ServeState) -> PreviewServer:
    """Bind the preview server (port 0 picks a free one)."""
    mimetypes.add_type("text/calendar", ".ics")
    mimetypes.add_type("text/yaml", ".yml")
    mimetypes.add_type("application/wasm", ".wasm")
    return PreviewServer((host, port), state)
