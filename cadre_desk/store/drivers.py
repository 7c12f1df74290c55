"""peewee and the PostgreSQL driver: the driver is loaded only for a server database.

peewee imports psycopg (the PostgreSQL driver) whenever it is installed — 40–150 ms at every start of a
program that works on a SQLite file, more than a bare window takes to show. ``defer_server_driver``
(run once, before anything imports peewee) makes peewee's own import run with psycopg hidden, whenever
that import happens; ``load_server_driver`` (run before a server database is made) imports psycopg
and gives peewee what its own import would have set: the module, its JSON types, its transaction
states."""

from __future__ import annotations

import importlib.util
import sys


class _LoaderWithoutDriver:
    """peewee's own loader, its module code run while ``import psycopg`` fails. (A wrapper, not a
    patched loader: a frozen program's one loader serves every module. No importlib.abc base: importing
    it costs more at start-up than the protocol's two methods.)"""

    def __init__(self, loader) -> None:
        self._loader = loader

    def create_module(self, spec):
        return self._loader.create_module(spec)

    def exec_module(self, module) -> None:
        hidden = "psycopg" not in sys.modules
        if hidden:
            sys.modules["psycopg"] = None  # type: ignore[assignment] - ``import psycopg`` fails
        try:
            self._loader.exec_module(module)
        finally:
            if hidden:
                del sys.modules["psycopg"]

    def __getattr__(self, name):  # get_code, get_source, is_package … as peewee's own loader answers
        return getattr(self._loader, name)


class _PeeweeWithoutDriver:
    """Finds peewee as usual and hands out its loader wrapped."""

    def find_spec(self, name, path=None, target=None):
        if name != "peewee":
            return None
        sys.meta_path.remove(self)  # one import only; and find the real spec without us
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.loader is not None:
            spec.loader = _LoaderWithoutDriver(spec.loader)
        return spec


def defer_server_driver() -> None:
    """Have peewee imported without psycopg (a no-op once peewee is imported)."""
    if "peewee" in sys.modules or any(isinstance(f, _PeeweeWithoutDriver) for f in sys.meta_path):
        return
    sys.meta_path.insert(0, _PeeweeWithoutDriver())


def load_server_driver() -> None:
    """Give peewee the PostgreSQL driver it would have found at its import (a no-op when it has it)."""
    import peewee

    if peewee.psycopg is not None:
        return
    import psycopg
    from psycopg.pq import TransactionStatus
    from psycopg.types.json import Json, Jsonb

    peewee.psycopg, peewee.TransactionStatus = psycopg, TransactionStatus
    peewee.Json_pg3, peewee.Jsonb_pg3 = Json, Jsonb
    adapter = peewee.Psycopg3Adapter  # its transaction states are class attributes set at peewee's import
    adapter.txn_idle = TransactionStatus.IDLE
    adapter.txn_inerror = TransactionStatus.INERROR
    adapter.txn_unknown = TransactionStatus.UNKNOWN
