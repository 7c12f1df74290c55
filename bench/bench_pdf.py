"""Dossier PDFs per second for 1,000 cadres: cadre_desk's builder vs the same content with bare
reportlab in the same run; peak RSS. Targets (issue 6): ≤ 1.5× the bare time, ≤ 400 MB. Then the
政治体检提醒单 batch: the largest round of the database into one PDF, CPU per sheet (the best of three;
no target of its own: RESULTS_pdf.md keeps its history).

    python bench/bench_pdf.py [--cadres 1000] [--db PATH] [--sheets-only]
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bare_build(datas, path: Path) -> int:
    """The same text, tables and charts, written directly against reportlab (no escaping helper, no
    glyph check, no page totals, no atomic file, no long-cell splitting)."""
    from reportlab.graphics.charts.barcharts import VerticalBarChart
    from reportlab.graphics.shapes import Drawing, String
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    from reports.pdf.pdf_common import BODY_FONT, HEAD_FONT, register_fonts
    from reports.pdf.rmb import resume_lines

    register_fonts()
    body = ParagraphStyle("b", fontName=BODY_FONT, fontSize=10, leading=13, wordWrap="CJK")
    head = ParagraphStyle("h", fontName=HEAD_FONT, fontSize=14, leading=20)
    title = ParagraphStyle("t", fontName=HEAD_FONT, fontSize=30, leading=44, alignment=1)
    grid = TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("FONTNAME", (0, 0), (-1, -1), BODY_FONT)])

    def p(text, style=body):
        return Paragraph(escape(str(text or "")), style)

    def footer(canvas, doc):
        canvas.setFont(BODY_FONT, 8.5)
        canvas.drawCentredString(A4[0] / 2, 10 * mm, f"第 {doc.page} 页")
        canvas.drawRightString(A4[0] - 18 * mm, A4[1] - 12 * mm, "内部资料 注意保密")

    from reports.pdf.dossier_data import birth_with_age
    from reports.pdf.rmb import P1_COLS, education

    label = ParagraphStyle("l", parent=body, fontName=HEAD_FONT, alignment=1)
    center = ParagraphStyle("c", parent=body, alignment=1)
    grid_cmds = [("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("FONTNAME", (0, 0), (-1, -1), BODY_FONT),
                 ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
    spans = [("SPAN", (6, 0), (6, 3)), ("SPAN", (1, 3), (2, 3)), ("SPAN", (4, 3), (5, 3)),
             ("SPAN", (0, 4), (0, 5)), ("SPAN", (2, 4), (3, 4)), ("SPAN", (2, 5), (3, 5)),
             ("SPAN", (5, 4), (6, 4)), ("SPAN", (5, 5), (6, 5)),
             ("SPAN", (1, 6), (6, 6)), ("SPAN", (1, 7), (6, 7)), ("SPAN", (1, 8), (6, 8))]

    def lab(text):
        return Paragraph(text.replace("\n", "<br/>"), label)

    def val(text, style=center):
        return Paragraph(escape(str(text or "")).replace("\n", "<br/>"), style)

    story = []
    for d in datas:
        v = d.value
        ft_edu, ft_school = education(d, "ft")
        pt_edu, pt_school = education(d, "pt")
        rows = [
            [lab("姓  名"), val(v("name")), lab("性  别"), val(v("gender")), lab("出生年月\n（  岁）"),
             val(birth_with_age(d.profile)), ""],
            [lab("民  族"), val(v("ethnicity")), lab("籍  贯"), val(v("native_place")), lab("出 生 地"),
             val(v("birthplace")), ""],
            [lab("入  党\n时  间"), val(v("party")), lab("参加工\n作时间"), val(v("work_start")), lab("健康状况"),
             val(v("health")), ""],
            [lab("专业技\n术职务"), val(v("tech_title")), "", lab("熟悉专业\n有何专长"), val(v("expertise")), "", ""],
            [lab("学  历\n学  位"), lab("全日制\n教  育"), val(ft_edu), "", lab("毕业院校\n系及专业"),
             val(ft_school, body), ""],
            ["", lab("在  职\n教  育"), val(pt_edu), "", lab("毕业院校\n系及专业"), val(pt_school, body), ""],
            [lab("现任职务"), val(v("position"), body)] + [""] * 5,
            [lab("拟任职务"), val(v("proposed_position"), body)] + [""] * 5,
            [lab("拟免职务"), val(v("proposed_removal"), body)] + [""] * 5,
        ]
        story += [Spacer(1, 40 * mm), p("干部成长档案", title), Spacer(1, 40 * mm),
                  Table([[p(k), p(x)] for k, x in (("姓　　名", d.name), ("单　　位", d.unit_name),
                                                   ("现任职务", v("position")), ("起止时间", d.period()))],
                        colWidths=[32 * mm, 92 * mm]),
                  Spacer(1, 50 * mm), p("中共某某市委组织部", center), p("2026年1月1日", center),
                  PageBreak(), p("一、基本信息", head),
                  Table(rows, colWidths=P1_COLS, minRowHeights=[13 * mm] * 6 + [12 * mm] * 3,
                        style=TableStyle(grid_cmds + spans)),
                  Spacer(1, 2 * mm)]
        story.append(Table([[lab(k), val(x, body)] for k, x in (
            ("奖惩情况", "；".join(r.content for r in d.profile.rewards) or "无"),
            ("年度考核", "；".join(str(a.year) for a in d.profile.assessments) or "无"),
            ("专业特长", v("specialty")), ("个性特点", v("personality")), ("短板弱项", v("weaknesses")))],
            colWidths=[20 * mm, 152 * mm], style=TableStyle(grid_cmds)))
        story.append(p("二、简历", head))
        story.append(Table([[p(a), p(b)] for a, b in resume_lines(d)] or [[""]], colWidths=[40 * mm, 132 * mm]))
        # The capability sections, as plain key/value tables, tables and a bar chart.
        def kv(pairs):
            return Table([[lab(k), val(x, body)] for k, x in pairs], colWidths=[30 * mm, 142 * mm],
                         style=TableStyle(grid_cmds))

        for posting in d.postings or []:
            story += [p(f"{posting.line_name}　{posting.post_name}", head), kv([
                ("岗位状态", posting.state), ("起止时间", f"{posting.start}—{posting.actual_end or posting.planned_end}"),
                ("选派渠道", posting.channel), ("日常管理人", posting.daily_manager),
                ("指导干部", posting.guide_name), ("鉴定等次", posting.grade or "（尚未评定）")])]
        for pair in d.pairs or []:
            story += [p(f"导师：{pair.mentor_name}（{pair.state}）", head), kv([
                ("起止时间", f"{pair.start}—{pair.actual_end or pair.planned_end}"), ("帮带重点", pair.focus),
                ("帮带目标", pair.goals), ("导师评价", pair.mentor_comment or ""),
                ("对导师评价", pair.mentee_comment or ""),
                ("谈心谈话", f"共 {len(d.pair_logs.get(pair.id, []))} 次")])]
        if d.records:
            counts = {}
            for r in d.records:
                counts[r.kind] = counts.get(r.kind, 0) + 1
            story.append(Table([[lab(k) for k in counts], [val(str(n)) for n in counts.values()]],
                               style=TableStyle(grid_cmds)))
            detail = [r for r in d.records if r.kind in ("季检查", "年考核")]
            if detail:
                story.append(kv([(f"{r.kind} {r.period}", r.content) for r in detail]))
        for polarity in ("正面", "负面"):
            items = [e for e in d.behaviour or [] if e.polarity == polarity]
            if items:
                story += [p(f"{polarity}清单（{len(items)} 项）", head),
                          Table([[val(e.date), val(e.item, body), val(e.source), val(e.description, body),
                                  val(e.recorder)] for e in items],
                                colWidths=[22 * mm, 38 * mm, 28 * mm, 66 * mm, 18 * mm], style=TableStyle(grid_cmds))]
        for result in d.appraisals or []:
            dims = list((result.dimension_scores or {}).items())
            story += [p(f"{result.sheet_title}　{result.period}　{result.scheme_name}", head),
                      Table([[val(n, body), val(f"{float(x or 0):.1f}")] for n, x in dims]
                            + [[lab("总分"), val(f"{result.total or 0:.1f}")], [lab("等次"), val(result.grade)]],
                            colWidths=[132 * mm, 40 * mm], style=TableStyle(grid_cmds))]
            if dims:
                drawing = Drawing(172 * mm, 62 * mm)
                chart = VerticalBarChart()
                chart.x, chart.y, chart.width, chart.height = 14 * mm, 14 * mm, 148 * mm, 42 * mm
                chart.data = [[float(x or 0) for _n, x in dims]]
                chart.categoryAxis.categoryNames = [n for n, _x in dims]
                chart.categoryAxis.labels.fontName = BODY_FONT
                chart.valueAxis.labels.fontName = BODY_FONT
                drawing.add(chart)
                drawing.add(String(86 * mm, 58 * mm, f"{result.sheet_title} 各维度得分", fontName=HEAD_FONT,
                                   fontSize=9.5, textAnchor="middle"))
                story.append(drawing)
        story += [p("三、鉴定意见", head), Table([[""]], colWidths=[172 * mm], rowHeights=[30 * mm], style=grid),
                  Table([[[p("组织部门意见", head), Spacer(1, 10 * mm), p("负责人（签字）："), p("（盖章）"),
                           p("年　　月　　日")],
                          [p("派驻（接收）单位意见", head), Spacer(1, 10 * mm), p("负责人（签字）："), p("（盖章）"),
                           p("年　　月　　日")]]], colWidths=[86 * mm] * 2, style=grid), PageBreak()]
    doc = SimpleDocTemplate(str(path), pagesize=A4, leftMargin=19 * mm, rightMargin=19 * mm,
                            topMargin=20 * mm, bottomMargin=18 * mm)
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return doc.page


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cadres", type=int, default=1000)
    parser.add_argument("--db", help="existing demo database (default: a fresh one)")
    parser.add_argument("--sheets-only", action="store_true", help="only the 提醒单 batch")
    args = parser.parse_args(argv)
    from cadre_desk.features import register_all
    from cadre_desk.store.opening import open_database

    register_all()
    work = Path(tempfile.mkdtemp(prefix="bench_pdf_"))
    db = Path(args.db) if args.db else work / "bench.sqlite3"
    open_database(db)
    from cadre_desk.profiles import demo
    from cadre_desk.store.models import Cadre

    if not Cadre.select().exists():
        started = time.perf_counter()
        demo.generate(args.cadres, seed=3)
        print(f"演示数据 {args.cadres} 人：{time.perf_counter() - started:.1f} s")
    if args.sheets_only:
        print(sheets_line(work))
        return 0
    ids = [c.id for c in Cadre.select(Cadre.id).order_by(Cadre.id).limit(args.cadres)]
    n = len(ids)

    from reports.pdf import batch, pdf_common

    started = time.perf_counter()
    pdf_common.register_fonts()
    fonts_s = time.perf_counter() - started
    started = time.perf_counter()
    datas = batch.gather_all(ids)
    gather_s = time.perf_counter() - started
    rss_before = rss_mb()

    out = work / "ours.pdf"
    started, cpu = time.perf_counter(), time.process_time()
    batch.build_dossiers(ids, out_path=out, reason="性能测试", datas=datas)
    ours_s, ours_cpu = time.perf_counter() - started, time.process_time() - cpu
    ours_rss = rss_mb()

    bare = work / "bare.pdf"
    started, cpu = time.perf_counter(), time.process_time()
    pages_bare = bare_build(datas, bare)
    bare_s, bare_cpu = time.perf_counter() - started, time.process_time() - cpu
    import subprocess

    pages = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True).stdout
    pages_ours = next((line.split()[-1] for line in pages.splitlines() if line.startswith("Pages:")), "?")

    ratio = ours_cpu / bare_cpu
    lines = [
        f"cadres: {n}",
        f"font registration: {fonts_s:.2f} s; reading {n} profiles: {gather_s:.2f} s",
        f"cadre_desk dossiers: {ours_s:.2f} s wall, {ours_cpu:.2f} s CPU → {n / ours_cpu:.1f} dossiers/s (CPU), "
        f"{pages_ours} pages, "
        f"{out.stat().st_size / 1e6:.1f} MB (glyph check, page totals, audit rows included)",
        f"bare reportlab, same content: {bare_s:.2f} s wall, {bare_cpu:.2f} s CPU → {n / bare_cpu:.1f} dossiers/s"
        f" (CPU), {pages_bare} pages",
        f"ratio (CPU time; wall time is noisy on a shared machine): {ratio:.2f}× (target ≤ 1.5×) "
        f"{'OK' if ratio <= 1.5 else 'MISSED'}; wall ratio {ours_s / bare_s:.2f}×",
        f"peak RSS: {ours_rss:.0f} MB after our build (before it {rss_before:.0f} MB); {rss_mb():.0f} MB at the end "
        f"(target ≤ 400 MB) {'OK' if rss_mb() <= 400 else 'MISSED'}",
    ]
    print("\n".join([*lines, sheets_line(work)]))
    return 0


def sheets_line(work: Path) -> str:
    """The 提醒单 of the database's largest 政治体检 round into one PDF: CPU per sheet, best of three."""
    from peewee import fn

    from cadre_desk.store.checkup_models import CheckupSheet
    from reports.pdf import checkup_sheet, pdf_common

    pdf_common.register_fonts()
    largest = (CheckupSheet.select(CheckupSheet.round, fn.COUNT(CheckupSheet.id)).group_by(CheckupSheet.round)
               .order_by(fn.COUNT(CheckupSheet.id).desc()).tuples().first())
    if largest is None:
        return "提醒单 batch: no 政治体检 round in this database"
    round_id, count = largest
    cpus = []
    for _ in range(3):
        cpu = time.process_time()
        checkup_sheet.build_sheets(round_id, out_path=work / "提醒单.pdf", reason="性能测试")
        cpus.append(time.process_time() - cpu)
    best = min(cpus)
    return (f"提醒单 batch: {count} sheets in {best:.2f} s CPU (best of {', '.join(f'{c:.2f}' for c in cpus)}) → "
            f"{1000 * best / count:.1f} ms per sheet, {count / best:.0f} sheets/s (CPU)")


if __name__ == "__main__":
    sys.exit(main())
