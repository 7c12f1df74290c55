"""The .lrmx 任免表 file ↔ CadreProfile, both ways (no file system here: bytes in, bytes out).

Element names and order follow the reference skeleton (version 3.2.1.16): root <Person>, no
namespace, code-table values written as names, dates YYYYMM[DD], 简历 as
"YYYY.MM--YYYY.MM  text" lines, family members as <Item>s, the photo as base64 JPEG."""

from __future__ import annotations

import base64
import dataclasses
import re
from xml.sax.saxutils import escape

from cadre_desk.domain import clock, codes
from cadre_desk.domain.dates import (
    DateError,
    format_date,
    format_month,
    format_period,
    normalize_digits,
    parse_date,
    short_year_date,
)
from cadre_desk.domain.errors import CadreDeskError
from cadre_desk.domain.fields import (
    ASSESSMENTS,
    BY_KEY,
    FAMILY,
    FIELDS,
    RESUME,
    REWARDS,
    FamilyItem,
    FieldSpec,
    ResumeItem,
    RewardItem,
    form_party,
    rewards_text,
)
from cadre_desk.domain.validation import LEFT_OUT, FieldWarning, excerpt
from cadre_desk.exchange.assessment_text import ASSESSMENT_KEPT, official_text, read_assessments
from cadre_desk.exchange.cells import clean_name
from cadre_desk.profiles.cadres import CadreProfile

VERSION = "3.2.1.16"
MAX_LRMX_BYTES = 20 * 1024 * 1024

ORDER = (
    "XingMing", "XingBie", "ChuShengNianYue", "MinZu", "JiGuan", "ChuShengDi", "RuDangShiJian",
    "CanJiaGongZuoShiJian", "JianKangZhuangKuang", "ZhuanYeJiShuZhiWu", "ShuXiZhuanYeYouHeZhuanChang",
    "QuanRiZhiJiaoYu_XueLi", "QuanRiZhiJiaoYu_XueWei", "QuanRiZhiJiaoYu_XueLi_BiYeYuanXiaoXi",
    "QuanRiZhiJiaoYu_XueWei_BiYeYuanXiaoXi", "ZaiZhiJiaoYu_XueLi", "ZaiZhiJiaoYu_XueWei",
    "ZaiZhiJiaoYu_XueLi_BiYeYuanXiaoXi", "ZaiZhiJiaoYu_XueWei_BiYeYuanXiaoXi", "XianRenZhiWu", "NiRenZhiWu",
    "NiMianZhiWu", "JianLi", "JiangChengQingKuang", "NianDuKaoHeJieGuo", "RenMianLiYou", "JiaTingChengYuan",
    "ChengBaoDanWei", "JiSuanNianLingShiJian", "TianBiaoShiJian", "TianBiaoRen", "ShenFenZheng", "ZhaoPian",
    "Version",
)
BY_ELEMENT = {spec.lrmx: spec for spec in FIELDS if spec.lrmx}
FAMILY_ELEMENTS = {spec.lrmx: spec for spec in FAMILY.fields if spec.lrmx}  # an <Item>'s children, in order


class LrmxError(CadreDeskError):
    pass


# ---- writing -----------------------------------------------------------------------------------


def _value_text(spec: FieldSpec, raw) -> str:
    """A stored value as the file holds it: a code as its name, a date as YYYYMM[DD]."""
    if raw in (None, ""):
        return ""
    if spec.kind == "code":
        return codes.table(spec.code_table).name(str(raw))
    return str(raw)


def resume_text(items: list[ResumeItem]) -> str:
    lines = []
    for item in items:
        start = format_month(item.start)
        end = format_month(item.end) if item.end else " " * 7
        lines.append(f"{start}--{end}  {item.text}")
    return "\n".join(lines)


def family_text(items: list[FamilyItem]) -> str:
    """家庭成员 one member a line, as a roster's cell writes them and split_family reads them back:
    "妻子 李芳 1988.03 中共党员 兴平市第一中学教师" (a part left empty is left out)."""
    relations, parties = codes.table(FAMILY.field("relation").code_table), codes.table(FAMILY.field("political").code_table)
    return "\n".join(" ".join(p for p in (relations.name(m.relation), m.name, format_date(m.birth) if m.birth else "",
                                          parties.name(m.political), m.work) if p) for m in items)


def profile_assessments_text(profile: CadreProfile) -> str:
    """年度考核结果 as the 任免表 file and form write it for this profile (see official_text)."""
    return official_text(profile.values.get(ASSESSMENT_KEPT) or "", profile.assessments)


def _texts(profile: CadreProfile) -> dict[str, str]:
    """The text of each element but the family's, as the file holds it."""
    values = profile.values
    text: dict[str, str] = {}
    for element, spec in BY_ELEMENT.items():
        text[element] = _value_text(spec, values.get(spec.key))
    text[BY_KEY["party"].lrmx] = form_party(values)  # a 民主党派's name from 政治面貌 when 入党时间 is empty
    text[RESUME.lrmx] = resume_text(profile.resume)
    text[REWARDS.lrmx] = rewards_text(profile.rewards)
    text[ASSESSMENTS.lrmx] = profile_assessments_text(profile)
    return text


def _limit(spec: FieldSpec) -> int | None:
    """The characters the official editor takes in ``spec``'s element (a code's names all fit)."""
    return spec.max_length if spec.kind != "code" and spec.max_length else None


# element → (what the clerk calls it, the characters the official editor takes): tests/test_lrmx_lengths.py
LIMITS = {**{element: (spec.label, limit) for element, spec in BY_ELEMENT.items() if (limit := _limit(spec))},
          REWARDS.lrmx: (REWARDS.title, REWARDS.box),
          ASSESSMENTS.lrmx: (ASSESSMENTS.title, BY_KEY["assessment_text"].max_length)}


def over_limits(profile: CadreProfile) -> list[str]:
    """What of ``profile``'s .lrmx is longer than the official 任免表 editor takes — 奖惩情况 600 字（限
    552 字）, 家庭成员第 2 人工作单位及职务 130 字（限 124 字） — which the editor may cut or refuse on
    reading. The file is written whole all the same: an export never cuts a text."""
    said = [f"{label} {len(text)} 字（限 {limit} 字）" for element, text in _texts(profile).items()
            if element in LIMITS for label, limit in (LIMITS[element],) if len(text) > limit]
    for n, member in enumerate(profile.family, 1):
        for spec in FAMILY_ELEMENTS.values():
            limit, text = _limit(spec), _value_text(spec, getattr(member, spec.key))
            if limit and len(text) > limit:
                said.append(f"{FAMILY.label}第 {n} 人{spec.label} {len(text)} 字（限 {limit} 字）")
    return said


def to_xml(profile: CadreProfile) -> bytes:
    """The .lrmx bytes (UTF-8 with BOM, as the official editor writes) for one profile."""
    text = _texts(profile)
    text["Version"] = VERSION
    if profile.photo and profile.photo[:2] == b"\xff\xd8":
        text["ZhaoPian"] = base64.b64encode(profile.photo).decode("ascii")
    out = ['<?xml version="1.0" encoding="utf-8"?>', "<Person>"]
    for element in ORDER:
        if element == FAMILY.lrmx:
            out.append(f"  <{element}>")
            for member in profile.family:
                out.append("    <Item>")
                for name, spec in FAMILY_ELEMENTS.items():
                    out.append(f"      <{name}>{escape(_value_text(spec, getattr(member, spec.key)))}</{name}>")
                out.append("    </Item>")
            out.append(f"  </{element}>")
            continue
        out.append(f"  <{element}>{escape(text.get(element, ''))}</{element}>")
    out.append("</Person>")
    return ("\ufeff" + "\r\n".join(out)).encode("utf-8")


# ---- reading -----------------------------------------------------------------------------------

# a month, and a day some files add (1986.09.01, 1986年9月1日: the 简历 keeps months, the day is dropped);
# the year in full, or in two digits as some files write it (86.09--90.07: read by short_year_date)
_DATE_PART = r"(\d{4}|\d{2})\s*[.．。\-/年]\s*(\d{1,2})\s*月?(?:\s*[.．。/]\s*\d{1,2}(?!\d)|\s*\d{1,2}\s*日)?"
_RESUME_LINE = re.compile(
    rf"^\s*{_DATE_PART}\s*(?:([-—–~～－至]+)\s*(?:{_DATE_PART}|(至今|今))?)?\s*(.*)$")
# …or as the 任免表 stores dates, YYYYMM[DD] (200809-201207, 20080901-20120701): only before a dash, the
# same groups (tried when the line is not written with marks: other lines never pay for it)
_COMPACT_MONTH = r"((?:19|20)\d{2})(0[1-9]|1[0-2])(?:[0-3]\d)?(?!\d)"
_COMPACT_RESUME_LINE = re.compile(
    rf"^\s*{_COMPACT_MONTH}\s*([-—–~～－至]+)\s*(?:{_COMPACT_MONTH}|(至今|今))?\s*(.*)$")
_OPEN_END_WORDS = ("至今", "今")
# a ； before the next period (a year, its month, a dash): where a 简历 typed on one line starts a new one
_NEXT_PERIOD = re.compile(r"[；;]\s*(?=(?:19|20)\d{2}(?:\s*[.．\-/年]\s*\d{1,2}\s*月?|(?:0[1-9]|1[0-2]))\s*[-—–~～－至])")


def _resume_month(match: re.Match, year: int) -> str:
    """The start (``year`` 1) or end (4) of a 简历 line → "YYYYMM"; a two-digit year as 出生年月's are
    read (the one clock decides the century: short_year_date). A month that is none stays as written,
    for the 简历's check to refuse it by name."""
    digits, month = match.group(year), match.group(year + 1)
    if len(digits) == 4:
        if digits.isascii() and month.isascii():  # as int() reads them, without the two conversions
            return digits + month if len(month) == 2 else digits + "0" + month
        return f"{int(digits):04d}{int(month):02d}"
    written = match.string[match.start(year):match.end(year + 1)]
    read = short_year_date(written)
    return read[:6] if read else written


# 简历, 奖惩情况 or 家庭成员 written as "none" (无, 无。, （无）, 暂无): no records at all, as against an empty
# text, which says nothing (a roster's empty cell keeps the stored records)
_NONE_WORDS = frozenset(("无", "暂无", "没有", "无奖惩", "无奖惩情况"))
# a period inside an entry's text (其间：2012.09——2014.07 在…) typed with the IME's dashes: written as the editor
# writes the periods of the lines, 2012.09--2014.07
_INNER_PERIOD = re.compile(r"((?:19|20)\d{2}\.\d{1,2})\s*(?:—{1,2}|－{1,2})\s*((?:19|20)\d{2}\.\d{1,2})")
_NONE_MARKS = re.compile(r"[\s。.．，,；;：:、()（）【】\[\]“”\"'‘’/—\-]+")


def says_none(text: str | None) -> bool:
    """Whether a 简历 / 奖惩情况 / 家庭成员 text says there is none (无, 无。, （无）, 暂无 …)."""
    return _NONE_MARKS.sub("", text or "") in _NONE_WORDS


def _nothing_in(text: str | None) -> bool:
    """None said, or nothing but marks (—, /, -: a cell filled so as not to stand empty): no records."""
    if text and text[0].isdigit():  # a digit is no mark and in none of the words: a 简历 line's date
        return False
    if text in _NONE_WORDS:  # 无 as it is (no marks to take off)
        return True
    words = _NONE_MARKS.sub("", text or "")
    return not words or words in _NONE_WORDS


def _line_break_outside_brackets(match: re.Match) -> str:
    """A new line for the ； before a period, unless it is inside （其间：…；…）."""
    before = match.string[:match.start()]
    depth = before.count("（") + before.count("(") - before.count("）") - before.count(")")
    return match.group() if depth > 0 else "\n"


def split_resume(text: str, notes: list[str] | None = None) -> list[ResumeItem]:
    """简历 text → entries. A line starts with its period ("1998.09--2002.07", "2015.07—至今",
    "1998.09.01--2002.07.01", "86.09--90.07", with full-width spaces or none before the text); a line that
    does not continues the previous one. ``notes``: where a two-digit year's reading is said. 无: none."""
    items: list[ResumeItem] = []
    if _nothing_in(text):
        return items
    if "；" in text or ";" in text:  # one cell's 简历 typed on one line: 2004.09-2008.07 …学生；2008.07-至今 …
        text = _NEXT_PERIOD.sub(_line_break_outside_brackets, text)
    # the text's lines, full-width spaces as spaces; and the same lines with ASCII digits (one pass each)
    flat = (text or "").replace("\r\n", "\n").replace("\r", "\n").replace("\u3000", " ")
    lines = flat.split("\n")
    digits = normalize_digits(flat)
    for line, normal in zip(lines, lines if digits == flat else digits.split("\n"), strict=True):
        if not line.strip():
            continue
        item = _resume_item(normal, notes)
        if item is not None:
            items.append(item)
        elif items:
            items[-1].text = (items[-1].text + line.strip()).strip()
        else:
            items.append(ResumeItem("", "", line.strip()))
    for item in items:
        if "—" in item.text or "－" in item.text:
            item.text = _INNER_PERIOD.sub(r"\1--\2", item.text)
    return items


def _resume_item(line: str, notes: list[str] | None) -> ResumeItem | None:
    """One 简历 line that starts with its period, or None. A two-digit start year counts only before a
    dash (86.09--90.07, 86.09--): "12.5万元…" continues the line before."""
    match = _RESUME_LINE.match(line) or _COMPACT_RESUME_LINE.match(line)
    if not match:
        return None
    y1, m1, dash, y2, m2, _open, rest = match.groups()
    if len(y1) == 2 and not dash:
        return None
    start = _resume_month(match, 1) if len(y1) != 4 or not (y1 + m1).isascii() else (
        y1 + m1 if len(m1) == 2 else y1 + "0" + m1)  # (as _resume_month reads ASCII digits)
    end = "" if not y2 else _resume_month(match, 4) if len(y2) != 4 or not (y2 + m2).isascii() else (
        y2 + m2 if len(m2) == 2 else y2 + "0" + m2)
    rest = rest.strip()
    for word in _OPEN_END_WORDS if not end and rest.startswith(_OPEN_END_WORDS) else ():
        if rest.startswith(word):  # "2015.07-  至今 …" with the words apart from the dash
            rest = rest[len(word):].strip()
    rest = rest.lstrip("：:，,、 ")  # 2008.09-2012.07：兴平市… — the mark is no part of the text
    if notes is not None and (len(y1) == 2 or len(y2 or "") == 2) and (start + end).isdigit():
        written = line[:len(line) - len(match.group(7))].strip()
        notes.append(f"简历“{written}”按 {format_period(start, end)} 读入")
    return ResumeItem(start, end, rest)


def split_assessments(text: str) -> tuple[list, str]:
    """NianDuKaoHeJieGuo → (per-year results, the text kept as written when not all of it was read)."""
    return read_assessments(text)


def split_rewards(text: str) -> list[RewardItem]:
    text = (text or "").strip()
    if _nothing_in(text):
        return []
    out = []
    for line in text.replace("\r\n", "\n").split("\n"):
        line = line.strip()
        if not line:
            continue
        date = ""
        match = re.match(r"^(\d{4}[.．]\d{1,2}(?:[.．]\d{1,2})?)\s+(.*)$", line)
        if match:
            try:
                date = parse_date(match.group(1))
                line = match.group(2)
            except DateError:
                date = ""
        punished = any(w in line for w in ("处分", "警告", "记过", "降级", "撤职", "诫勉", "通报批评"))
        kind = codes.table(REWARDS.field("kind").code_table).code("惩处" if punished else "奖励")
        out.append(RewardItem(date, kind, line, ""))
    return out


def _code_value(table_key: str, text: str) -> str:
    """A name from the file → the code; an unknown name stays (validation reports it)."""
    text = (text or "").strip()
    if not text:
        return ""
    table = codes.table(table_key)
    return table.code(text) or text


_DECLARED = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_GB = ("gb2312", "gbk", "gb18030", "cp936", "x-gbk", "gb-2312")


def _as_utf8(data: bytes, name: str) -> bytes:
    """The file as UTF-8 XML. Older 任免表 tools write GB2312 / GBK / GB18030 (which the XML parser
    cannot read itself), some write UTF-16, and some write GBK bytes while declaring UTF-8 or
    nothing: each is decoded here (GB18030 covers GB2312 and GBK) and handed on as UTF-8."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise LrmxError(f"“{name}”的文字编码（UTF-16）与内容不符，不是有效的任免表文件。") from None
        return _redeclare(text.encode("utf-8"))
    match = _DECLARED.match(data[:200])
    declared = match.group(1).decode("ascii").lower().replace("_", "-") if match else "utf-8"
    if declared in _GB:
        codec = "gb18030"
    elif declared.startswith(("utf", "ucs")) or declared in ("us-ascii", "ascii", "iso-8859-1", "latin-1"):
        try:
            data.decode("utf-8")
            return data
        except UnicodeDecodeError:
            codec = "gb18030"  # declared UTF-8 (or nothing) but written in GBK: the usual mix-up
    else:
        codec = declared
    try:
        text = data.decode(codec)
    except (LookupError, UnicodeDecodeError):
        raise LrmxError(f"“{name}”的文字编码（{declared}）无法识别或与内容不符，不是有效的任免表文件。") from None
    return _redeclare(text.encode("utf-8"))


def _redeclare(data: bytes) -> bytes:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    match = _DECLARED.match(data[:200])
    if match:
        start, end = match.span(1)  # the declaration is ASCII: its bytes and characters line up
        return data[:start] + b"utf-8" + data[end:]
    return data


def parse(data: bytes, name: str = "") -> CadreProfile:
    """Parse .lrmx bytes (defusedxml: entity declarations refused) into a profile (not validated)."""
    return read(data, name)[0]


# Newer editors add these; they follow from the 出生年月 and the rules, and no field keeps them.
_NOT_KEPT = {"DaoLingNianYue": "到龄年月", "GaiGeQianRenZhiNianLingJieXian": "改革前任职年龄界限"}


def _not_read(root) -> list[str]:
    """What the file says that no field takes (elements of a newer or another tool), for the clerk."""
    notes = []
    for child in root:
        text = " ".join("".join(child.itertext()).split())
        if child.tag in ORDER or not text:
            if child.tag == FAMILY.lrmx:
                notes.extend(_not_read_family(child))
            continue
        shown = excerpt(text)
        if child.tag in _NOT_KEPT:
            notes.append(f"任免表中的{_NOT_KEPT[child.tag]}“{shown}”未导入（本系统不保存此项）")
        else:
            notes.append(f"任免表中有本系统不认识的项目 {child.tag}“{shown}”，未导入")
    return notes


def _not_read_family(node) -> list[str]:
    notes = []
    for n, item in enumerate(node.findall("Item"), 1):
        for child in item:
            text = " ".join("".join(child.itertext()).split())
            if child.tag not in FAMILY_ELEMENTS and text:
                notes.append(f"家庭成员第 {n} 行中有本系统不认识的项目 {child.tag}“{excerpt(text)}”，未导入")
    return notes


_SPOUSE = ("爱人", "配偶")
_DECEASED = ("已故", "已去世", "去世", "已逝", "故")
_DECEASED_AFTER_NAME = re.compile(r"\s*[（(]\s*(?:已故|已去世|去世|已逝|故)\s*[）)]\s*$")


_AGE = re.compile(r"(\d{1,3})(?:周?岁)?")
_WORK_LIMIT = FAMILY.field("work").max_length


def _family_idioms(n: int, values: dict[str, str], gender: str, filled: str = "") -> list[str]:
    """A family member as 任免表 files write them, read into the code tables' terms (``values`` changed),
    with what was done said: 称谓 爱人 / 配偶 → 妻子 or 丈夫 by the cadre's 性别; 出生日期 已故 → no date,
    已故 in 工作单位及职务 (where the form says it); 出生日期 written as an age (74, 74岁) → see _age_as_birth
    (``filled``: the file's 填表时间 as written)."""
    notes = _spouse(n, values, gender)
    name = values.get("name", "")
    if (said := _DECEASED_AFTER_NAME.search(name)) is not None:  # 刘大山（已故）: the name, and 已故 where the form says it
        values["name"] = name[:said.start()].strip()
        work = values.get("work", "")
        if not any(word in work for word in ("故", "去世", "逝")):
            values["work"] = f"{work}（已故）" if work else "已故"
        notes.append(f"家庭成员第 {n} 行姓名“{name}”：姓名按“{values['name']}”，工作单位及职务写“{values['work']}”")
    birth = values.get("birth", "")
    if birth in _DECEASED:
        values["birth"] = ""
        work = values.get("work", "")
        if not any(word in work for word in ("故", "去世", "逝")):
            values["work"] = f"{work}（已故）" if work else "已故"
        notes.append(f"家庭成员第 {n} 行出生日期“{birth}”：出生日期空着，工作单位及职务写“{values['work']}”")
    elif birth:
        notes.extend(_age_as_birth(n, values, filled))
    return notes


def _spouse(n: int, values: dict[str, str], gender: str) -> list[str]:
    """称谓 爱人 / 配偶 → 妻子 or 丈夫 by the cadre's 性别 (``values`` changed), said; nothing without one."""
    relation = values.get("relation", "")
    sex = codes.table("GB22611").name(gender)
    if relation not in _SPOUSE or sex not in ("男", "女"):
        return []
    spouse = "妻子" if sex == "男" else "丈夫"
    values["relation"] = codes.table(FAMILY.field("relation").code_table).code(spouse) or relation
    return [f"家庭成员第 {n} 行称谓“{relation}”按“{spouse}”读入"]


def settle_members(family: list[FamilyItem], gender: str) -> tuple[list[FamilyItem], list[str]]:
    """An .lrmx's members whose 称谓 the reader left as written, none of the code table's (爱人 in a file
    without 性别, 邻居 …): a spouse read by ``gender`` (from the 身份证号, or the stored cadre's when the
    file updates one), any other left out as split_family leaves a member it cannot read (a FieldWarning
    LEFT_OUT: a new cadre's family is the rest, an update keeps the stored one whole). Returns (the
    members, what was said)."""
    relations = codes.table(FAMILY.field("relation").code_table)
    members: list[FamilyItem] = []
    notes: list[str] = []
    for n, member in enumerate(family, 1):  # 家庭成员第 n 行: the file's n-th <Item>, as read() says them
        relation = member.relation
        if not relation or relations.has_code(relation):
            members.append(member)
            continue
        values = {"relation": relation}
        said = _spouse(n, values, gender)
        if said:
            notes.extend(said)
            members.append(dataclasses.replace(member, relation=values["relation"]))
            continue
        why = (f"的称谓“{relation}”须按本人性别写作妻子或丈夫" if relation in _SPOUSE
               else f"的称谓“{relation}”不在家庭关系代码表中")
        notes.append(_left_out(n, " ".join(p for p in (relation, member.name) if p), why))
    return members, notes


_MEMBERS = re.compile(r"[；;\n]+")
_MEMBER_PARTS = re.compile(r"[^\s，,：:]+")
_ONE_HAN = re.compile(r"[\u3400-\u9fff]")  # half of a two-character name padded to line up
FAMILY_SHAPE = "称谓 姓名 出生年月 政治面貌 工作单位及职务"


def split_family(text: str, gender: str, notes: list[str]) -> list[FamilyItem]:
    """家庭成员 written in one cell, as departments' rosters have them: members apart by ；or by lines,
    each "妻子 李芳 1988.03 中共党员 兴平市第一中学教师" (FAMILY_SHAPE; the 出生年月 and 政治面貌 may be left
    out, an age or 已故 may stand for the 出生年月), as family_text writes them. Read as the .lrmx reader
    reads its members (code tables, _family_idioms: 爱人 / 配偶 by ``gender``, 已故, ages); a member that
    cannot be read goes into ``notes``, quoted, as a FieldWarning of 家庭成员, LEFT_OUT, and is left out
    (the rest is a new cadre's family; an update keeps the stored one whole). 无: none."""
    if _nothing_in(text):
        return []
    relations = codes.table(FAMILY.field("relation").code_table)
    parties = codes.table(FAMILY.field("political").code_table)
    members: list[FamilyItem] = []
    lines = (line.replace("\u3000", " ").strip(" 。.") for line in _MEMBERS.split((text or "").replace("\r", "\n")))
    for n, line in enumerate((line for line in lines if line), 1):  # 家庭成员第 n 行: the n-th member written
        parts = list(_MEMBER_PARTS.finditer(line))
        relation = parts[0].group() if parts else ""
        if len(parts) < 2 or (relations.code(relation) is None and relation not in _SPOUSE):
            notes.append(_left_out(n, line, "无法识别", f"（每人应写作“{FAMILY_SHAPE}”，"
                                                      "如“妻子 李芳 1988.03 中共党员 兴平市第一中学教师”）"))
            continue
        name, rest = parts[1].group(), parts[2:]
        if rest and _ONE_HAN.fullmatch(name) and _ONE_HAN.fullmatch(rest[0].group()):  # 妻子　张　梅: padded
            name += rest.pop(0).group()
        values = {"relation": _code_value(relations.key, relation), "name": name,
                  "birth": "", "political": "", "work": ""}
        if rest and (rest[0].group()[:1].isdigit() or rest[0].group() in _DECEASED):
            values["birth"] = rest.pop(0).group()
        if rest and parties.code(rest[0].group()) is not None:
            values["political"] = parties.code(rest.pop(0).group())
        if rest:
            values["work"] = line[rest[0].start():].strip()
        said = _family_idioms(n, values, gender)
        if not relations.has_code(values["relation"]):  # 爱人 with no 性别 to say whose
            notes.append(_left_out(n, line, f"的称谓“{relation}”须按本人性别写作妻子或丈夫"))
            continue
        notes.extend(said)
        members.append(FamilyItem(**values))
    return members


def _left_out(n: int, line: str, why: str, hint: str = "") -> FieldWarning:
    """The note of a member split_family leaves out: 未导入 (a new cadre's family is the rest), and
    what an update says instead, which keeps the stored family (FieldWarning.kept)."""
    member = f"家庭成员第 {n} 行“{excerpt(line)}”{why}"
    return FieldWarning(f"{member}，未导入{hint}", FAMILY.key, LEFT_OUT,
                        kept=f"{member}，已保留原有家庭成员，未更新{hint}")


def spouse_in(text: str) -> bool:
    """Whether a 家庭成员 cell names a spouse as 爱人 / 配偶 (read by the cadre's 性别)."""
    return any(word in (text or "") for word in _SPOUSE)


def _age_as_birth(n: int, values: dict[str, str], filled: str) -> list[str]:
    """出生日期 written as an age (74, 74岁): the birth year it gives counted from the file's 填表时间, or
    the one clock's date when the file has none. A year alone is no 出生日期 (they are kept to the
    month): the date stays empty and the age, as written, goes into 工作单位及职务; the note says the
    reading and that the month is unknown."""
    birth = values["birth"]
    match = _AGE.fullmatch("".join(normalize_digits(birth).split()))
    if match is None or int(match.group(1)) > 120:
        return []
    try:
        counted = parse_date(filled)
    except DateError:
        counted = ""
    since = f"填表时间 {format_date(counted)}" if counted else f"今天 {format_date(clock.today())}"
    year = int(counted[:4] if counted else clock.today().year) - int(match.group(1))
    reading = f"家庭成员第 {n} 行出生日期“{birth}”按年龄读作约 {year} 年出生（按{since} 计算，月份不详）"
    work = values.get("work", "")
    kept = f"{work}（出生日期原写“{birth}”）"
    values["birth"] = ""
    if len(kept) > _WORK_LIMIT:
        return [f"{reading}；出生日期须写到月，未填，请补全（工作单位及职务已满 {_WORK_LIMIT} 字，原文未记入）"]
    values["work"] = kept
    return [f"{reading}；出生日期须写到月，未填，原文记在工作单位及职务中，请补全"]


def read(data: bytes, name: str = "") -> tuple[CadreProfile, list[str]]:
    """(the profile, what the file holds that was not imported, in Chinese for the clerk); see parse."""
    if len(data) > MAX_LRMX_BYTES:
        raise LrmxError(f"“{name}”超过 20 MB，不是正常的任免表文件，已拒绝导入。")
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    data = _as_utf8(data, name)
    try:
        root = fromstring(data, forbid_dtd=True)
    except DefusedXmlException:
        raise LrmxError(f"“{name}”含有 XML 实体或文档类型声明（可能是恶意构造的文件），已拒绝导入。") from None
    except Exception as exc:  # noqa: BLE001 - ParseError and friends
        position = getattr(exc, "position", None)
        where = f"（第 {position[0]} 行第 {position[1] + 1} 列附近）" if position else ""
        raise LrmxError(f"“{name}”不是有效的任免表（LRMX）文件：内容不完整或 XML 格式有误{where}。") from None
    if root.tag != "Person":
        raise LrmxError(f"“{name}”不是任免表（LRMX）文件：根元素应为 Person。")

    def text_of(element: str) -> str:
        node = root.find(element)
        return (node.text or "").strip() if node is not None else ""

    from cadre_desk.profiles.cadres import new_profile

    profile = new_profile(None)
    for spec in FIELDS:
        if spec.lrmx:
            profile.values[spec.key] = ""
    for element, spec in BY_ELEMENT.items():
        value = text_of(element)
        if spec.kind == "code" and value:
            value = _code_value(spec.code_table, value)
        profile.values[spec.key] = value
    # 刘　洋: the editor's users pad a two-character name to line it up, as rosters do
    profile.values["name"] = clean_name(profile.values.get("name"))
    notes: list[str] = []
    profile.resume = split_resume(text_of(RESUME.lrmx), notes)
    profile.rewards = split_rewards(text_of(REWARDS.lrmx))
    # kept as written (and never a reason to refuse a person), read year by year where it can be
    profile.values[ASSESSMENT_KEPT] = text_of(ASSESSMENTS.lrmx)
    profile.assessments, _unread = split_assessments(profile.values[ASSESSMENT_KEPT])
    notes.extend(_not_read(root))
    family_node = root.find(FAMILY.lrmx)
    if family_node is not None:
        for n, item in enumerate(family_node.findall("Item"), 1):
            values = {}
            for element, spec in FAMILY_ELEMENTS.items():
                child = item.find(element)
                value = (child.text or "").strip() if child is not None else ""
                values[spec.key] = _code_value(spec.code_table, value) if spec.kind == "code" else value
            values["name"] = clean_name(values.get("name"))
            notes.extend(_family_idioms(n, values, profile.values.get("gender") or "",
                                        profile.values.get("fill_date") or ""))
            profile.family.append(FamilyItem(**values))
    # base64, wrapped in lines or not; some tools write it as a data URL (data:image/jpeg;base64,…)
    photo = re.sub(r"^data:[\w/+.-]*;base64,", "", "".join(text_of("ZhaoPian").split()))
    if photo:
        try:
            profile.photo = base64.b64decode(photo, validate=False)
        except ValueError:  # cut short or not base64: said, never dropped without a word
            profile.photo = None
            notes.append("任免表中的照片数据不完整或已损坏，照片未导入（其余信息照常导入）")
    return profile, notes
