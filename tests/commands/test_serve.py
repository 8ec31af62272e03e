"""`rethink serve` as a real process: serves the site under base_url's path, rebuilds, shows errors, stays inside."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import threading
import time

import html5lib
import pytest

from reThink_site.commands.server import ServeState, is_loopback, resolve_site_path
from tests.helpers import REPO

SERVE_NOW = "2014-03-01T12:00"  # as in the browser tests: some of the real site's events upcoming, some past
PREFIX = "/local-rethink"
ABOUT = "content/pages/about.md"
PREVIEW = ".rethink-preview"  # serve's own output folder


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(port: int, path: str, timeout: float = 10.0) -> tuple[int, dict, bytes]:
    """One GET with the path sent exactly as given (no client-side normalising)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.putrequest("GET", path, skip_accept_encoding=True)
        conn.endheaders()
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def wait_until(condition, timeout: float = 20.0, step: float = 0.1):
    """Poll until condition() is truthy (bounded); the value or an assertion error."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = condition()
        except OSError:
            value = None
        if value:
            return value
        time.sleep(step)
    raise AssertionError("condition not met in time")


@pytest.fixture
def served(copy_real_site):
    """The real site's copy served by a `python -m reThink_site serve` subprocess on a free port."""
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    process = subprocess.Popen([sys.executable, "-m", "reThink_site", "serve", "--site", str(copy_real_site),
                                "--port", str(port), "--now", SERVE_NOW], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        wait_until(lambda: process.poll() is None and get(port, PREFIX + "/")[0] == 200)
        yield copy_real_site, port, process
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)
        process.stdout.close()


def heading(body: bytes) -> str:
    doc = html5lib.parse(body, namespaceHTMLElements=False)
    return " ".join("".join(h.itertext()) for h in doc.iter("h1"))


def test_serves_pages_under_base_path_with_live_reload(served):
    site, port, _ = served
    status, headers, body = get(port, PREFIX + "/about/")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert "About" in heading(body)
    assert b"/__rethink/events" in body and b"EventSource" in body
    on_disk = (site / PREVIEW / "about/index.html").read_bytes()
    assert b"__rethink" not in on_disk  # the script is added only while serving
    assert not (site / "output").exists()  # the preview never touches what `rethink build` published
    assert get(port, "/")[0] == 302 and get(port, "/")[1]["Location"] == PREFIX + "/"
    status, headers, _ = get(port, PREFIX + "/about")
    assert status == 301 and headers["Location"] == PREFIX + "/about/"
    status, headers, body = get(port, PREFIX + "/static/style.css")
    assert status == 200 and headers["Content-Type"].startswith("text/css") and b"__rethink" not in body


def test_event_stream_announces_the_build(served):
    _, port, _ = served
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(b"GET /__rethink/events HTTP/1.1\r\nHost: x\r\n\r\n")
        data = b""
        while b"\n\ndata: " not in data and b"\r\n\r\ndata: " not in data:
            chunk = sock.recv(4096)
            assert chunk
            data += chunk
    assert b"text/event-stream" in data


def test_edit_is_served_then_broken_file_shows_errors_and_server_survives(served):
    site, port, process = served
    about = site / ABOUT
    original = about.read_text(encoding="utf-8")
    about.write_text(original.replace("title:", "title: Freshly edited —", 1), encoding="utf-8")
    wait_until(lambda: "Freshly edited" in heading(get(port, PREFIX + "/about/")[2]))

    about.write_text("---\ntitle: Broken\nmenu: lots\n---\nBody\n", encoding="utf-8")
    page = wait_until(lambda: (lambda b: b if b'id="rethink-problems"' in b else None)(
        get(port, PREFIX + "/about/")[2]))
    doc = html5lib.parse(page, namespaceHTMLElements=False)
    overlay = next(el for el in doc.iter("div") if el.get("id") == "rethink-problems")
    text = "".join(overlay.itertext())
    assert f"{ABOUT}:3 menu:" in text  # file, line and field of the problem
    assert "Freshly edited" in heading(page)  # the last good site is still served
    assert process.poll() is None

    about.write_text(original.replace("title:", "title: Fixed again —", 1), encoding="utf-8")
    wait_until(lambda: (lambda b: b"Fixed again" in b and b'id="rethink-problems"' not in b)(
        get(port, PREFIX + "/about/")[2]))


def test_overlay_escapes_what_the_editor_wrote(served):
    site, port, _ = served
    (site / "content/pages/evil.md").write_text("---\ntitle: X\nmenu: '<img src=x onerror=alert(1)>'\n---\n",
                                                 encoding="utf-8")
    page = wait_until(lambda: (lambda b: b if b"rethink-problems" in b else None)(get(port, PREFIX + "/about/")[2]))
    assert b"<img src=x" not in page and b"&lt;img src=x" in page


TRAVERSALS = [
    "/../site.yaml", PREFIX + "/../site.yaml", PREFIX + "/../../etc/passwd", PREFIX + "/%2e%2e/site.yaml",
    PREFIX + "/%2E%2E%2Fsite.yaml", PREFIX + "/%252e%252e/site.yaml", PREFIX + "/..%2f..%2fsite.yaml",
    PREFIX + "/%252e%252e%252fsite.yaml", PREFIX + "/about/%00.html", PREFIX + "/%00", PREFIX + "/..%5csite.yaml",
    PREFIX + "/%ff%fe", PREFIX + "/outside-link/site.yaml", PREFIX + "/outside-file", "//etc/passwd", "/etc/passwd",
]


def test_traversal_attempts_get_404(served):
    site, port, process = served
    (site / PREVIEW / "outside-link").symlink_to(site, target_is_directory=True)
    (site / PREVIEW / "outside-file").symlink_to(site / "site.yaml")
    for path in TRAVERSALS:
        status, _, body = get(port, path)
        assert status == 404, path
        assert b"base_url" not in body and b"root:" not in body, path
    assert get(port, PREFIX + "/about/")[0] == 200 and process.poll() is None


def test_burst_of_concurrent_requests(served):
    _, port, _ = served
    paths = [PREFIX + p for p in ("/", "/about/", "/events/", "/insights/", "/static/style.css")]
    errors: list[str] = []

    def client(number: int) -> None:
        for i in range(20):
            try:
                status, _, body = get(port, paths[(number + i) % len(paths)], timeout=15)
                if status != 200 or not body:
                    errors.append(f"{status}")
            except OSError as err:
                errors.append(repr(err))

    threads = [threading.Thread(target=client, args=(n,)) for n in range(25)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(t.is_alive() for t in threads)
    assert errors == []


def test_ctrl_c_exits_cleanly(served):
    _, _, process = served
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=15) == 0
    assert "Serving http://127.0.0.1:" in process.stdout.read()


def test_ctrl_c_stops_serve_started_with_sigint_ignored(copy_real_site):
    """A script's background job starts with SIGINT ignored; `serve` still stops on it, as it says."""
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "reThink_site", "serve", "--site", str(copy_real_site),
                                "--port", str(port), "--now", SERVE_NOW], env={**os.environ, "PYTHONPATH": str(REPO)},
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))
    try:
        wait_until(lambda: process.poll() is None and get(port, PREFIX + "/")[0] == 200)
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=15) == 0
        assert process.stdout.read().rstrip().endswith("Stopped.")
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)
        process.stdout.close()


def test_warns_when_bound_beyond_loopback(copy_real_site, runner, monkeypatch):
    said: list[str] = []
    from reThink_site.build import BuildOptions
    from reThink_site.commands import serve

    def fake_server(host, port, state):
        raise OSError(98, "Address already in use")

    monkeypatch.setattr(serve, "make_server", fake_server)
    with pytest.raises(Exception) as caught:
        serve.serve(BuildOptions(project=copy_real_site, now=SERVE_NOW, search=False), "0.0.0.0", 1, said.append)
    assert "another --port" in str(caught.value)
    assert any("Warning: serving on 0.0.0.0" in line for line in said)
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5")


def test_port_in_use_is_a_usage_error_found_before_building(copy_real_site, runner):
    from reThink_site.cli import main

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(1)
        port = sock.getsockname()[1]
        result = runner.invoke(main, ["serve", "--site", str(copy_real_site), "--port", str(port),
                                      "--now", SERVE_NOW])
    assert result.exit_code == 2
    assert f"cannot listen on 127.0.0.1:{port}: the port is already in use" in result.output
    assert "--port 0" in result.output and "nothing was built" in result.output
    assert "Traceback" not in result.output and "Errno" not in result.output
    assert not (copy_real_site / PREVIEW).exists() and not (copy_real_site / "output").exists()


def test_output_folder_is_left_as_built_while_serving_and_search_works_in_the_preview(copy_real_site):
    """`build` then `serve`: output/ keeps its pages and its search index; the preview has its own."""
    from reThink_site.build import BuildOptions, build

    build(BuildOptions(project=copy_real_site, now=SERVE_NOW, jobs=1, search=True))
    published = {p.relative_to(copy_real_site / "output"): p.read_bytes()
                 for p in (copy_real_site / "output").rglob("*") if p.is_file()}
    assert any(p.parts[0] == "pagefind" for p in published)
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "reThink_site", "serve", "--site", str(copy_real_site),
                                "--port", str(port), "--now", SERVE_NOW], env={**os.environ, "PYTHONPATH": str(REPO)},
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        wait_until(lambda: process.poll() is None and get(port, PREFIX + "/")[0] == 200)
        for name in ("pagefind-ui.js", "pagefind-ui.css", "pagefind-entry.json"):
            status, _, body = get(port, f"{PREFIX}/pagefind/{name}")
            assert status == 200 and body, name
        about = copy_real_site / ABOUT
        about.write_text(about.read_text(encoding="utf-8").replace("title:", "title: Edited —", 1), encoding="utf-8")
        wait_until(lambda: "Edited" in heading(get(port, PREFIX + "/about/")[2]))
        assert get(port, f"{PREFIX}/pagefind/pagefind-ui.js")[0] == 200  # still there after the rebuild
        entry = (copy_real_site / PREVIEW / "pagefind" / "pagefind-entry.json")
        assert entry.is_file()
    finally:
        process.kill()
        process.wait(timeout=10)
        process.stdout.close()
    now = {p.relative_to(copy_real_site / "output"): p.read_bytes()
           for p in (copy_real_site / "output").rglob("*") if p.is_file()}
    assert now == published


def test_the_problem_box_is_opaque():
    from reThink_site.commands.server import problem_overlay
    from reThink_site.core.errors import Problem

    overlay = problem_overlay((Problem("content/pages/about.md", 3, "menu", "expected a number"),))
    doc = html5lib.parse(overlay, namespaceHTMLElements=False)
    box = next(el for el in doc.iter("div") if el.get("id") == "rethink-problems")
    style = dict(part.split(":", 1) for part in box.get("style").split(";") if part.strip())
    background = style["background"].strip()
    assert background in ("#fff", "#ffffff", "white"), background  # nothing of the page shows through
    assert "inset" in style and style["position"] == "fixed"


def test_resolve_site_path_stays_inside(tmp_path):
    out = tmp_path / "output"
    (out / "a").mkdir(parents=True)
    (out / "a/index.html").write_text("x")
    (tmp_path / "secret").write_text("s")
    assert resolve_site_path(out, "/a/") == (out / "a/index.html").resolve()
    for bad in ("/../secret", "/a/../../secret", "/a\\..\\..\\secret", "/a/\x00", "/./a/"):
        assert resolve_site_path(out, bad) is None
    assert ServeState(out, "/sub").base_path == "/sub/"


def test_an_unexpected_error_in_a_rebuild_shows_the_overlay_and_the_next_change_rebuilds(copy_real_site,
                                                                                          monkeypatch):
    """A bug (not a content problem) in one rebuild must not end the watcher: the next save builds again."""
    from reThink_site.build import BuildOptions
    from reThink_site.commands import serve as serve_command

    real_build, calls, said = serve_command.build, [], []

    def flaky_build(options):
        calls.append(options)
        if len(calls) == 1:
            raise KeyError("a bug in rethink")
        return real_build(options)

    monkeypatch.setattr(serve_command, "build", flaky_build)
    monkeypatch.setattr(serve_command.watchfiles, "watch", lambda *paths, **kw: iter([{"first"}, {"second"}]))
    output = copy_real_site / "output"
    options = BuildOptions(project=copy_real_site, output=output, now=SERVE_NOW, jobs=1, search=False)
    state = ServeState(output, PREFIX)
    overlays = []
    real_finished = state.finished_build

    def finished(problems=()):
        real_finished(problems)
        overlays.append(serve_command_overlay(state))

    monkeypatch.setattr(state, "finished_build", finished)
    serve_command.watch_and_rebuild(options, state, said.append)
    assert len(calls) == 2 and state.generation == 2
    assert "KeyError" in overlays[0] and "unexpected error while rebuilding" in overlays[0]
    assert overlays[1] == "" and state.problems == ()
    assert any("Traceback" in line for line in said) and (output / "index.html").is_file()


def serve_command_overlay(state: ServeState) -> str:
    from reThink_site.commands.server import problem_overlay

    return problem_overlay(state.problems)


@pytest.mark.parametrize("target", ["http://127.0.0.1{port}//events", "//events", "http://127.0.0.1{port}///events",
                                    "http://evil.example//events"])
def test_a_redirect_never_leads_to_another_host(target, tmp_path):
    from urllib.parse import urljoin, urlsplit

    from reThink_site.commands.server import make_server

    (tmp_path / "output" / "events").mkdir(parents=True)
    (tmp_path / "output" / "events" / "index.html").write_text("<h1>Events</h1>", encoding="utf-8")
    server = make_server("127.0.0.1", 0, ServeState(tmp_path / "output", "/"))
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        port = server.server_address[1]
        status, headers, _ = get(port, target.format(port=f":{port}"))
    finally:
        server.shutdown()
        server.server_close()
    assert status == 301
    location = headers["Location"]
    assert location == "/events/" and urlsplit(urljoin(f"http://127.0.0.1:{port}/", location)).netloc == \
        f"127.0.0.1:{port}"
