"""The cadre profile field registry: one description per field drives the form, the list columns,
import header matching, roster export and the LRMX mapping. Adding a field is one line here
(plus a migration that adds its column)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

# Module level, not inside display_value: under PySide6 every executed import statement passes its
# import hook (~70 µs), and display_value runs for every visible cell.
from cadre_desk.domain import codes
from cadre_desk.domain.dates import format_date

Kind = Literal["text", "longtext", "date", "code", "codes", "party", "id_number", "unit", "phone"]


@dataclass(frozen=True)
class FieldSpec:
    key: str
    label: str
    kind: Kind = "text"
    max_length: int | None = None
    code_table: str | None = None
    required: bool = False
    group: str = "基本信息"
    listable: bool = False  # may be a list column (kept in the in-memory list)
    list_default: bool = False  # shown in the list by default
    width: int = 100  # list column / export width hint in pixels
    lrmx: str | None = None  # element name in the .lrmx file
    synonyms: tuple[str, ...] = field(default_factory=tuple)  # other header names seen in real files
    suggestions: str | None = None  # code table offered as suggestions for a free-text field
    placeholder: str = ""

    @property
    def headers(self) -> tuple[str, ...]:
        """Every header name that means this field in an imported sheet."""
        return (self.label, *self.synonyms)


GROUPS = ("基本信息", "学历学位", "任免信息", "培养使用")

FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("name", "姓名", max_length=18, required=True, listable=True, list_default=True, width=80,
              lrmx="XingMing", synonyms=("干部姓名",)),
    FieldSpec("gender", "性别", "code", 1, "GB22611", required=True, listable=True, list_default=True,
              width=50, lrmx="XingBie"),
    FieldSpec("birth", "出生年月", "date", 8, required=True, listable=True, list_default=True, width=80,
              lrmx="ChuShengNianYue", synonyms=("出生日期", "出生时间", "出生年月日"), placeholder="例：198510"),
    FieldSpec("ethnicity", "民族", "code", 18, "GB3304", listable=True, list_default=True, width=70,
              lrmx="MinZu"),
    FieldSpec("native_place", "籍贯", max_length=18, listable=True, width=90, lrmx="JiGuan"),
    FieldSpec("birthplace", "出生地", max_length=18, lrmx="ChuShengDi"),
    FieldSpec("party", "入党时间", "party", 18, listable=True, list_default=True, width=90,
              lrmx="RuDangShiJian", synonyms=("入党年月", "入党日期", "加入党派时间"),
              placeholder="例：200108，或 民建，或 200108；民建"),
    FieldSpec("political", "政治面貌", "code", 18, "GB4762", listable=True, width=80, synonyms=("党员身份", "党派")),
    FieldSpec("work_start", "参加工作时间", "date", 8, listable=True, width=90,
              lrmx="CanJiaGongZuoShiJian", synonyms=("参加工作年月", "工作时间", "参加工作日期")),
    FieldSpec("health", "健康状况", "code", 18, "GB22613", lrmx="JianKangZhuangKuang", synonyms=("健康",)),
    FieldSpec("id_number", "身份证号", "id_number", 18, listable=True, list_default=True, width=150,
              lrmx="ShenFenZheng", synonyms=("身份证号码", "公民身份号码", "身份证")),
    FieldSpec("phone", "联系电话", "phone", 20, listable=True, width=110, synonyms=("手机", "手机号码", "电话", "联系方式")),
    FieldSpec("tech_title", "专业技术职务", max_length=90, lrmx="ZhuanYeJiShuZhiWu", suggestions="GB8561",
              synonyms=("专业技术职称", "职称")),
    FieldSpec("expertise", "熟悉专业有何专长", max_length=110, lrmx="ShuXiZhuanYeYouHeZhuanChang",
              synonyms=("熟悉专业", "有何专长")),
    # 学历学位
    FieldSpec("ft_education", "全日制教育学历", "code", 54, "ZB64", group="学历学位", listable=True,
              list_default=True, width=110, lrmx="QuanRiZhiJiaoYu_XueLi", synonyms=("全日制学历", "学历")),
    FieldSpec("ft_degree", "全日制教育学位", "code", 54, "GB6864", group="学历学位", listable=True, width=90,
              lrmx="QuanRiZhiJiaoYu_XueWei", synonyms=("全日制学位", "学位")),
    FieldSpec("ft_school", "全日制学历毕业院校系及专业", max_length=90, group="学历学位",
              lrmx="QuanRiZhiJiaoYu_XueLi_BiYeYuanXiaoXi",
              synonyms=("全日制毕业院校系及专业", "毕业院校系及专业", "毕业院校", "全日制毕业院校",
                        "全日制教育毕业院校系及专业")),
    FieldSpec("ft_degree_school", "全日制学位授予院校系及专业", max_length=90, group="学历学位",
              lrmx="QuanRiZhiJiaoYu_XueWei_BiYeYuanXiaoXi"),
    FieldSpec("pt_education", "在职教育学历", "code", 54, "ZB64", group="学历学位", listable=True, width=110,
              lrmx="ZaiZhiJiaoYu_XueLi", synonyms=("在职学历",)),
    FieldSpec("pt_degree", "在职教育学位", "code", 54, "GB6864", group="学历学位", width=90,
              lrmx="ZaiZhiJiaoYu_XueWei", synonyms=("在职学位",)),
    FieldSpec("pt_school", "在职学历毕业院校系及专业", max_length=90, group="学历学位",
              lrmx="ZaiZhiJiaoYu_XueLi_BiYeYuanXiaoXi", synonyms=("在职毕业院校系及专业", "在职毕业院校", "在职教育毕业院校系及专业")),
    FieldSpec("pt_degree_school", "在职学位授予院校系及专业", max_length=90, group="学历学位",
              lrmx="ZaiZhiJiaoYu_XueWei_BiYeYuanXiaoXi"),
    # 任免信息
    FieldSpec("unit", "单位", "unit", required=True, group="任免信息", listable=True, list_default=True,
              width=180, synonyms=("工作单位", "所在单位", "单位名称")),
    FieldSpec("position", "现任职务", "longtext", 324, group="任免信息", listable=True, list_default=True,
              width=220, lrmx="XianRenZhiWu", synonyms=("职务", "现职务", "现任职务职级", "现任职务名称", "所在单位及职务", "时任职务")),
    FieldSpec("position_date", "任现职时间", "date", 8, group="任免信息", listable=True, width=90,
              synonyms=("任现职务时间", "任职时间", "任职日期")),
    FieldSpec("rank", "职务层次/职级", "code", 18, "RANK", group="任免信息", listable=True, list_default=True,
              width=100, synonyms=("职务层次", "职级", "职务级别")),
    FieldSpec("rank_date", "任职级时间", "date", 8, group="任免信息", synonyms=("任现职级时间", "任同级时间")),
    FieldSpec("proposed_position", "拟任职务", "longtext", 324, group="任免信息", lrmx="NiRenZhiWu"),
    FieldSpec("proposed_removal", "拟免职务", "longtext", 324, group="任免信息", lrmx="NiMianZhiWu"),
    FieldSpec("appointment_reason", "任免理由", "longtext", 552, group="任免信息", lrmx="RenMianLiYou"),
    FieldSpec("reporting_unit", "呈报单位", max_length=252, group="任免信息", lrmx="ChengBaoDanWei"),
    FieldSpec("age_basis_date", "计算年龄时间", "date", 8, group="任免信息", lrmx="JiSuanNianLingShiJian"),
    FieldSpec("fill_date", "填表时间", "date", 8, group="任免信息", lrmx="TianBiaoShiJian"),
    FieldSpec("filler", "填表人", max_length=18, group="任免信息", lrmx="TianBiaoRen"),
    # 培养使用
    FieldSpec("categories", "干部类别", "codes", 60, "CATEGORY", group="培养使用", listable=True,
              list_default=True, width=140, synonyms=("人员类别", "类别", "干部类型")),
    FieldSpec("status", "人员状态", "code", 4, "STATUS", required=True, group="培养使用", listable=True,
              list_default=True, width=70, synonyms=("状态", "在职状态")),
    FieldSpec("specialty", "专业特长", "longtext", 200, group="培养使用", synonyms=("特长", "专长")),
    FieldSpec("personality", "个性特点", "longtext", 200, group="培养使用", synonyms=("性格特点",)),
    FieldSpec("weaknesses", "短板弱项", "longtext", 200, group="培养使用", synonyms=("短板", "不足")),
    FieldSpec("remarks", "备注", "longtext", 500, group="培养使用", synonyms=("说明",)),
)

BY_KEY: dict[str, FieldSpec] = {f.key: f for f in FIELDS}
LIST_FIELDS: tuple[FieldSpec, ...] = tuple(f for f in FIELDS if f.listable)


def field(key: str) -> FieldSpec:
    return BY_KEY[key]


def normalize_header(text: object) -> str:
    """Header text as it is matched: no spaces (姓 名), no line breaks, no full-width parentheses."""
    out = "".join(str(text or "").split())
    return out.replace("（", "(").replace("）", ")").replace("：", "").replace(":", "").replace("*", "")


def header_index() -> dict[str, FieldSpec]:
    """Normalized header name → field, for import."""
    index: dict[str, FieldSpec] = {}
    for spec in FIELDS:
        for header in spec.headers:
            index.setdefault(normalize_header(header), spec)
    return index


def display_value(spec: FieldSpec, raw: object, unit_names: dict[int, str] | None = None) -> str:
    """A stored value as the user reads it: code → name, YYYYMM → 1985.10, categories joined."""
    if raw is None or raw == "":
        return ""
    if spec.kind == "code":
        return codes.table(spec.code_table).name(str(raw))
    if spec.kind == "codes":
        tbl = codes.table(spec.code_table)
        return "、".join(tbl.name(c) for c in str(raw).split(",") if c)
    if spec.kind == "date":
        return format_date(str(raw))
    if spec.kind == "party":
        return "；".join(format_date(part) if part[:1].isdigit() else part for part in str(raw).split("；"))
    if spec.kind == "unit":
        return (unit_names or {}).get(raw, "") if isinstance(raw, int) else str(raw)
    return str(raw)
