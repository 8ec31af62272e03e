"""Editing on this computer: Decap's local backend (npm `decap-server`) writing into the site folder, on 127.0.0.1."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from reThink_site.core.errors import UsageError
from reThink_site.core.install import PACKAGE_DIR

SERVER_SCRIPT = Path("node_modules") / "decap-server" / "dist" / "index.js"
LOOPBACK = "127.0.0.1"


def server_script(project: Path) -> Optional[Path]:
    """decap-server as `npm ci` installs it: in the site folder, else in the checkout the package runs from."""
    for root in (project, PACKAGE_DIR.parent):
        if (root / SERVER_SCRIPT).is_file():
            return root / SERVER_SCRIPT
    return None


def free_port(host: str = LOOPBACK) -> int:
    """A port nothing listens on now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


@dataclass
class LocalBackend:
    """A running decap-server: its API address and process."""

    api_url: str
    process: subprocess.Popen

    def stop(self) -> None:
        """End the server (it holds no state: every save is already a file)."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start(project: Path, port: int = 0, wait_seconds: float = 20.0) -> LocalBackend:
    """Start decap-server on 127.0.0.1 serving the site folder, and wait until it answers."""
    node = shutil.which("node")
    script = server_script(project)
    if node is None or script is None:
        raise UsageError("rethink serve --cms needs Node.js and the npm package decap-server: install Node.js "
                         "(Debian: apt-get install nodejs npm), then run `npm ci` in the site folder (./dev test "
                         "does it). Without them, edit the files in content/ with a text editor.")
    port = port or free_port()
    env = {**os.environ, "PORT": str(port), "BIND_HOST": LOOPBACK, "MODE": "fs",
           "GIT_REPO_DIRECTORY": str(project.resolve()), "LOG_LEVEL": "warn"}
    process = subprocess.Popen([node, str(script)], cwd=project, env=env, stdin=subprocess.DEVNULL)
    backend = LocalBackend(f"http://{LOOPBACK}:{port}/api/v1", process)
    deadline = time.monotonic() + wait_seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise UsageError(f"decap-server stopped at once (exit code {process.returncode}); is port {port} taken?")
        if answers(backend.api_url):
            return backend
        time.sleep(0.1)
    backend.stop()
    raise UsageError(f"decap-server did not answer on {backend.api_url} within {wait_seconds:.0f} s")


def answers(api_url: str) -> bool:
    """True once the backend replies to Decap's first question (`info`)."""
    request = urllib.request.Request(api_url, data=b'{"action":"info"}', headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=1) as response:
            return response.status == 200
    except OSError:
        return False
