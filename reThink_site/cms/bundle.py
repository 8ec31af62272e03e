"""The CMS program, pinned: where the setup puts Decap CMS, and the setup step that fetches and checks it.

Decap CMS is published on npm as one tarball with its browser bundle built. Installing it with npm would
pull a few hundred build-time packages, so the setup fetches that one tarball from the npm registry with
Python, checks it against the pinned sha512 (npm's `integrity`), and keeps only the files a browser loads.
Run `python -m reThink_site.cms.bundle [FOLDER]` (./dev does); nothing is fetched while building.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import re
import sys
import tarfile
import tempfile
import urllib.request
from pathlib import Path
from typing import Optional

from reThink_site.core.install import PACKAGE_DIR

NAME = "decap-cms"
VERSION = "3.16.3"
TARBALL = f"https://registry.npmjs.org/{NAME}/-/{NAME}-{VERSION}.tgz"
INTEGRITY = "sha512-hf+dPlCh7TJmWl8+6VRzHYOWhri5xgUknrZbDewaWe4s9B7xJ8PQugp2QHeSldMUKzav6+z0oIpwUYhUJDYtYw=="
FOLDER = Path("vendor") / f"{NAME}-{VERSION}"  # inside the site folder or the checkout the package runs from
MAIN = "decap-cms.js"
BROWSER_FILES = re.compile(r"^package/dist/((?:\d+\.)?decap-cms\.js|[0-9a-f]+\.wasm|cms\.js\.LICENSE\.txt)$")


def bundle_folder(project: Path) -> Optional[Path]:
    """The installed bundle for a site: its own vendor/ folder, else the checkout's; None when not installed."""
    for root in (project, PACKAGE_DIR.parent):
        folder = root / FOLDER
        if (folder / MAIN).is_file():
            return folder
    return None


def bundle_files(folder: Path) -> list[Path]:
    """The files a browser loads, in a stable order."""
    return sorted(p for p in folder.iterdir() if p.is_file())


def matches_integrity(data: bytes, integrity: Optional[str] = None) -> bool:
    """npm's Subresource Integrity check: `sha512-` and the base64 digest of the tarball (the pin by default)."""
    algorithm, _, expected = (integrity or INTEGRITY).partition("-")
    return base64.b64encode(hashlib.new(algorithm, data).digest()).decode("ascii") == expected


def unpack(data: bytes, target: Path) -> list[str]:
    """Write the browser's files from the tarball into target (made whole beside it, then renamed)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".fetching-", dir=target.parent))
    names = []
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        for member in archive.getmembers():
            match = BROWSER_FILES.match(member.name)
            if member.isfile() and match:
                source = archive.extractfile(member)
                assert source is not None
                (staging / match.group(1)).write_bytes(source.read())
                names.append(match.group(1))
    if MAIN not in names:
        raise ValueError(f"the {NAME} tarball holds no dist/{MAIN}")
    staging.chmod(0o755)
    if target.exists():
        _swap(staging, target)
    else:
        os.replace(staging, target)
    return sorted(names)


def _swap(staging: Path, target: Path) -> None:
    """Replace an existing (incomplete) folder by the new one."""
    old = target.with_name(target.name + ".old")
    os.replace(target, old)
    os.replace(staging, target)
    for path in old.iterdir():
        path.unlink()
    old.rmdir()


def fetch(root: Path, opener=urllib.request.urlopen) -> Path:
    """Download the pinned tarball, refuse it unless it matches INTEGRITY, and unpack it under root."""
    with opener(TARBALL, timeout=120) as response:
        data = response.read()
    if not matches_integrity(data):
        raise ValueError(f"{TARBALL} does not match the pinned integrity {INTEGRITY[:20]}…; refusing it")
    target = root / FOLDER
    unpack(data, target)
    return target


def main(argv: list[str]) -> int:
    """Set up the bundle in the folder given (the current one by default) unless it is there already."""
    root = Path(argv[0]) if argv else Path.cwd()
    if (root / FOLDER / MAIN).is_file():
        return 0
    try:
        target = fetch(root)
    except (OSError, ValueError) as err:
        print(f"warning: could not fetch {NAME} {VERSION} from the npm registry ({err}); the site builds, "
              "but /admin/ has no editor until this step succeeds", file=sys.stderr)
        return 1
    print(f"Installed {NAME} {VERSION} (integrity checked) in {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
