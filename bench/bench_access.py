"""The scoped read path on 100,000 cadres: working an operator's scope out, and checking a whole
appraisal sheet of 2,000 members (units and 回避) in one batch against one check per member.

    python bench/bench_access.py [--db PATH] [--workdir DIR] [--repeat R]

Works on a copy of the demo database (bench/bench_foundation.py builds it; default
/tmp/cadre_desk_bench/demo-100000.sqlite3). Targets: the scope of an operator ≤ 500 ms (once per
login, and again only after an import; the 回避 part, about a second here, is read off the GUI
thread while the cadre list loads, not counted); a 2,000-member batch check ≤ 100 ms (issue 14: one check per
member took ≈ 0.7 s); a saved profile's 回避 update ≤ 20 ms."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench_foundation import ensure_database, median_ms, verdict  # noqa: E402

TARGETS = {"scope": 500.0, "batch": 100.0, "saved": 20.0}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/cadre_desk_bench"))
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    source = args.db or ensure_database(args.workdir, 100_000, False)
    work = Path(tempfile.mkdtemp()) / "access.sqlite3"
    shutil.copy(source, work)

    from cadre_desk.access import context, permissions, scope
    from cadre_desk.features import register_all
    from cadre_desk.store.db import open_database
    from cadre_desk.store.models import Cadre

    register_all()
    open_database(work)
    first = Cadre.select().order_by(Cadre.id).first()
    members = [i for (i,) in Cadre.select(Cadre.id).order_by(Cadre.id).limit(2000).tuples()]
    operators = {
        "全部单位的经办人": context.Operator("all", roles=frozenset({"经办人"}), cadre_id=first.id),
        "一个单位的经办人": context.Operator("one", roles=frozenset({"经办人"}), unit_scopes=(first.unit_id,),
                                       cadre_id=first.id, id_number=first.id_number),
    }
    print(f"{'':<16}{'角色与单位':>10}{'回避（后台）':>12}{'2000人批量':>12}{'逐人检查':>10}{'保存后回避':>12}")
    ok = True
    for label, operator in operators.items():
        build, _ = median_ms(lambda op=operator: scope.build(op), args.repeat)
        avoid, _ = median_ms(lambda op=operator: scope.build(op).avoided, args.repeat)
        context.set_operator(operator)
        current = scope.current()
        batch, _ = median_ms(lambda c=current: c.refusals(permissions.EDIT, members), args.repeat)
        t = time.perf_counter()
        for cadre_id in members:
            current.refusal(permissions.EDIT, cadre_id=cadre_id)
        single = (time.perf_counter() - t) * 1000
        saved, _ = median_ms(lambda: (scope.cadres_changed([members[7]]), scope.current()), args.repeat)
        print(f"{label:<16}{build:>8.1f}ms{avoid - build:>10.0f}ms{batch:>10.1f}ms{single:>8.0f}ms{saved:>10.1f}ms")
        ok &= build <= TARGETS["scope"] and batch <= TARGETS["batch"] and saved <= TARGETS["saved"]
    print(f"目标：范围 ≤ {TARGETS['scope']:.0f} ms，2000 人批量 ≤ {TARGETS['batch']:.0f} ms，"
          f"保存后回避 ≤ {TARGETS['saved']:.0f} ms：{verdict(ok)}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
