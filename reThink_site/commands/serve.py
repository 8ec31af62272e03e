"""`rethink serve`'s loop: build, serve, watch the sources, rebuild and tell the browsers."""

from __future__ import annotations

import errno
import signal
import threading
import traceback
from dataclasses import replace
from pathlib import Path
from typing import Callable, Optional

import click
import watchfiles

from reThink_site.build import BuildOptions, build
from reThink_site.cms import localbackend
from reThink_site.commands.server import PreviewServer, ServeState, is_loopback, make_server
from reThink_site.content.config import load_config
from reThink_site.core.errors import ContentErrors, Problem, SiteError, UsageError
from reThink_site.core.urls import base_path
from reThink_site.publish.search import pagefind_binary

PREVIEW_DIR = ".rethink-preview"  # serve's own output folder: output/ stays what `rethink build` made


def rebuild(options: BuildOptions, say: Callable[[str], None]) -> tuple[Problem, ...]:
    """Build once; return the problems that stopped it (none when it worked). Never raises SiteError."""
    try:
        report = build(options)
    except ContentErrors as err:
        for problem in err.problems:
            say(problem.format())
        say("Build failed; still serving the last version that built.")
        return err.problems
    except SiteError as err:
        say(f"Error: {err}")
        return (Problem("site", 1, "", str(err)),)
    except Exception as err:  # noqa: BLE001 (a bug must not stop the watcher: the next save retries)
        say("".join(traceback.format_exception(err)).rstrip())
        say("Unexpected error while rebuilding (a bug in rethink: please report it with the lines above); "
            "still serving the last version that built, and rebuilding on the next change.")
        return (Problem("rethink", 1, "", f"unexpected error while rebuilding: {type(err).__name__}: {err}",
                        "please report it; save any file to try again"),)
    for problem in report.warnings:
        say(problem.format())
    say(report.summary())
    return ()


def watched_paths(project: Path) -> list[Path]:
    """content/, templates/ and site.yaml: what editors change (never the output folder)."""
    try:
        config = load_config(project / "site.yaml")
        folders = [project / config.content_dir, project / config.templates_dir]
    except ContentErrors:
        folders = [project / "content", project / "templates"]
    return [p for p in (*folders, project / "site.yaml") if p.exists()]


def watch_and_rebuild(options: BuildOptions, state: ServeState, say: Callable[[str], None],
                      first_build: Optional[threading.Event] = None) -> None:
    """Rebuild after each batch of source changes until the state is stopping (once `first_build` is set)."""
    paths = watched_paths(options.project)
    for _changes in watchfiles.watch(*paths, stop_event=state.stopping, debounce=200, step=50,
                                     raise_interrupt=False, ignore_permission_denied=True):
        if first_build is not None:
            first_build.wait()  # a file saved during the first build is rebuilt after it, never beside it
        if state.stopping.is_set():
            return
        say("Change detected; rebuilding...")
        state.finished_build(rebuild(options, say))


def serve(options: BuildOptions, host: str, port: int, say: Callable[[str], None] = click.echo,
          cms: bool = False) -> int:
    """Build, serve on host:port and rebuild on change until Ctrl-C; returns the exit code."""
    config = load_config(options.project / "site.yaml")
    output = (options.output or options.project / PREVIEW_DIR).absolute()
    options = replace(options, output=output)
    if options.search and pagefind_binary() is None:
        say("Warning: the search indexer (Python package 'pagefind[bin]') is missing, so the preview's "
            "search page will say search is not available; everything else works.")
        options = replace(options, search=False)
    if cms and not is_loopback(host):
        raise UsageError("--cms lets the browser write into content/, so it serves only this computer; "
                         "leave out --host or use --host 127.0.0.1")
    if cms and config.cms is None:
        raise UsageError("--cms: site.yaml has no cms: section, so the site has no /admin/ (see README, For editors)")
    if not is_loopback(host):
        say(f"Warning: serving on {host} lets other machines on the network see the preview "
            "(including drafts when --drafts is given). Use --host 127.0.0.1 to keep it private.")
    state = ServeState(output, base_path(config.base_url))
    backend = localbackend.start(options.project) if cms else None
    try:
        state.cms_api = backend.api_url if backend else ""
        return serve_until_stopped(options, host, port, state, say)
    finally:
        if backend is not None:
            backend.stop()


def bind(host: str, port: int, state: ServeState) -> PreviewServer:
    """The preview server bound to host:port, or a UsageError that says what to do instead."""
    try:
        return make_server(host, port, state)
    except OSError as err:
        if err.errno == errno.EADDRINUSE:
            reason = "the port is already in use, perhaps by another `rethink serve`"
        elif err.errno == errno.EACCES:
            reason = "this user may not use that port"
        else:
            reason = err.strerror or str(err)
        raise UsageError(f"cannot listen on {host}:{port}: {reason}; nothing was built. Try another --port, "
                         f"such as --port {port + 1 if 0 < port < 65535 else 8001}, or --port 0 to "
                         "pick a free one") from None


def serve_until_stopped(options: BuildOptions, host: str, port: int, state: ServeState,
                        say: Callable[[str], None]) -> int:
    """The preview server and the watcher, until Ctrl-C or SIGTERM."""
    server = bind(host, port, state)  # before building: a taken port is known at once, not after the build
    first_build = threading.Event()
    # watching starts before the first build, so no save is missed between that build and the first request
    threads = [threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True),
               threading.Thread(target=watch_and_rebuild, args=(options, state, say, first_build), daemon=True)]
    threads[1].start()
    try:
        state.finished_build(rebuild(options, say))
    except BaseException:  # Ctrl-C during the first build: stop watching and let the port go at once
        state.stop()
        first_build.set()
        threads[1].join(timeout=5)
        server.server_close()
        raise
    first_build.set()
    bound_host, bound_port = server.server_address[:2]
    shown_host = f"[{bound_host}]" if ":" in str(bound_host) else bound_host
    # Ctrl-C and SIGTERM stop the loop below, even when SIGINT came ignored (a script's background job)
    previous = {number: signal.signal(number, lambda *_: state.stop()) for number in (signal.SIGINT, signal.SIGTERM)}
    try:
        threads[0].start()
        say(f"Serving http://{shown_host}:{bound_port}{state.base_path} (Ctrl-C to stop)")
        if state.cms_api:
            say(f"Edit in the browser: http://{shown_host}:{bound_port}{state.base_path}admin/ "
                f"(saves go into {options.project.name}/; local backend {state.cms_api})")
        while not state.stopping.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        state.stop()
        if threads[0].ident is not None:  # shutdown() waits forever for a serve_forever that never started
            server.shutdown()
        server.server_close()
        if threads[1].ident is not None:
            threads[1].join(timeout=5)
        for number, handler in previous.items():
            signal.signal(number, handler)
    say("Stopped.")
    return 0
