"""Writing results so that a failed or interrupted run leaves nothing half-written.

A results folder (``results/<scenario>``, ``results/compare_<a>_vs_<b>``) is written to a hidden
temporary folder beside it and then put in place in one step: on Linux the two folders are
swapped by ``renameat2(RENAME_EXCHANGE)``, so at every instant the folder holds the old results
or the new ones, complete; the old ones (now in the temporary folder) are then deleted. Where
the swap is not available (another system or file system) the old folder is renamed aside and
the new one renamed into place; a process killed between those two renames leaves the old
results aside, and the next run into the same folder puts them back. Leftovers of interrupted
runs (temporary and set-aside folders of processes that no longer exist) are removed by the
next run into the same folder.
"""

from __future__ import annotations

import ctypes
import errno
import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _renameat2():
    """libc's renameat2, or None where there is none."""
    try:
        fn = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return None
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    fn.restype = ctypes.c_int
    return fn


def exchange(a: Path, b: Path) -> bool:
    """Swap the folders `a` and `b` in one step; False (nothing done) where that is not supported."""
    fn = _renameat2()
    if fn is None:
        return False
    if fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.EXDEV):
        return False
    raise OSError(err, os.strerror(err), str(b))


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def leftovers(target: Path) -> dict[str, list[Path]]:
    """Temporary (``tmp``) and set-aside (``old``) folders of `target` left by dead processes."""
    found: dict[str, list[Path]] = {"tmp": [], "old": []}
    pattern = re.compile(rf"^\.{re.escape(target.name)}\.(tmp|old)-(\d+)$")
    if not target.parent.is_dir():
        return found
    for p in target.parent.iterdir():
        m = pattern.match(p.name)
        if m and not _alive(int(m.group(2))):
            found[m.group(1)].append(p)
    return found


def recover(target: Path) -> None:
    """Put back results set aside by a run killed between its two renames; remove leftovers."""
    left = leftovers(target)
    if not target.exists() and left["old"]:
        newest = max(left["old"], key=lambda p: p.stat().st_mtime)
        newest.rename(target)
        left["old"].remove(newest)
    for p in left["tmp"] + left["old"]:
        shutil.rmtree(p, ignore_errors=True)


def replace_dir(tmp: Path, target: Path) -> None:
    """Put the finished folder `tmp` in place of `target` (see the module docstring)."""
    if not target.exists():
        tmp.rename(target)
        return
    if exchange(tmp, target):
        shutil.rmtree(tmp, ignore_errors=True)  # it now holds the old results
        return
    old = target.parent / f".{target.name}.old-{os.getpid()}"
    target.rename(old)
    tmp.rename(target)
    shutil.rmtree(old, ignore_errors=True)


@contextmanager
def atomic_dir(target: Path) -> Iterator[Path]:
    """Yield a temporary folder beside `target`; on success it replaces `target` in one step.

    On any exception the temporary folder is removed and `target` is left as it was.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    recover(target)
    tmp = target.parent / f".{target.name}.tmp-{os.getpid()}"
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir()
    try:
        yield tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    replace_dir(tmp, target)


class FolderInUse(Exception):
    """A batch folder another process is writing to (the command exits with code 2)."""
