"""Writes a complete new site beside the old one and swaps it in atomically."""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import gc
import os
import posixpath
import re
import shutil
import stat
import time
from pathlib import Path
from typing import Callable, Iterable, Mapping, Optional

from reThink_site.errors import SiteError, UsageError
from reThink_site.outputs import OutputFile

STAGING_PREFIX = ".rethink-staging-"
RETIRED_PREFIX = ".rethink-retired-"
MARKER = ".rethink-output"  # written into every site the build makes; a folder without it is not ours
RENAME_EXCHANGE = 2
AT_FDCWD = -100


def check_output_dir(output: Path, project: Path) -> None:
    """Refuse output folders whose replacement would destroy the project or a home."""
    out, root = output.resolve(), project.resolve()
    home = Path.home().resolve()
    reasons = []
    if out == Path(out.anchor):
        reasons.append("it is the file-system root")
    if out == home:
        reasons.append("it is your home folder")
    if out == root or out in root.parents:
        reasons.append("it is the project folder or one of its parents")
    if out.is_dir() and any((out / name).exists() for name in ("content", "templates", "site.yaml")):
        reasons.append("it holds content/, templates/ or site.yaml")
    for source in ("content", "templates", ".git"):
        folder = (root / source).resolve()
        if out == folder or folder in out.parents:
            reasons.append(f"it is inside the project's {source}/ folder")
    if out.exists() and not out.is_dir():
        reasons.append("it is a file, not a folder")
    elif out.is_dir() and not (out / MARKER).exists() and any(out.iterdir()):
        reasons.append(f"it holds files that rethink did not build (no {MARKER} marker); replacing it would "
                       "delete them")
    if reasons:
        raise UsageError(f"refusing to build into {output}: {'; '.join(reasons)}. "
                         "Choose an empty folder or one the build made, such as output/.")


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step with renameat2(RENAME_EXCHANGE); False where unsupported."""
    libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def clean_leftovers(output: Path) -> None:
    """Remove what a killed build left beside the output folder; put back an output killed mid-swap."""
    parent = output.parent
    if not parent.is_dir():
        return
    mine = re.compile(f"({re.escape(STAGING_PREFIX)}|{re.escape(RETIRED_PREFIX)}){re.escape(output.name)}-[0-9]+")
    ours = [child for child in sorted(parent.iterdir()) if mine.fullmatch(child.name)]
    retired = [child for child in ours if child.name.startswith(RETIRED_PREFIX) and child.is_dir()]
    if not output.exists() and retired:  # killed between the two renames of the fallback swap
        os.rename(retired[0], output)
        ours.remove(retired[0])
    for child in ours:
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child, ignore_errors=True)
        else:
            child.unlink(missing_ok=True)


def staging_dir(output: Path) -> Path:
    """A fresh folder beside the output folder (same file system, so the swap is a rename)."""
    output.parent.mkdir(parents=True, exist_ok=True)
    path = output.parent / f"{STAGING_PREFIX}{output.name}-{os.getpid()}"
    shutil.rmtree(path, ignore_errors=True)
    make_site_dir(path)
    return path


def make_site_dir(path: Path) -> None:
    """Create an empty site folder holding only the marker that says the build made it."""
    path.mkdir()
    ensure_marker(path)


def ensure_marker(path: Path) -> None:
    """Write the marker that lets a later build replace this folder."""
    marker = path / MARKER
    if not marker.is_file():
        marker.write_text("Built by rethink; the next build replaces this whole folder.\n", encoding="utf-8")


def _checked(path: str) -> str:
    """The path, if it stays inside the output folder whatever folders it names."""
    clean = posixpath.normpath(path)
    if not path or clean.startswith("/") or clean == ".." or clean.startswith("../") or "\0" in path:
        raise UsageError(f"refusing to write outside the output folder: {path}")
    return clean


def _ensure_dir(root: str, folder: str, made: set[str], replace: bool) -> None:
    """Create folder (relative to root) and its parents once each, never through a symbolic link."""
    if not folder or folder in made:
        return
    _ensure_dir(root, posixpath.dirname(folder), made, replace)
    full = os.path.join(root, folder)
    try:
        os.mkdir(full)
    except FileExistsError:
        mode = os.lstat(full).st_mode
        if stat.S_ISLNK(mode) and not replace:
            raise UsageError(f"refusing to write outside the output folder: {folder} is a symbolic link") from None
        if not stat.S_ISDIR(mode):  # a file or link of an older tree stands where a folder goes now
            os.unlink(full)
            os.mkdir(full)
    made.add(folder)


def _write_one(root: str, item: OutputFile, path: str, replace: bool) -> os.stat_result:
    """Write one file (replacing what a reused tree holds there) and return its status."""
    target = os.path.join(root, path)
    if replace and os.path.lexists(target):
        if os.path.isdir(target) and not os.path.islink(target):
            shutil.rmtree(target)
        else:
            os.unlink(target)  # never rewrite in place: the inode may be shared with the live site
    if item.source is not None:
        shutil.copyfile(item.source, target)
        return os.stat(target)
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
    with os.fdopen(fd, "wb") as handle:
        handle.write(item.data or b"")
        handle.flush()
        return os.fstat(handle.fileno())


def write_tree(root: Path, files: Iterable[OutputFile], digests: Optional[Mapping[str, str]] = None,
               reuse: Optional[Mapping[str, str]] = None,
               found: Optional[Mapping[str, os.stat_result]] = None) -> dict[str, tuple[int, int, int, str]]:
    """Write every output file under root, or patch a reused tree into shape; paths must stay inside it.

    With `reuse` (digests of trusted files already in the tree) and `found` (everything in the tree), a
    file whose digest is unchanged is kept, everything else found is deleted, and only new or changed
    files are written. Returns (inode, size, mtime, digest) per file, to trust the tree next time.
    """
    files = list(files)
    replace = found is not None
    paths = [_checked(item.path) for item in files]
    keep = {path for item, path in zip(files, paths)
            if reuse and digests and reuse.get(path) is not None and reuse.get(path) == digests.get(item.path)}
    base, made, records = str(root), set(), {}
    try:
        if replace:
            remove_strays(base, [p for p in (found or {}) if p not in keep])
        for item, path in zip(files, paths):
            digest = digests.get(item.path, "") if digests else ""
            if path in keep:
                st = (found or {})[path]
            else:
                _ensure_dir(base, posixpath.dirname(path), made, replace)
                st = _write_one(base, item, path, replace)
            records[path] = (st.st_ino, st.st_size, st.st_mtime_ns, digest)
    except OSError as err:
        name = getattr(err, "filename", None) or ""
        raise SiteError(f"cannot write {os.path.relpath(name, base)[:120] if name else 'the site'}: "
                        f"{err.strerror or err}; the previous site is left in place") from None
    return records


def remove_strays(root: str, paths: Iterable[str]) -> None:
    """Delete files a reused tree no longer needs, then the folders they leave empty."""
    emptied = set()
    for path in paths:
        full = os.path.join(root, path)
        try:
            os.unlink(full)
        except IsADirectoryError:
            shutil.rmtree(full, ignore_errors=True)
        except FileNotFoundError:
            continue
        emptied.add(posixpath.dirname(path))
    for folder in sorted(emptied, key=lambda f: -f.count("/")):
        while folder:
            try:
                os.rmdir(os.path.join(root, folder))
            except OSError:
                break  # not empty: a page still lives here
            folder = posixpath.dirname(folder)


def walk_files(root: Path) -> dict[str, os.stat_result]:
    """Everything but folders under root, by relative POSIX path, with lstat results (links not followed)."""
    out: dict[str, os.stat_result] = {}
    pending = [("", str(root))]
    while pending:
        prefix, folder = pending.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                rel = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    pending.append((rel + "/", entry.path))
                else:
                    out[rel] = entry.stat(follow_symlinks=False)
    return out


def clone_tree(source: Path, target: Path, paths: Iterable[str]) -> None:
    """Make target hold hard links to the given files of source (a cheap copy of an unchanged site)."""
    made: set[str] = set()
    base = str(target)
    for path in paths:
        _ensure_dir(base, posixpath.dirname(path), made, replace=False)
        os.link(os.path.join(source, path), os.path.join(base, path))


def publish(staging: Path, output: Path, background: bool = False) -> None:
    """Make the staged tree the output folder in one atomic step, then drop the old tree."""
    if swap_in(staging, output, background):
        remove_old_site(staging, output, background)  # staging now holds the old site


def swap_in(staging: Path, output: Path, background: bool = True) -> bool:
    """Make staging the output folder atomically; True when the old site now sits at staging's path."""
    if output.is_symlink():
        raise UsageError(f"{output} is a symbolic link; refusing to replace it")
    if output.exists() and _exchange(staging, output):
        return True
    if output.exists():
        retired = output.parent / f"{RETIRED_PREFIX}{output.name}-{os.getpid()}"
        os.rename(output, retired)
        os.rename(staging, output)
        remove_old_site(retired, output, background)
        return False
    os.rename(staging, output)
    return False


def remove_old_site(tree: Path, output: Path, background: bool, doomed: Optional[Path] = None) -> None:
    """Delete the retired site now, or (for big sites) after the build has returned."""
    if background:
        remove_in_background(tree, output, doomed)
    else:
        shutil.rmtree(tree, ignore_errors=True)


def remove_in_background(tree: Path, output: Path, doomed: Optional[Path] = None) -> None:
    """Delete a retired site after the build returns; thousands of rmdirs need not hold it up.

    The tree is first renamed to a unique retired name (so no later staging folder can collide with
    it, and clean_leftovers finishes the job if the deleter is killed), then a detached grandchild
    process removes it at low priority.
    """
    doomed = doomed or output.parent / f"{RETIRED_PREFIX}{output.name}-{os.getpid()}{time.monotonic_ns()}"
    try:
        os.rename(tree, doomed)
    except OSError:
        doomed = tree
    run_detached(lambda: shutil.rmtree(doomed, ignore_errors=True))


def run_detached(work: Callable[[], object], keep: Optional[int] = None) -> None:
    """Run work in a detached, low-priority grandchild, so the build returns without waiting for it.

    The grandchild keeps only the descriptor `keep` (a lock it takes over) and has stdin, stdout and
    stderr on /dev/null: whoever reads the build's output or waits on a lock it held is not held up.
    Without fork the work is done before returning.
    """
    if not hasattr(os, "fork"):
        work()
        return
    child = os.fork()
    if child == 0:
        try:
            if os.fork() == 0:
                gc.freeze()  # the inherited heap is never collected, so its pages are never copied
                os.setsid()
                os.nice(10)
                _only_keep(keep)
                work()
        finally:
            os._exit(0)
    os.waitpid(child, 0)


def _only_keep(keep: Optional[int]) -> None:
    """Close every inherited descriptor but `keep`, and point the standard streams at /dev/null."""
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    limit = os.sysconf("SC_OPEN_MAX") if hasattr(os, "sysconf") else 4096
    if keep is None:
        os.closerange(3, limit)
    else:
        os.closerange(3, keep)
        os.closerange(keep + 1, limit)
