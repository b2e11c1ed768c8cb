"""Files a program may read: host directories the user mounts, read-only.

`mounts` maps a guest directory ("/data") to a host directory.  A guest path
is made absolute (the working directory is "/") and normalised the way Linux
resolves "..": it never climbs above "/" and ends wherever the text says, so
"/data/../etc/passwd" is "/etc/passwd", outside every mount (-ENOENT).  Under a
mount the host path is resolved with its symbolic links, and must stay inside
the mount's own resolved directory (-EACCES otherwise).  Nothing is ever
written; an open for writing under a mount is -EROFS.
"""
from __future__ import annotations

import os
import posixpath
import stat as _stat
import zlib
from dataclasses import dataclass
from typing import Dict, Mapping, Optional, Tuple, Union

from .syscalls import EACCES, ENAMETOOLONG, ENOENT, Errno

PATH_MAX = 4096


@dataclass
class OpenFile:
    """An open file description: a host file (or directory) and the position."""

    guest: str                  #: the guest path it was opened as
    host: str                   #: the resolved host path
    fd: Optional[int]           #: the host descriptor (None for a directory)
    directory: bool
    flags: int
    mount: int                  #: index of its mount (its st_dev)
    pos: int = 0


class Mounts:
    """Guest directories backed by host directories, read-only."""

    def __init__(self, mounts: Optional[Mapping[str, Union[str, os.PathLike]]] = None):
        self._mounts: Dict[str, Tuple[str, int]] = {}
        for i, (guest, host) in enumerate(sorted((mounts or {}).items())):
            g = normalise(guest)
            h = os.path.realpath(os.fspath(host))
            if not os.path.isdir(h):
                raise ValueError(f"mount {guest!r}: {host!r} is not a directory")
            self._mounts[g] = (h, i)

    def __bool__(self) -> bool:
        return bool(self._mounts)

    def _mount_of(self, guest: str) -> Optional[str]:
        best = None
        for g in self._mounts:
            if guest == g or guest.startswith(g.rstrip("/") + "/"):
                if best is None or len(g) > len(best):
                    best = g
        return best

    def under(self, guest: str) -> bool:
        """True when a normalised guest path lies under a mount (existing or not)."""
        return self._mount_of(guest) is not None

    def resolve(self, guest: str) -> Tuple[str, int]:
        """(host path, mount index) of a normalised absolute guest path, or Errno."""
        best = self._mount_of(guest)
        if best is None:
            raise Errno(ENOENT)
        root, index = self._mounts[best]
        rest = guest[len(best):].lstrip("/")
        host = os.path.join(root, *rest.split("/")) if rest else root
        real = os.path.realpath(host)
        if real != root and not real.startswith(root.rstrip(os.sep) + os.sep):
            raise Errno(EACCES)            # a symbolic link out of the mount
        if not os.path.exists(real):
            raise Errno(ENOENT)
        return real, index


def normalise(path: str, cwd: str = "/") -> str:
    """An absolute guest path with "." and ".." resolved textually (never above "/")."""
    if len(path) >= PATH_MAX:
        raise Errno(ENAMETOOLONG)
    full = posixpath.join(cwd, path)
    parts = []
    for part in full.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if parts:
                parts.pop()
            continue
        parts.append(part)
    return "/" + "/".join(parts)


class StatInfo:
    """What fstat/statx report, as plain numbers (read-only files, fixed owner)."""

    def __init__(self, *, mode: int, size: int = 0, ino: int = 1, dev: int = 1, nlink: int = 1,
                 uid: int = 0, gid: int = 0, rdev: int = 0, blksize: int = 4096, mtime: Tuple[int, int] = (0, 0)):
        self.mode, self.size, self.ino, self.dev, self.nlink = mode, size, ino, dev, nlink
        self.uid, self.gid, self.rdev, self.blksize = uid, gid, rdev, blksize
        self.blocks = (size + 511) // 512
        self.mtime = mtime

    @classmethod
    def of_host(cls, host: str, guest: str, mount: int, uid: int, gid: int) -> "StatInfo":
        st = os.stat(host)
        # Read-only: no write bits.  The inode is a hash of the guest path, so runs
        # on other machines see the same numbers; the times are the file's own.
        mode = st.st_mode & ~0o222
        return cls(mode=mode, size=st.st_size if _stat.S_ISREG(st.st_mode) else 4096,
                   ino=zlib.crc32(guest.encode()) | 1, dev=0x800 + mount, nlink=st.st_nlink if
                   _stat.S_ISDIR(st.st_mode) else 1, uid=uid, gid=gid,
                   mtime=(st.st_mtime_ns // 10**9, st.st_mtime_ns % 10**9))


def pipe_stat(fd: int, uid: int, gid: int) -> StatInfo:
    """stdin/stdout/stderr: pipes (not terminals, so stdio buffers stdout fully)."""
    return StatInfo(mode=_stat.S_IFIFO | 0o600, ino=fd + 1, dev=0xC, uid=uid, gid=gid)
