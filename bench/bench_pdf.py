"""Dossier PDFs per second for 1,000 cadres: cadre_desk's builder vs the same content with bare
reportlab in the same run; peak RSS. Targets (issue 6): ≤ 1.5× the bare time, ≤ 400 MB.

    python bench/bench_pdf.py [--cadres 1000] [--db PATH]
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
    """The same text and tables, written directly against reportlab (no escaping helper, no glyph
    check, no page totals, no atomic file)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    from reports.pdf_common import BODY_FONT, HEAD_FONT, register_fonts
    from reports.rmb import resume_lines

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

    story = []
    keys = ["name", "gender", "birth", "ethnicity", "native_place", "birthplace", "party", "work_start",
            "health", "tech_title", "expertise", "ft_education", "ft_degree", "ft_school", "pt_education",
            "pt_degree", "pt_school", "position", "proposed_position", "proposed_removal"]
    for d in datas:
        story += [Spacer(1, 40 * mm), p("干部成长档案", title), Spacer(1, 40 * mm),
                  Table([[p(k), p(v)] for k, v in (("姓名", d.name), ("单位", d.unit_name),
                                                    ("现任职务", d.value("position")), ("起止时间", d.period()))]),
                  PageBreak(), p("一、基本信息", head)]
        cells = [[p(d.value(k)) for k in keys[i:i + 6]] for i in range(0, len(keys), 6)]
        cells[-1] += [""] * (6 - len(cells[-1]))
        story.append(Table(cells, colWidths=[28 * mm] * 6, style=grid))
        story.append(Table([[p(k), p(v)] for k, v in (("专业特长", d.value("specialty")),
                                                      ("个性特点", d.value("personality")),
                                                      ("短板弱项", d.value("weaknesses")))],
                           colWidths=[20 * mm, 152 * mm], style=grid))
        story.append(p("二、简历", head))
        story.append(Table([[p(a), p(b)] for a, b in resume_lines(d)] or [[""]], colWidths=[40 * mm, 132 * mm]))
        story += [p("三、鉴定意见", head), Table([[""]], colWidths=[172 * mm], rowHeights=[40 * mm], style=grid),
                  Table([[p("组织部门意见"), p("派驻（接收）单位意见")]], colWidths=[86 * mm] * 2,
                        rowHeights=[60 * mm], style=grid), PageBreak()]
    doc = SimpleDocTemplate(str(path), pagesize=A4, leftMargin=19 * mm, rightMargin=19 * mm,
                            topMargin=20 * mm, bottomMargin=18 * mm)
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return doc.page


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cadres", type=int, default=1000)
    parser.add_argument("--db", help="existing demo database (default: a fresh one)")
    args = parser.parse_args(argv)
    from cadre_desk.features import register_all
    from cadre_desk.store.db import open_database

    register_all()
    work = Path(tempfile.mkdtemp(prefix="bench_pdf_"))
    db = Path(args.db) if args.db else work / "bench.sqlite3"
    open_database(db)
    from cadre_desk.services import demo
    from cadre_desk.store.models import Cadre

    if not Cadre.select().exists():
        started = time.perf_counter()
        demo.generate(args.cadres, seed=3)
        print(f"演示数据 {args.cadres} 人：{time.perf_counter() - started:.1f} s")
    ids = [c.id for c in Cadre.select(Cadre.id).order_by(Cadre.id).limit(args.cadres)]
    n = len(ids)

    from reports import batch, pdf_common

    started = time.perf_counter()
    pdf_common.register_fonts()
    fonts_s = time.perf_counter() - started
    started = time.perf_counter()
    datas = batch.gather_all(ids)
    gather_s = time.perf_counter() - started
    rss_before = rss_mb()

    out = work / "ours.pdf"
    started = time.perf_counter()
    batch.build_dossiers(ids, out_path=out, reason="性能测试", datas=datas)
    ours_s = time.perf_counter() - started
    ours_rss = rss_mb()

    bare = work / "bare.pdf"
    started = time.perf_counter()
    pages_bare = bare_build(datas, bare)
    bare_s = time.perf_counter() - started
    import subprocess

    pages = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True).stdout
    pages_ours = next((line.split()[-1] for line in pages.splitlines() if line.startswith("Pages:")), "?")

    ratio = ours_s / bare_s
    lines = [
        f"cadres: {n}",
        f"font registration: {fonts_s:.2f} s; reading {n} profiles: {gather_s:.2f} s",
        f"cadre_desk dossiers: {ours_s:.2f} s → {n / ours_s:.1f} dossiers/s, {pages_ours} pages, "
        f"{out.stat().st_size / 1e6:.1f} MB (glyph check, page totals, audit rows included)",
        f"bare reportlab, same content: {bare_s:.2f} s → {n / bare_s:.1f} dossiers/s, {pages_bare} pages",
        f"ratio: {ratio:.2f}× (target ≤ 1.5×) {'OK' if ratio <= 1.5 else 'MISSED'}",
        f"peak RSS: {ours_rss:.0f} MB after our build (before it {rss_before:.0f} MB); {rss_mb():.0f} MB at the end "
        f"(target ≤ 400 MB) {'OK' if rss_mb() <= 400 else 'MISSED'}",
    ]
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
