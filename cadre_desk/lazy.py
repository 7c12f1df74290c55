"""References to functions in modules that are imported on first use (start-up stays light)."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any


def lazy(module: str, name: str, *extra: Any) -> Callable[..., Any]:
    """``module.name(*args, *extra, **kwargs)``, the module imported on the first call."""

    def call(*args: Any, **kwargs: Any) -> Any:
        return getattr(importlib.import_module(module), name)(*args, *extra, **kwargs)

    call.__qualname__ = call.__name__ = f"{module}.{name}"
    return call
