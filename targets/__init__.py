"""The target registry: one module per architecture, one line here per target."""
from __future__ import annotations

import importlib
from typing import Dict

from .base import Target

#: name -> (module, attribute); imported on first use.
_REGISTRY = {
    "x86_64": ("targets.x86_64", "TARGET"),
    "arm": ("targets.arm", "ARM"),
    "thumb": ("targets.arm", "THUMB"),
    "aarch64": ("targets.aarch64", "TARGET"),
}
ALIASES = {"x86-64": "x86_64", "amd64": "x86_64", "arm64": "aarch64", "armv7": "arm", "thumbv7": "thumb",
           "a32": "arm", "t32": "thumb"}

NAMES = tuple(_REGISTRY)


def get(name: str) -> Target:
    """The `Target` called `name` (or an alias); KeyError-free: raises `LookupError`."""
    key = ALIASES.get(name, name)
    if key not in _REGISTRY:
        raise LookupError(f"unknown target {name!r}; known targets: {', '.join(NAMES)}")
    module, attr = _REGISTRY[key]
    return getattr(importlib.import_module(module), attr)


def all_targets() -> Dict[str, Target]:
    """Every registered target by name."""
    return {n: get(n) for n in NAMES}
