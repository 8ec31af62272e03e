"""Patches an older site tree into the new one: unchanged files stay, the rest are rewritten or removed."""

from __future__ import annotations

import os
import posixpath
import shutil
from pathlib import Path
from typing import Iterable, Mapping, Sequence

from reThink_site.core.outputs import OutputFile
from reThink_site.publish.writer import checked_path, ensure_dir, raise_write_error, write_file

FileRecord = tuple[int, int, int, str]  # inode, size, mtime_ns, digest


def patch_tree(root: Path, files: Sequence[OutputFile], digests: Mapping[str, str], reuse: Mapping[str, str],
               found: Mapping[str, os.stat_result]) -> dict[str, FileRecord]:
    """Make a reused tree hold exactly the planned files, writing only new or changed ones.

    `reuse` has the digests of the trusted files already in the tree and `found` everything in it: a
    file whose digest is unchanged is kept, everything else found is deleted. Returns (inode, size,
    mtime, digest) per file, to trust the tree next time.
    """
    paths = [checked_path(item.path) for item in files]
    keep = {path for item, path in zip(files, paths)
            if reuse.get(path) is not None and reuse.get(path) == digests.get(item.path)}
    base, made, records = str(root), set(), {}
    try:
        remove_strays(base, [p for p in found if p not in keep])
        for item, path in zip(files, paths):
            if path in keep:
                st = found[path]
            else:
                ensure_dir(base, posixpath.dirname(path), made, replace=True)
                st = write_file(base, item, path, replace=True)
            records[path] = (st.st_ino, st.st_size, st.st_mtime_ns, digests.get(item.path, ""))
    except OSError as err:
        raise_write_error(err, base)
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
        ensure_dir(base, posixpath.dirname(path), made, replace=False)
        os.link(os.path.join(source, path), os.path.join(base, path))


