"""统计表: counts and shares of serving cadres by line, unit, age band, gender, 学历 and grade, each
sheet with a native Excel chart (openpyxl.chart)."""

from __future__ import annotations

import datetime as _dt
from collections import Counter
from pathlib import Path

from cadre_desk.access import permissions, reads
from cadre_desk.domain import clock, codes
from cadre_desk.domain.dates import age_at, format_date
from cadre_desk.domain.progress import NO_PROGRESS, Progress
from cadre_desk.settings import settings

AGE_BANDS = ((0, 30, "30岁及以下"), (31, 35, "31—35岁"), (36, 40, "36—40岁"), (41, 45, "41—45岁"),
             (46, 50, "46—50岁"), (51, 55, "51—55岁"), (56, 200, "56岁及以上"))
EDUCATION_GROUPS = (("1", "研究生"), ("2", "大学本科"), ("3", "大专"), ("", "中专及以下"))


def age_band(birth: str, today: _dt.date) -> str:
    age = age_at(birth, today) if birth else None
    if age is None:
        return "未填写"
    for low, high, label in AGE_BANDS:
        if low <= age <= high:
            return label
    return "未填写"


def education_group(code: str) -> str:
    if not code:
        return "未填写"
    code = str(code)
    if code.startswith("1"):
        return "研究生"
    if code.startswith("2"):
        return "大学本科"
    if code in ("3", "31", "32", "34"):
        return "大专"
    return "中专及以下"


def highest_education(ft: str, pt: str) -> str:
    order = {"研究生": 0, "大学本科": 1, "大专": 2, "中专及以下": 3, "未填写": 9}
    return min(education_group(ft), education_group(pt), key=lambda g: order[g])


def _line_counts(cadre_ids: set[int]) -> Counter | None:
    """Serving cadres on an active frontline posting, by line (None without the postings capability)."""
    try:
        from cadre_desk.postings import postings  # type: ignore[attr-defined]
    except ImportError:
        return None
    counts: Counter = Counter()
    for info in postings.visible_postings(state="在岗"):
        if info.cadre_id in cadre_ids:
            counts[info.line_name or "未分线"] += 1
    return counts


def collect(today: _dt.date | None = None) -> dict[str, list[tuple[str, int]]]:
    """{dimension title: [(category, count)]} over cadres whose status is 在职."""
    from cadre_desk.units import units

    today = today or clock.today()
    rank_names = codes.table("RANK")
    gender_names = codes.table("GB22611")
    unit_names = units.path_names()
    unit_top = {uid: (full.split("/")[1] if full.count("/") >= 1 else full) for uid, full in unit_names.items()}
    by: dict[str, Counter] = {k: Counter() for k in ("单位", "年龄段", "性别", "学历", "职务层次/职级")}
    ids: set[int] = set()
    # a user limited to some units counts only theirs
    rows = reads.cadre_rows(("unit", "birth", "gender", "ft_education", "pt_education", "rank"), status="1")
    for cid, unit_id, birth, gender, ft, pt, rank in rows:
        ids.add(cid)
        by["单位"][unit_top.get(unit_id, "未知单位")] += 1
        by["年龄段"][age_band(birth, today)] += 1
        by["性别"][gender_names.name(gender) or "未填写"] += 1
        by["学历"][highest_education(ft, pt)] += 1
        by["职务层次/职级"][rank_names.name(rank) or "未填写"] += 1
    order = {
        "年龄段": [label for *_r, label in AGE_BANDS] + ["未填写"],
        "学历": ["研究生", "大学本科", "大专", "中专及以下", "未填写"],
        "职务层次/职级": rank_names.names() + ["未填写"],
        "性别": gender_names.names() + ["未填写"],
    }
    out: dict[str, list[tuple[str, int]]] = {}
    lines = _line_counts(ids)
    if lines is not None:
        out["一线锻炼（在岗）"] = sorted(lines.items(), key=lambda kv: -kv[1])
    for title, counter in by.items():
        if title in order:
            ranks = {name: i for i, name in enumerate(order[title])}
            items = sorted(counter.items(), key=lambda kv: ranks.get(kv[0], 999))
        else:
            items = sorted(counter.items(), key=lambda kv: -kv[1])
        out[title] = items
    out["_total"] = [("在职干部", len(ids))]
    return out


def export_stats(path: str | Path, progress: Progress = NO_PROGRESS, reason: str = "") -> Path:
    import openpyxl
    from openpyxl.chart import BarChart, PieChart, Reference
    from openpyxl.chart.label import DataLabelList
    from openpyxl.styles import Alignment, Font

    from reports.excel.excel_roster import audit_export, print_setup, save_atomic

    permissions.require(permissions.EXPORT)
    progress.report(0, 0, "正在统计…")
    data = collect()
    total = data.pop("_total")[0][1]
    department = settings.get("department_name") or ""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    today = clock.today()
    summary = wb.create_sheet("总览")
    summary.append([f"{department}干部统计表（{format_date(today)}）"])
    summary["A1"].font = Font(bold=True, size=14)
    summary.append(["在职干部总数", total])
    summary.column_dimensions["A"].width = 24
    print_setup(summary, landscape=False)
    for n, (title, items) in enumerate(data.items(), 1):
        progress.report(n, len(data), f"正在生成“{title}”…")
        ws = wb.create_sheet(title.replace("/", "、"))
        ws.append([f"在职干部按{title}统计"])
        ws["A1"].font = Font(bold=True, size=14)
        ws.append([title, "人数", "占比"])
        for cell in ws[2]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(horizontal="center")
        base = sum(c for _, c in items) or 1
        for name, count in items:
            ws.append([name, count, count / base])
            ws.cell(ws.max_row, 3).number_format = "0.0%"
        ws.append(["合计", sum(c for _, c in items), 1 if items else 0])
        ws.cell(ws.max_row, 3).number_format = "0.0%"
        for cell in ws[ws.max_row]:
            cell.font = Font(bold=True)
        ws.column_dimensions["A"].width = 28
        ws.column_dimensions["B"].width = 10
        ws.column_dimensions["C"].width = 10
        ws.freeze_panes = "A3"
        ws.auto_filter.ref = f"A2:C{2 + len(items)}"  # the categories, not the 合计 row
        print_setup(ws, landscape=bool(items))
        if not items:
            continue
        last = 2 + len(items)
        labels = Reference(ws, min_col=1, min_row=3, max_row=last)
        values = Reference(ws, min_col=2, min_row=2, max_row=last)
        if title in ("性别", "学历"):
            chart = PieChart()
            chart.dataLabels = DataLabelList()
            chart.dataLabels.showPercent = True
        else:
            chart = BarChart()
            chart.type = "col"
            chart.y_axis.title = "人数"
            chart.legend = None
        chart.title = f"按{title}统计"
        chart.add_data(values, titles_from_data=True)
        chart.set_categories(labels)
        chart.height, chart.width = 9, 16
        ws.add_chart(chart, "E2")
        summary.append([f"按{title}：{len(items)} 类"])
    save_atomic(wb, Path(path))
    audit_export("统计表", path, total, reason)
    return Path(path)
