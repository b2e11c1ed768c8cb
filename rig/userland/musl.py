"""Where the ziglang package keeps musl, and which functions musl defines."""
from __future__ import annotations

import functools
import importlib.util
import re
from pathlib import Path
from typing import FrozenSet, Optional


def musl_root() -> Optional[Path]:
    """musl's source tree inside the ziglang package (`lib/libc/musl`), or None."""
    spec = importlib.util.find_spec("ziglang")
    if spec is None or not spec.origin:
        return None
    root = Path(spec.origin).parent / "lib" / "libc" / "musl"
    return root if (root / "src").is_dir() else None


_EXPORT = re.compile(r'symbol\(&[A-Za-z_0-9.]+,\s*"([A-Za-z_0-9]+)"\)')


@functools.lru_cache(maxsize=1)
def _defined() -> FrozenSet[str]:
    root = musl_root()
    if root is None:
        return frozenset()
    # musl keeps one public function per file, named after it (src/stdlib/strtod.c):
    # the file names are the index, read without parsing C.  zig 0.17 builds part
    # of libc from Zig instead (lib/c/*.zig: qsort, strlen, ...), exported by name.
    names = {p.stem for p in (root / "src").glob("*/*.c") if not p.stem.startswith("__")}
    for z in (root.parent.parent / "c").rglob("*.zig"):
        try:
            names.update(_EXPORT.findall(z.read_text(errors="replace")))
        except OSError:
            continue
    return frozenset(names)


def musl_defines(name: str) -> bool:
    """True when the libc zig builds for `<arch>-linux-musl` (musl's sources and
    zig's own part) has function `name` (qsort, strtod, ...)."""
    return name in _defined()
