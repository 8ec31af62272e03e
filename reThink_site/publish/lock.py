"""One build of a site at a time: two at once (`serve --drafts` beside `build`) would publish a mix of both."""

from __future__ import annotations

import fcntl
import os
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from reThink_site.core.errors import UsageError


def tell_stderr(message: str) -> None:
    """Say on stderr why the build is waiting (stdout may be a pipe someone parses)."""
    sys.stderr.write(message + "\n")
    sys.stderr.flush()


@contextmanager
def site_lock(project: Path, waiting: Callable[[str], None] = tell_stderr) -> Iterator[None]:
    """Hold an exclusive lock on the project folder for a whole build; wait (saying so) while another holds it.

    Taken before anything is read, since planning reads the live output and its records: a build that
    planned while another published would reuse the other's files. The lock is a `flock` on the project
    folder itself, so nothing is created for it and it is released by the kernel when the process dies,
    however it dies. Worker processes share it while they run; detached helpers close it at once.
    """
    try:
        fd = os.open(project, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))  # not inherited by programs run
    except OSError as err:
        raise UsageError(f"cannot open the site folder {project}: {err.strerror}") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            waiting(f"Another build of this site is running (rethink build or serve in {project}); "
                    "waiting for it to finish...")
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)
