"""Files shaped like the ones county and city departments really send, built for the tests:
titles above a merged two-row header, no 单位 column (the unit inside 现任职务), free-text
年度考核, 入党时间 "2001.08；民建", padded names, dates typed every way; LRMX files in GB18030,
with empty elements, full-width spaces and "至今" in 简历, and photos that are not images."""

from __future__ import annotations

import base64
import datetime as dt
import io
from pathlib import Path

from cadre_desk.domain.citizen_id import check_char

REFERENCE = Path(__file__).parent / "data" / "skeleton.lrmx"


def id_number(birth: str, seq: str = "123", region: str = "610481") -> str:
    first = region + birth + seq
    return first + check_char(first)


def xingping_units():
    """兴平市's units with 全称 and 简称: 市直 under 市直机关, towns under 乡镇街道."""
    from cadre_desk.units import units

    root = units.create_unit("兴平市")
    city = units.create_unit("市直机关", root.id)
    towns = units.create_unit("乡镇街道", root.id)
    made = {}
    for name, short, parent in (("中共兴平市委办公室", "市委办", city), ("兴平市发展和改革局", "市发改局", city),
                                ("兴平市招商局", "市招商局", city), ("兴平市财政局", "市财政局", city),
                                ("马嵬街道办事处", "马嵬街道", towns), ("店张街道办事处", "店张街道", towns)):
        made[name] = units.create_unit(short, parent.id, full_name=name).id
    made.update({"兴平市": root.id, "市直机关": city.id, "乡镇街道": towns.id})
    return made


# (name as typed, gender, birth as typed, 民族, 入党时间, 学历, 学位, 现任职务, 任现职时间, 年度考核, 身份证号)
COUNTY_ROWS = [
    ("王  伟", "男", 1985.1, "汉族", "2008.06", "大学", "学士", "兴平市发展和改革局科员", "2019.03",
     "2022年、2023年年度考核均为称职", id_number("19851003", "311")),
    ("李娜", "女", dt.date(1990, 5, 1), "汉", "2001.08；民建", "研究生", "硕士", "马嵬街道办事处副主任", 201906,
     "2021年度优秀，2022年度称职", id_number("19900512", "322")),
    ("张\u3000强", "男", "1979年11月", "回族", "民革", "大学", "", "市招商局副局长", "2016.11",
     "连续三年考核称职", ""),
    ("赵敏", "女", "198803", "汉族", "2010.07", "大学", "学士", "中共兴平市委办公室秘书科科员", "2020.01",
     "2023年度优秀", id_number("19880308", "344")),
    ("孙磊", "男", "1983.07", "汉族", "2006.05", "大学", "学士", "兴平市审计局副局长", "2021.08", "", ""),
    ("周洁", "女", "1992.02", "汉族", "", "大学", "学士", "科员", "2018.09", "", id_number("19920215", "366")),
]


def county_roster(path: Path, rows=COUNTY_ROWS) -> Path:
    """A 花名册 as a county sends it: two title lines, a merged two-row header, no 单位 column."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "科级干部"
    ws.append(["兴平市科级干部花名册"])
    ws.merge_cells("A1:M1")
    ws.append(["填报单位（盖章）：                         填报时间：2024年3月"])
    ws.merge_cells("A2:M2")
    top = ["序号", "姓  名", "性别", "出生年月", "民族", "入党时间", "全日制教育", None, "现任职务",
           "任现职时间", "近三年年度考核结果", "身份证号", "备注"]
    bottom = [None, None, None, None, None, None, "学历", "学位", None, None, None, None, None]
    ws.append(top)
    ws.append(bottom)
    for col in "ABCDEFIJKLM":
        ws.merge_cells(f"{col}3:{col}4")
    ws.merge_cells("G3:H3")
    for n, (name, gender, birth, nation, party, edu, degree, position, since, assess, number) in enumerate(rows, 1):
        ws.append([n, name, gender, birth, nation, party, edu, degree, position, since, assess, number, None])
    ws.append(["注：1. 出生年月填写到月；2. 现任职务请写全称。"])
    wb.save(path)
    return path


def titled_roster(path: Path, header, *rows, merged=()) -> Path:
    """A one-sheet 名册 as a clerk types it: the title 兴平市科级干部名册 on the first row, ``header`` on the
    second, then ``rows``; ``merged``: cells merged afterwards ("A3:A4")."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["兴平市科级干部名册"])
    ws.append(list(header))
    for row in rows:
        ws.append(list(row))
    for cells in merged:
        ws.merge_cells(cells)
    wb.save(path)
    return path


# ---- LRMX ----------------------------------------------------------------------------------------


def lrmx_text(**elements) -> str:
    """The reference skeleton with some elements filled (others left as the editor leaves them:
    empty, or blank lines)."""
    text = REFERENCE.read_text(encoding="utf-8-sig")
    for tag, value in elements.items():
        if tag == "JiaTingChengYuan":
            text = text.replace("<JiaTingChengYuan>", "<JiaTingChengYuan>" + value, 1)
            continue
        start = text.index(f"<{tag}>") + len(tag) + 2
        end = text.index(f"</{tag}>")
        text = text[:start] + value + text[end:]
    return text


FAMILY = ("<Item><ChengWei>妻子</ChengWei><XingMing>刘芳</XingMing><ChuShengRiQi>198802</ChuShengRiQi>"
          "<ZhengZhiMianMao>中共党员</ZhengZhiMianMao><GongZuoDanWeiJiZhiWu>兴平市第一中学教师</GongZuoDanWeiJiZhiWu></Item>"
          "<Item><ChengWei></ChengWei><XingMing></XingMing><ChuShengRiQi></ChuShengRiQi><ZhengZhiMianMao>"
          "</ZhengZhiMianMao><GongZuoDanWeiJiZhiWu></GongZuoDanWeiJiZhiWu></Item>")
RESUME = ("2004.09--2008.07\u3000\u3000西北大学经济管理学院经济学专业学习\r\n"
          "2008.07--2015.06\u3000兴平市马嵬街道办事处科员\r\n"
          "2015.06—至今\u3000\u3000兴平市发展和改革局科员（其间：2018.03--2018.06在省委党校中青班学习）")


def person(name="陈刚", birth="198602", number=None, assess="2022年、2023年年度考核均为称职", photo="", **more) -> dict:
    values = dict(XingMing=name, XingBie="男", ChuShengNianYue=birth, MinZu="汉族", JiGuan="陕西兴平",
                  ChuShengDi="陕西兴平", RuDangShiJian="200807", CanJiaGongZuoShiJian="200807",
                  JianKangZhuangKuang="健康", QuanRiZhiJiaoYu_XueLi="大学", QuanRiZhiJiaoYu_XueWei="学士",
                  XianRenZhiWu="兴平市发展和改革局科员", JianLi=RESUME, JiangChengQingKuang="无",
                  NianDuKaoHeJieGuo=assess, ShenFenZheng=number or id_number(birth + "14", "377"),
                  ZhaoPian=photo, JiaTingChengYuan=FAMILY)
    values.update(more)
    return values


def write_lrmx(path: Path, encoding: str = "utf-8", declared: str | None = None, **elements) -> Path:
    text = lrmx_text(**elements)
    if declared is not None:
        text = text.replace('encoding="utf-8"', f'encoding="{declared}"', 1)
    data = text.encode(encoding)
    if encoding == "utf-8":
        data = b"\xef\xbb\xbf" + data
    path.write_bytes(data)
    return path


def photo_png(width: int = 800, height: int = 1000) -> str:
    """A base64 PNG photo, larger than the form needs."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (30, 90, 160)).save(buffer, "PNG")
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def not_a_photo(size: int = 5 * 1024 * 1024) -> str:
    """5 MB that claim to be a JPEG (its first bytes) and are not."""
    import random

    rng = random.Random(5)
    return base64.b64encode(b"\xff\xd8\xff\xe0" + rng.randbytes(size)).decode("ascii")


# ---- .ods (LibreOffice / WPS) ----------------------------------------------------------------------

_ODS_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
           'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
           'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"')


def _ods_cell(value, span: tuple[int, int] = (1, 1)) -> str:
    from xml.sax.saxutils import escape

    spans = (f' table:number-columns-spanned="{span[0]}" table:number-rows-spanned="{span[1]}"'
             if span != (1, 1) else "")
    if value is None:
        return f"<table:table-cell{spans}/>"
    if isinstance(value, dt.date):
        return (f'<table:table-cell{spans} office:value-type="date" office:date-value="{value.isoformat()}">'
                f"<text:p>{value.isoformat()}</text:p></table:table-cell>")
    if isinstance(value, int | float):
        return (f'<table:table-cell{spans} office:value-type="float" office:value="{value}">'
                f"<text:p>{value}</text:p></table:table-cell>")
    return f'<table:table-cell{spans} office:value-type="string"><text:p>{escape(str(value))}</text:p></table:table-cell>'


def county_roster_ods(path: Path, rows=COUNTY_ROWS) -> Path:
    """The county's 花名册 as LibreOffice / WPS save it (.ods): the same titles, merged two-row header
    and no 单位 column as ``county_roster``."""
    import zipfile

    width = 13
    out = []
    out.append("<table:table-row>" + _ods_cell("兴平市科级干部花名册", (width, 1))
               + f'<table:covered-table-cell table:number-columns-repeated="{width - 1}"/></table:table-row>')
    out.append("<table:table-row>" + _ods_cell("填报单位（盖章）：            填报时间：2024年3月", (width, 1))
               + f'<table:covered-table-cell table:number-columns-repeated="{width - 1}"/></table:table-row>')
    top = ["序号", "姓  名", "性别", "出生年月", "民族", "入党时间", "全日制教育", None, "现任职务",
           "任现职时间", "近三年年度考核结果", "身份证号", "备注"]
    cells = []
    for n, text in enumerate(top):
        if n == 6:
            cells.append(_ods_cell(text, (2, 1)))
        elif n == 7:
            cells.append("<table:covered-table-cell/>")
        else:
            cells.append(_ods_cell(text, (1, 2)))
    out.append("<table:table-row>" + "".join(cells) + "</table:table-row>")
    second = ["<table:covered-table-cell/>"] * width
    second[6], second[7] = _ods_cell("学历"), _ods_cell("学位")
    out.append("<table:table-row>" + "".join(second) + "</table:table-row>")
    for n, (name, gender, birth, nation, party, edu, degree, position, since, assess, number) in enumerate(rows, 1):
        values = [n, name, gender, birth, nation, party, edu, degree, position, since, assess, number, None]
        out.append("<table:table-row>" + "".join(_ods_cell(v if v != "" else None) for v in values)
                   + "</table:table-row>")
    out.append("<table:table-row>" + _ods_cell("注：1. 出生年月填写到月；2. 现任职务请写全称。") + "</table:table-row>")
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_ODS_NS}><office:body>'
               f'<office:spreadsheet><table:table table:name="科级干部">'
               f'<table:table-column table:number-columns-repeated="{width}"/>{"".join(out)}'
               f"</table:table></office:spreadsheet></office:body></office:document-content>")
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                '<manifest:file-entry manifest:full-path="/" '
                'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                "</manifest:manifest>")
    with zipfile.ZipFile(path, "w") as package:
        package.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        package.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
        package.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return path
