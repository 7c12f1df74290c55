"""The field registry: one description per field — of the cadre profile and of its sub-records
(简历, 家庭成员, 奖惩, 培训, 年度考核) — drives the edit form and the sub-record tables, the list
columns, import header matching, Excel export and the LRMX mapping.

Adding a field is one line here, plus a migration that adds its column:

* a profile field: a ``FieldSpec`` in ``FIELDS`` (its column in ``cadre``);
* a sub-record field: a ``FieldSpec`` in that record's ``RecordSpec`` (its column in the record's
  table; the row class ``ResumeItem`` … gets the attribute by itself).

API
    FieldSpec      key, label, kind, max_length, code_table, required, default, width, lrmx, synonyms,
                   precision ("month"/"day" for dates: what is kept), month (a 年月: shown 1986.05 even
                   when a day is stored), minimum/maximum (numbers), not_before (the
                   field of the same row a date may not precede), not_after_today (a date after the
                   one clock's month is said), form (shown in forms and tables)
    RecordSpec     key (CadreProfile attribute), label (tabs, messages), title (the form's and the
                   documents' name: 奖惩情况), item (the row dataclass), fields, row_word, hint,
                   lrmx, unique, order, continuous, box (the 任免表's characters for its text);
                   ``.field(key)``, ``.form_fields``, ``.blank(item)``,
                   ``.where(i)`` ("简历第 2 条", the prefix of a row's messages), ``.qualified_label(spec)``
                   (培训开始时间: the label where the record is not evident)
    FIELDS, BY_KEY, LIST_FIELDS, field(key)    the profile's fields
    RESUME, FAMILY, REWARDS, TRAININGS, ASSESSMENTS, RECORDS, RECORD_BY_KEY   the profile's sub-records
    ResumeItem, FamilyItem, RewardItem, TrainingItem, AssessmentItem   the rows' dataclasses
    POSTING, POSTING_REVIEW, MENTOR_PAIR, MEETING_LOG, RANKING, REMINDER, ACTIVITY_RECORDS   other capabilities'
                   rows as lists and exports show
                   them (``record.labels("start", …)`` for a header row, ``record.label_of(key)``)
    CHECKUP_*, TALENT_POOL, POOL_MEMBER, TALK, CARE, SUPERVISION, LIAISON   the practices' records
                   (政治体检, 专业干部信息库, 谈心谈话, 关爱, 干部监督, 包抓)
    POSTING_LIST, MENTOR_PAIR_LIST, RANKING_LIST, RACE_LIST, CHECKUP_SHEET_LIST, CHECKUP_SUMMARY_LIST,
    POOL_MEMBER_LIST, TALK_LIST, CARE_LIST, LIAISON_LIST, SUPERVISION_LIST
                   the columns of a page's table, which its workbook writes too (same words, same order);
                   ``with_more(list, after)`` inserts a workbook's own columns after some of them
    header_index(specs=FIELDS)                 normalized header → FieldSpec (import matching)
    rewards_text(items), written_text(record, items)   a sub-record as the 任免表 writes it
    normalize_header(text)
    display_value(spec, raw, unit_names=None)  a stored value as every screen and workbook shows it
Checks live in ``cadre_desk.domain.validation`` (``validate_profile_values``, ``clean_records``,
``record_warnings``) and read only what is described here: the form, the import and the .lrmx reader
run the same ones.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, Literal

# Module level, not inside display_value: under PySide6 every executed import statement passes its
# import hook (~70 µs), and display_value runs for every visible cell.
from cadre_desk.domain import codes
from cadre_desk.domain.dates import MONTH_EXAMPLE, format_date, format_month

Kind = Literal["text", "longtext", "date", "code", "codes", "party", "id_number", "unit", "phone", "year",
               "number"]


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
    width: int = 100  # list column / table column / export width hint in pixels
    lrmx: str | None = None  # element name in the .lrmx file
    synonyms: tuple[str, ...] = ()  # other header names seen in real files
    # headers meaning the field only where no other column of the sheet names it (最高学历: the 全日制 one in a
    # roster with no 全日制 column; beside one, left out; exchange/headers.map_columns)
    fallback_headers: tuple[str, ...] = ()
    suggestions: str | None = None  # code table offered as suggestions for a free-text field
    placeholder: str = ""
    default: Any = ""  # a new row's value; an empty code or text given takes it
    precision: Literal["month", "day"] | None = None  # dates: kept to the month / needed to the day
    # a 年月 as the 任免表 and the 干部名册 write it (出生年月, 入党时间 …): every display shows its month,
    # 1986.05, also when a day is stored (出生年月 from the 身份证号, 任现职时间 from a 任职 decision);
    # the form edits the stored value, and sorting and ages read it whole
    month: bool = False
    minimum: float | None = None  # year / number
    maximum: float | None = None
    not_before: str | None = None  # a date that may not precede this other field of the same row
    # a date said (a warning, never a refusal: saved and imported as given) when after the one clock's
    # month — a 简历 entry dated in the future is a slip (2027 for 2017) the clerk is asked to look at
    not_after_today: bool = False
    form: bool = True  # shown in the edit form / sub-record table

    @property
    def headers(self) -> tuple[str, ...]:
        """Every header name that means this field in an imported sheet."""
        return (self.label, *self.synonyms)


_PY_TYPES = {"year": int, "number": float | None}


@dataclass(frozen=True)
class RecordSpec:
    """A sub-record of the profile: several rows of the same fields (简历, 家庭成员 …)."""

    key: str  # the CadreProfile attribute; error keys are "resume[2].start"
    label: str
    item_name: str | None  # the name of the rows' dataclass (None: the rows are a capability's own)
    fields: tuple[FieldSpec, ...]
    row_word: str = "条"  # 简历第 2 条 / 家庭成员第 2 行
    title: str = ""  # its name on the official form and in documents, when not the label (奖惩情况)
    hint: str = ""
    lrmx: str | None = None  # its element in the .lrmx file
    unique: str | None = None  # a field whose value may appear in one row only
    order: str | None = None  # rows are kept sorted by this field ("-year": descending)
    continuous: bool = False  # the rows' periods (start, end) must join without gaps
    # the characters the 干部任免审批表 gives the record's text as it writes it (written_text): a longer
    # text is said (a warning, never a refusal: the form prints it smaller or continues it)
    box: int | None = None
    item: type | None = dataclasses.field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        item = None
        if self.item_name:
            columns = [(f.key, _PY_TYPES.get(f.kind, str), dataclasses.field(default=f.default)) for f in self.fields]
            item = dataclasses.make_dataclass(self.item_name, columns)
            item.__module__ = __name__
        object.__setattr__(self, "item", item)
        if not self.title:
            object.__setattr__(self, "title", self.label)

    def field(self, key: str) -> FieldSpec:
        for spec in self.fields:
            if spec.key == key:
                return spec
        raise KeyError(key)

    def label_of(self, key: str) -> str:
        """The label of one of its fields (a column header, a form row, a message)."""
        return self.field(key).label

    def labels(self, *keys: str) -> tuple[str, ...]:
        """The labels of several of its fields, in that order (an export's header row)."""
        return tuple(self.field(key).label for key in keys)

    @property
    def form_fields(self) -> tuple[FieldSpec, ...]:
        return tuple(f for f in self.fields if f.form)

    def blank(self, item: Any) -> bool:
        """True for a row the user left empty (every field empty or at its default)."""
        return all(getattr(item, f.key) in ("", None, 0, f.default) for f in self.fields)

    def qualified_label(self, spec: FieldSpec) -> str:
        """The field's label where the record is not evident (an import column): 培训开始时间."""
        return spec.label if spec.label.startswith(self.label) else f"{self.label}{spec.label}"

    def where(self, index: int) -> str:
        """A row named in messages: 简历第 2 条."""
        return f"{self.label}第 {index + 1} {self.row_word}"


# the profile's tabs of fields; a field whose group is a sub-record's label (年度考核结果（原文）) is on
# that sub-record's tab, under its table
GROUPS = ("基本信息", "学历学位", "任免信息", "培养使用")
# The characters the 干部任免审批表 (and its .lrmx, as the official editor limits them) gives the text of
# its long boxes, each its own though the numbers are the same: 任免理由 (RenMianLiYou) may not be longer;
# a 奖惩情况 (JiangChengQingKuang) longer is said (REWARDS.box: validation.record_warnings), in the form and
# on import. tests/test_lrmx_lengths.py holds every element's limit against the format's list.
RMB_BOX_CHARS = 552
RMB_REWARDS_CHARS = 552

FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("name", "姓名", max_length=18, required=True, listable=True, list_default=True, width=80,
              lrmx="XingMing", synonyms=("干部姓名",)),
    FieldSpec("gender", "性别", "code", 1, "GB22611", required=True, listable=True, list_default=True,
              width=50, lrmx="XingBie"),
    FieldSpec("birth", "出生年月", "date", 8, month=True, required=True, listable=True, list_default=True, width=80,
              lrmx="ChuShengNianYue", synonyms=("出生日期", "出生时间", "出生年月日"), placeholder=MONTH_EXAMPLE),
    FieldSpec("ethnicity", "民族", "code", 18, "GB3304", listable=True, list_default=True, width=70,
              lrmx="MinZu", default="01"),
    FieldSpec("native_place", "籍贯", max_length=18, listable=True, width=90, lrmx="JiGuan"),
    FieldSpec("birthplace", "出生地", max_length=18, lrmx="ChuShengDi"),
    FieldSpec("party", "入党时间", "party", 18, month=True, listable=True, list_default=True, width=90,
              lrmx="RuDangShiJian", synonyms=("入党年月", "入党日期", "加入党派时间"),
              placeholder="例：2001.08，或 民建，或 2001.08；民建"),
    # 党龄 counts from 转正 (党章第七条); the 任免表 has no box for it (入党时间 is the joining date): kept here,
    # in the list and the roster, never on the official form or in its .lrmx
    FieldSpec("party_confirmed", "转正时间", "date", 8, month=True, listable=True, width=90,
              synonyms=("转正日期", "转正年月", "入党转正时间", "转为正式党员时间", "转正式党员时间"),
              placeholder=MONTH_EXAMPLE),
    FieldSpec("political", "政治面貌", "code", 18, "GB4762", listable=True, width=80, synonyms=("党员身份", "党派")),
    FieldSpec("work_start", "参加工作时间", "date", 8, month=True, listable=True, width=90,
              lrmx="CanJiaGongZuoShiJian", synonyms=("参加工作年月", "工作时间", "参加工作日期", "参工时间")),
    FieldSpec("health", "健康状况", "code", 18, "GB22613", lrmx="JianKangZhuangKuang", synonyms=("健康",),
              default="1"),
    FieldSpec("id_number", "身份证号", "id_number", 18, listable=True, list_default=True, width=150,
              lrmx="ShenFenZheng", synonyms=("身份证号码", "公民身份号码", "身份证")),
    FieldSpec("phone", "联系电话", "phone", 20, listable=True, width=110, synonyms=("手机", "手机号码", "电话", "联系方式")),
    FieldSpec("tech_title", "专业技术职务", max_length=90, lrmx="ZhuanYeJiShuZhiWu", suggestions="GB8561",
              synonyms=("专业技术职称", "职称")),
    FieldSpec("expertise", "熟悉专业有何专长", max_length=110, lrmx="ShuXiZhuanYeYouHeZhuanChang",
              synonyms=("熟悉专业", "有何专长")),
    # 学历学位
    FieldSpec("ft_education", "全日制教育学历", "code", 54, "ZB64", group="学历学位", listable=True,
              list_default=True, width=110, lrmx="QuanRiZhiJiaoYu_XueLi", synonyms=("全日制学历", "学历", "全日制教育", "全日制学历学位", "全日制教育学历学位"),
              fallback_headers=("最高学历", "文化程度", "最高学历学位")),
    FieldSpec("ft_degree", "全日制教育学位", "code", 54, "GB6864", group="学历学位", listable=True, width=90,
              lrmx="QuanRiZhiJiaoYu_XueWei", synonyms=("全日制学位", "学位"), fallback_headers=("最高学位",)),
    FieldSpec("ft_school", "全日制学历毕业院校系及专业", max_length=90, group="学历学位",
              lrmx="QuanRiZhiJiaoYu_XueLi_BiYeYuanXiaoXi",
              synonyms=("全日制毕业院校系及专业", "毕业院校系及专业", "毕业院校", "全日制毕业院校",
                        "全日制教育毕业院校系及专业", "毕业院校及专业", "全日制毕业院校及专业",
                        "全日制教育毕业院校及专业")),
    FieldSpec("ft_degree_school", "全日制学位授予院校系及专业", max_length=90, group="学历学位",
              lrmx="QuanRiZhiJiaoYu_XueWei_BiYeYuanXiaoXi"),
    FieldSpec("pt_education", "在职教育学历", "code", 54, "ZB64", group="学历学位", listable=True, width=110,
              lrmx="ZaiZhiJiaoYu_XueLi", synonyms=("在职学历", "在职教育", "在职学历学位", "在职教育学历学位")),
    FieldSpec("pt_degree", "在职教育学位", "code", 54, "GB6864", group="学历学位", width=90,
              lrmx="ZaiZhiJiaoYu_XueWei", synonyms=("在职学位",)),
    FieldSpec("pt_school", "在职学历毕业院校系及专业", max_length=90, group="学历学位",
              lrmx="ZaiZhiJiaoYu_XueLi_BiYeYuanXiaoXi", synonyms=("在职毕业院校系及专业", "在职毕业院校", "在职教育毕业院校系及专业",
                        "在职毕业院校及专业", "在职教育毕业院校及专业")),
    FieldSpec("pt_degree_school", "在职学位授予院校系及专业", max_length=90, group="学历学位",
              lrmx="ZaiZhiJiaoYu_XueWei_BiYeYuanXiaoXi"),
    # 任免信息
    FieldSpec("unit", "单位", "unit", required=True, group="任免信息", listable=True, list_default=True,
              width=180, synonyms=("工作单位", "所在单位", "单位名称")),
    FieldSpec("position", "现任职务", "longtext", 324, group="任免信息", listable=True, list_default=True,
              width=220, lrmx="XianRenZhiWu", synonyms=("职务", "现职务", "现任职务职级", "现任职务名称", "所在单位及职务", "时任职务",
                        "工作单位及职务", "单位及职务", "现工作单位及职务", "工作单位及现任职务",
                        "现任工作单位及职务", "行政职务")),
    FieldSpec("position_date", "任现职时间", "date", 8, month=True, group="任免信息", listable=True, width=90,
              synonyms=("任现职务时间", "任职时间", "任职日期")),
    FieldSpec("rank", "职务层次/职级", "code", 18, "RANK", group="任免信息", listable=True, list_default=True,
              width=100, synonyms=("职务层次", "职级", "职务级别", "现职级", "现任职级")),
    FieldSpec("rank_date", "任职级时间", "date", 8, month=True, group="任免信息", synonyms=("任现职级时间", "任同级时间")),
    FieldSpec("proposed_position", "拟任职务", "longtext", 324, group="任免信息", lrmx="NiRenZhiWu"),
    FieldSpec("proposed_removal", "拟免职务", "longtext", 324, group="任免信息", lrmx="NiMianZhiWu"),
    FieldSpec("appointment_reason", "任免理由", "longtext", RMB_BOX_CHARS, group="任免信息", lrmx="RenMianLiYou"),
    FieldSpec("reporting_unit", "呈报单位", max_length=252, group="任免信息", lrmx="ChengBaoDanWei"),
    FieldSpec("age_basis_date", "计算年龄时间", "date", 8, group="任免信息", lrmx="JiSuanNianLingShiJian"),
    FieldSpec("fill_date", "填表时间", "date", 8, group="任免信息", lrmx="TianBiaoShiJian"),
    FieldSpec("filler", "填表人", max_length=18, group="任免信息", lrmx="TianBiaoRen"),
    # 培养使用
    FieldSpec("categories", "干部类别", "codes", 60, "CATEGORY", group="培养使用", listable=True,
              list_default=True, width=140, synonyms=("人员类别", "类别", "干部类型")),
    FieldSpec("status", "人员状态", "code", 4, "STATUS", required=True, group="培养使用", listable=True,
              list_default=True, width=70, synonyms=("状态", "在职状态"), default="1"),
    FieldSpec("specialty", "专业特长", "longtext", 200, group="培养使用", synonyms=("特长", "专长")),
    FieldSpec("personality", "个性特点", "longtext", 200, group="培养使用", synonyms=("性格特点",)),
    FieldSpec("weaknesses", "短板弱项", "longtext", 200, group="培养使用", synonyms=("短板", "不足")),
    FieldSpec("remarks", "备注", "longtext", 500, group="培养使用", synonyms=("说明",)),
    # 年度考核结果 as the file gave it (任免表 NianDuKaoHeJieGuo, a roster's text column): shown on the
    # 年度考核 tab under the per-year results; the 任免表 writes it back while those results still say
    # what it says (exchange/assessment_text.official_text)
    FieldSpec("assessment_text", "年度考核结果（原文）", "longtext", 414, group="年度考核", width=260,
              placeholder="如 2022年、2023年年度考核均为称职；任免表按此原文填写，逐年结果有变化时按逐年结果填写"),
)

BY_KEY: dict[str, FieldSpec] = {f.key: f for f in FIELDS}
LIST_FIELDS: tuple[FieldSpec, ...] = tuple(f for f in FIELDS if f.listable)

# ---- the sub-records -----------------------------------------------------------------------------

RESUME = RecordSpec("resume", "简历", "ResumeItem", (
    FieldSpec("start", "起始时间", "date", 8, month=True, required=True, width=100, precision="month", placeholder=MONTH_EXAMPLE,
              synonyms=("开始时间", "起始年月"), not_after_today=True),
    FieldSpec("end", "截止时间", "date", 8, month=True, width=100, precision="month", not_before="start",
              placeholder="空着表示至今", synonyms=("结束时间", "截止年月"), not_after_today=True),
    FieldSpec("text", "经历（单位及职务）", required=True, width=520, synonyms=("经历", "单位及职务")),
), hint="时间写到月，如 1985.10；截止时间空着表示至今", lrmx="JianLi", order="start", continuous=True)

FAMILY = RecordSpec("family", "家庭成员", "FamilyItem", (
    FieldSpec("relation", "称谓", "code", 10, "GB4761", required=True, width=90, lrmx="ChengWei"),
    FieldSpec("name", "姓名", max_length=18, required=True, width=90, lrmx="XingMing"),
    FieldSpec("birth", "出生日期", "date", 8, width=90, lrmx="ChuShengRiQi", synonyms=("出生年月",)),
    FieldSpec("political", "政治面貌", "code", 18, "GB4762", width=130, lrmx="ZhengZhiMianMao"),
    FieldSpec("work", "工作单位及职务", max_length=124, width=300, lrmx="GongZuoDanWeiJiZhiWu"),
    FieldSpec("id_number", "身份证号", "id_number", 18, form=False),
), row_word="行", title="家庭主要成员及重要社会关系", hint="家庭主要成员及重要社会关系", lrmx="JiaTingChengYuan")

REWARDS = RecordSpec("rewards", "奖惩", "RewardItem", (
    FieldSpec("date", "奖惩时间", "date", 8, width=90, synonyms=("时间",)),
    FieldSpec("kind", "奖惩类别", "code", 2, "REWARD_KIND", required=True, width=80, default="1", synonyms=("类别",)),
    FieldSpec("content", "奖惩内容", required=True, width=380, synonyms=("内容",)),
    FieldSpec("issuer", "批准机关", max_length=100, width=180, synonyms=("批准单位",)),
), title="奖惩情况", lrmx="JiangChengQingKuang", box=RMB_REWARDS_CHARS)

TRAININGS = RecordSpec("trainings", "培训", "TrainingItem", (
    FieldSpec("name", "培训名称", max_length=200, required=True, width=260,
              synonyms=("培训内容", "培训班次", "培训项目", "培训班名称")),
    FieldSpec("organizer", "主办单位", max_length=100, width=170, synonyms=("举办单位", "培训单位", "组织单位")),
    FieldSpec("start", "开始时间", "date", 8, width=90,
              synonyms=("起始时间", "培训开始时间", "培训起始时间", "起始日期", "开始日期")),
    FieldSpec("end", "结束时间", "date", 8, width=90, not_before="start",
              synonyms=("截止时间", "培训结束时间", "结束日期")),
    FieldSpec("hours", "学时", "number", width=60, default=None, minimum=0, maximum=10000, synonyms=("培训学时",)),
))

ASSESSMENTS = RecordSpec("assessments", "年度考核", "AssessmentItem", (
    FieldSpec("year", "年度", "year", width=70, required=True, default=0, minimum=1950, maximum=2100),
    FieldSpec("result", "考核结果", "code", 2, "ASSESSMENT", required=True, width=110, synonyms=("考核等次",)),
    FieldSpec("remark", "备注", max_length=200, width=300),
    FieldSpec("source", "来源", max_length=40, width=120, default="手工录入"),
), row_word="行", title="年度考核结果", hint="每年一行", lrmx="NianDuKaoHeJieGuo", unique="year",
   order="-year")

# ---- records of the other capabilities, as lists, exports and documents show them ------------------
# Their rows are the capabilities' own dataclasses (PostingInfo, PairInfo, RankRow): keys are attributes.

POSTING = RecordSpec("posting", "一线锻炼", None, (
    FieldSpec("cadre_name", "姓名", width=70),
    FieldSpec("unit_name", "原单位", width=150),
    FieldSpec("line_name", "战线", width=90),
    FieldSpec("post_name", "锻炼岗位", width=190),
    FieldSpec("host", "承接单位", width=150),
    FieldSpec("channel", "选派渠道", width=70),
    FieldSpec("start", "开始时间", "date", width=85),
    FieldSpec("planned_end", "计划结束时间", "date", width=95),
    FieldSpec("days_left", "剩余天数", "number", width=70),
    FieldSpec("actual_end", "实际结束时间", "date", width=95),
    FieldSpec("state", "状态", width=65),
    FieldSpec("daily_manager", "日常管理负责人", width=100),
    FieldSpec("guide_name", "“一对一”指导人", width=100),
    FieldSpec("recall_reason", "召回原因", width=150),
    FieldSpec("outcome", "锻炼结果", width=90),
    FieldSpec("remarks", "备注", "longtext", width=150),
))

# 期满鉴定 of a finished posting (cadre_desk.postings.posting_review): 等次, the three dated and signed
# opinions (派出单位, 锻炼单位, 组织部) and what the outcome led to in the profile.
POSTING_REVIEW = RecordSpec("posting_review", "期满鉴定", None, (
    FieldSpec("grade", "鉴定等次", width=70),
    FieldSpec("home_opinion", "派出单位意见", "longtext", width=260),
    FieldSpec("home_signer", "派出单位签署人", max_length=40, width=90),
    FieldSpec("home_date", "派出单位签署日期", "date", width=100, precision="day"),
    FieldSpec("host_opinion", "锻炼单位意见", "longtext", width=260),
    FieldSpec("host_signer", "锻炼单位签署人", max_length=40, width=90),
    FieldSpec("host_date", "锻炼单位签署日期", "date", width=100, precision="day"),
    FieldSpec("org_opinion", "组织部意见", "longtext", width=260),
    FieldSpec("org_signer", "组织部签署人", max_length=40, width=90),
    FieldSpec("org_date", "组织部签署日期", "date", width=100, precision="day"),
    FieldSpec("result_position", "新任职务", max_length=324, width=200),
    FieldSpec("result_rank", "新任职务层次/职级", "code", 18, "RANK", width=110),
    FieldSpec("result_date", "任职时间", "date", width=85),
    FieldSpec("result_resume", "记入简历", max_length=324, width=220),
    FieldSpec("result_note", "结果说明", "longtext", max_length=500, width=200),
    FieldSpec("result_recorded_at", "记入干部档案时间", width=120, form=False),
))

MENTOR_PAIR = RecordSpec("pair", "导师帮带", None, (
    FieldSpec("mentor_name", "导师", width=64),
    FieldSpec("mentor_unit_name", "导师单位", width=110),
    FieldSpec("mentee_name", "帮带对象", width=64),
    FieldSpec("mentee_unit_name", "帮带对象单位", width=110),
    FieldSpec("focus", "帮带方向", width=90),
    FieldSpec("goals", "帮带目标", "longtext", width=200),
    FieldSpec("start", "开始日期", "date", width=96),
    FieldSpec("planned_end", "计划结束日期", "date", width=96),
    FieldSpec("actual_end", "实际结束日期", "date", width=96),
    FieldSpec("state", "状态", width=60),
    FieldSpec("end_reason", "终止原因", width=120),
    FieldSpec("log_count", "谈话次数", "number", width=70),
    FieldSpec("last_log_date", "最近谈话日期", "date", width=96),
    FieldSpec("mentor_rating", "导师评分", "number", width=70),
    FieldSpec("mentor_comment", "导师评语", "longtext", width=200),
    FieldSpec("mentee_rating", "帮带对象评分", "number", width=80),
    FieldSpec("mentee_comment", "帮带对象评语", "longtext", width=200),
    FieldSpec("posting_id", "关联锻炼岗位", width=200),  # shown by its name, never the id
))

MEETING_LOG = RecordSpec("meeting_log", "谈话记录", None, (
    FieldSpec("date", "谈话日期", "date", width=96),
    FieldSpec("form", "帮带形式", width=80),
    FieldSpec("content", "谈话内容", "longtext", width=400),
    FieldSpec("next_steps", "下一步安排", "longtext", width=260),
    FieldSpec("recorder", "记录人", width=90),
))

RANKING = RecordSpec("ranking", "考核结果及排名", None, (
    FieldSpec("post_name", "锻炼岗位", width=190),  # 赛马比选: a line's cadres grouped by post, then period
    FieldSpec("period_label", "考核期间", width=110),
    FieldSpec("rank", "名次", "number", width=50),
    FieldSpec("movement", "名次变化", width=70),  # against the previous period: ↑2 / ↓1 / — / 新
    FieldSpec("name", "姓名", width=80),
    FieldSpec("unit_name", "单位", width=220),
    FieldSpec("total", "总分", "number", width=70),
    FieldSpec("grade", "等次", width=80),
    FieldSpec("positive", "正面清单", "number", width=70),
    FieldSpec("negative", "负面清单", "number", width=70),
))

# The 工作台's reminders (cadre_desk.home.reminders): its list, the one-page PDF and the workbook.
REMINDER = RecordSpec("reminder", "工作提醒", None, (
    FieldSpec("urgency", "期限", width=86),  # at least: the screen widens it to its font's 已逾期 999 天 in bold
    FieldSpec("due", "到期日期", "date", width=80),
    FieldSpec("category", "类别", width=64),
    FieldSpec("text", "提醒内容", "longtext", width=460),
))

# A unit and its 职数 (cadre_desk.units): the units screen, its dialogs and the statistics workbook.
UNIT = RecordSpec("unit", "单位", None, (
    FieldSpec("full_name", "单位全称", max_length=200, required=True, width=260),
    FieldSpec("name", "单位简称", max_length=100, required=True, width=140),
    FieldSpec("kind", "单位类别", width=80),
))

STAFFING = RecordSpec("staffing", "职数", None, (
    FieldSpec("rank_name", "职务层次/职级", width=120),
    FieldSpec("approved", "核定职数", "number", width=70),
    FieldSpec("filled", "实配", "number", width=50),
    FieldSpec("vacant", "空缺", "number", width=50),
    FieldSpec("over", "超职数", "number", width=60),
))

# ---- the seeds' practices (政治体检, 专业干部信息库, 谈心谈话, 关爱, 干部监督, 包抓) -------------------------
# Rows are the capabilities' own dataclasses; ``cadre_name``/``unit_name`` are filled by the services
# through the scoped read path. Forms take their labels and lengths from here, lists and workbooks
# their headers and widths.

CHECKUP_ITEM = RecordSpec("checkup_item", "对照检查项目", None, (
    FieldSpec("name", "项目名称", max_length=60, required=True, width=160),
    FieldSpec("description", "对照内容", "longtext", 500, width=420),
    FieldSpec("state", "状态", width=60, form=False),
))

CHECKUP_ROUND = RecordSpec("checkup_round", "提醒单", None, (
    FieldSpec("quarter_label", "季度", required=True, width=110),
    FieldSpec("title", "标题", max_length=100, required=True, width=220),
    FieldSpec("issued_on", "下发日期", "date", 8, required=True, width=90, precision="day"),
    FieldSpec("due", "核查截止日期", "date", 8, required=True, width=100, precision="day", not_before="issued_on"),
    FieldSpec("group_note", "对象范围", max_length=200, width=160),
    FieldSpec("sheet_count", "下发人数", "number", width=70),
    FieldSpec("checked_count", "已核查", "number", width=60),
    FieldSpec("missing_count", "未核查", "number", width=60),
    FieldSpec("issuer", "下发人", width=80),
), title="政治体检提醒单")

CHECKUP_SHEET = RecordSpec("checkup_sheet", "核查对单", None, (
    FieldSpec("cadre_name", "姓名", width=70),
    FieldSpec("unit_name", "单位", width=180),
    FieldSpec("position", "现任职务", width=180),
    FieldSpec("quarter_label", "季度", width=110),
    FieldSpec("result_label", "核查结果", width=70),
    FieldSpec("checked_on", "核查日期", "date", 8, width=90, precision="day"),
    FieldSpec("checker", "核查人", max_length=60, width=80),
    FieldSpec("findings", "存在问题", "longtext", 1000, width=240),
    FieldSpec("rectification", "整改措施", "longtext", 1000, width=240),
), title="政治体检核查对单结果")

CHECKUP_SUMMARY = RecordSpec("checkup_summary", "单位汇总", None, (
    FieldSpec("unit_name", "单位", width=220),
    FieldSpec("issued", "下发人数", "number", width=70),
    FieldSpec("checked", "已核查", "number", width=60),
    FieldSpec("missing", "未核查", "number", width=60),
    FieldSpec("clean", "无问题", "number", width=60),
    FieldSpec("fixed", "已整改", "number", width=60),
    FieldSpec("fixing", "整改中", "number", width=60),
    FieldSpec("rate", "核查率", width=70),
), title="政治体检核查情况汇总")

TALENT_POOL = RecordSpec("talent_pool", "专业干部库", None, (
    FieldSpec("name", "库名称", max_length=40, required=True, width=120),
    FieldSpec("description", "入库方向", max_length=200, width=360),
    FieldSpec("member_count", "人数", "number", width=60),
    FieldSpec("state", "状态", width=60, form=False),
))

POOL_MEMBER = RecordSpec("pool_member", "入库干部", None, (
    FieldSpec("cadre_name", "姓名", width=70),
    FieldSpec("unit_name", "单位", width=180),
    FieldSpec("position", "现任职务", width=200),
    FieldSpec("pool_name", "专业干部库", width=90),
    FieldSpec("level", "层级", width=60, required=True),
    FieldSpec("joined_on", "入库时间", "date", 8, width=90, precision="day"),
    FieldSpec("specialty", "专业特长", width=200),
    FieldSpec("note", "备注", "longtext", 300, width=220),
), title="专业干部信息库名册")

TALK = RecordSpec("talk", "谈心谈话", None, (
    FieldSpec("cadre_name", "谈话对象", width=70),
    FieldSpec("unit_name", "单位", width=170),
    FieldSpec("date", "谈话日期", "date", 8, required=True, width=90, precision="day"),
    FieldSpec("talker", "谈话人", max_length=40, required=True, width=150),  # 张翊（干部一科）: name and office
    FieldSpec("occasion", "谈话类型", width=80, required=True),
    FieldSpec("topics", "谈话内容", "longtext", 2000, required=True, width=300),
    FieldSpec("follow_up", "跟进事项", "longtext", 1000, width=200),
    FieldSpec("follow_up_state", "跟进情况", width=70),
    FieldSpec("recorder", "记录人", width=100),  # 组织部干部科
), title="谈心谈话记录")

CARE = RecordSpec("care", "关爱事项", None, (
    FieldSpec("cadre_name", "姓名", width=70),
    FieldSpec("unit_name", "单位", width=170),
    FieldSpec("kind", "关爱类别", width=90, required=True),
    FieldSpec("date", "日期", "date", 8, required=True, width=90, precision="day"),
    FieldSpec("end_date", "结束日期", "date", 8, width=90, precision="day", not_before="date"),
    FieldSpec("content", "具体情况", "longtext", 500, width=320),
    FieldSpec("recorder", "记录人", width=100),  # 组织部干部科
), title="关爱干部记录")

SUPERVISION = RecordSpec("supervision", "监督记录", None, (
    FieldSpec("cadre_name", "姓名", width=70),
    FieldSpec("unit_name", "单位", width=170),
    FieldSpec("kind", "处置方式", width=70, required=True),
    FieldSpec("source", "线索来源", width=90, required=True),
    FieldSpec("date", "处置日期", "date", 8, required=True, width=90, precision="day"),
    FieldSpec("matter", "反映问题", "longtext", 2000, required=True, width=300),
    FieldSpec("outcome", "处理结果", "longtext", 2000, width=240),
    FieldSpec("handler", "承办人", max_length=40, width=80),
    FieldSpec("recorder", "记录人", width=80),
), title="提醒函询诫勉记录")

LIAISON = RecordSpec("liaison", "包抓联系", None, (
    FieldSpec("cadre_name", "姓名", width=70),
    FieldSpec("unit_name", "原单位", width=170),
    FieldSpec("post_name", "锻炼岗位", width=170),
    FieldSpec("posting_state", "状态", width=60),
    FieldSpec("contact_name", "包抓人", max_length=20, required=True, width=80),
    FieldSpec("contact_office", "所在科室", max_length=40, width=100),
    FieldSpec("contact_phone", "联系电话", "phone", 20, width=110),
    FieldSpec("since", "包抓开始日期", "date", 8, width=100, precision="day"),
    FieldSpec("last_talk", "最近谈心日期", "date", 8, width=100),
    FieldSpec("note", "备注", "longtext", 300, width=200),
), title="一线干部包抓联系表")

PRACTICE_RECORDS: tuple[RecordSpec, ...] = (CHECKUP_ITEM, CHECKUP_ROUND, CHECKUP_SHEET, CHECKUP_SUMMARY, TALENT_POOL,
                                            POOL_MEMBER, TALK, CARE, SUPERVISION, LIAISON)

# ---- the columns of the lists that have a workbook: one list each, read by the screen (its table) and by
# the workbook (its header row), so a superior reading the Excel beside the screen finds every column the
# clerk showed, in the same words and order. A key may name another record's field as (record, key).
# A workbook that says more inserts its own columns with ``with_more`` — it never drops one.

ListColumn = str | tuple[RecordSpec, str]  # a field of the list's record, or (record, key) of another's

POSTING_LIST: tuple[ListColumn, ...] = (
    "cadre_name", "unit_name", "line_name", "post_name", "channel", "start", "planned_end", "days_left",
    "actual_end", "state", "daily_manager", "guide_name", (POSTING_REVIEW, "grade"), "outcome")
MENTOR_PAIR_LIST: tuple[ListColumn, ...] = (
    "mentor_name", "mentor_unit_name", "mentee_name", "mentee_unit_name", "focus", "start", "planned_end",
    "actual_end", "state", "log_count", "last_log_date", "mentor_rating", "mentee_rating", "posting_id")
RANKING_LIST: tuple[ListColumn, ...] = (  # one sheet
    "rank", "name", "unit_name", "total", "grade", "positive", "negative")
RACE_LIST: tuple[ListColumn, ...] = (
    "post_name", "period_label", "rank", "movement", "name", "total", "grade", "unit_name")
CHECKUP_SHEET_LIST: tuple[ListColumn, ...] = (
    "cadre_name", "unit_name", "position", "quarter_label", "result_label", "checked_on", "checker",
    "findings", "rectification")
CHECKUP_SUMMARY_LIST: tuple[ListColumn, ...] = (
    "unit_name", "issued", "checked", "missing", "clean", "fixed", "fixing", "rate")
POOL_MEMBER_LIST: tuple[ListColumn, ...] = (
    "cadre_name", "unit_name", "position", "level", "joined_on", "specialty", "note")
TALK_LIST: tuple[ListColumn, ...] = (
    "cadre_name", "unit_name", "date", "talker", "occasion", "topics", "follow_up", "follow_up_state",
    "recorder")
CARE_LIST: tuple[ListColumn, ...] = (
    "cadre_name", "unit_name", "kind", "date", "end_date", "content", "recorder")
LIAISON_LIST: tuple[ListColumn, ...] = (
    "cadre_name", "unit_name", "post_name", "posting_state", "contact_name", "contact_office",
    "contact_phone", "since", "last_talk", "note")
SUPERVISION_LIST: tuple[ListColumn, ...] = (
    "cadre_name", "unit_name", "kind", "source", "date", "matter", "outcome", "handler", "recorder")


def with_more(keys: tuple[ListColumn, ...],
              after: dict[ListColumn, tuple[ListColumn, ...]]) -> tuple[ListColumn, ...]:
    """A list's columns with a workbook's own ones inserted after some of them (``after``: key → the
    columns that follow it): the workbook keeps every column of the list, in the list's order."""
    unknown = set(after) - set(keys)
    if unknown:
        raise KeyError(f"not columns of the list: {unknown}")
    return tuple(k for key in keys for k in (key, *after.get(key, ())))


ACTIVITY_RECORDS: tuple[RecordSpec, ...] = (POSTING, POSTING_REVIEW, MENTOR_PAIR, MEETING_LOG, RANKING, REMINDER, UNIT,
                                            STAFFING, *PRACTICE_RECORDS)
RECORDS: tuple[RecordSpec, ...] = (RESUME, FAMILY, REWARDS, TRAININGS, ASSESSMENTS)
RECORD_BY_KEY: dict[str, RecordSpec] = {r.key: r for r in RECORDS}

ResumeItem = RESUME.item
FamilyItem = FAMILY.item
RewardItem = REWARDS.item
TrainingItem = TRAININGS.item
AssessmentItem = ASSESSMENTS.item


def field(key: str) -> FieldSpec:
    """A profile field by key."""
    return BY_KEY[key]


def normalize_header(text: object) -> str:
    """Header text as it is matched: no spaces (姓 名), no line breaks, no full-width parentheses."""
    out = "".join(str(text or "").split())
    return out.replace("（", "(").replace("）", ")").replace("：", "").replace(":", "").replace("*", "")


def header_index(specs: tuple[FieldSpec, ...] = FIELDS) -> dict[str, FieldSpec]:
    """Normalized header name → field, for import (the profile's fields, or a record's)."""
    index: dict[str, FieldSpec] = {}
    for spec in specs:
        for header in spec.headers:
            index.setdefault(normalize_header(header), spec)
    return index


# 入党时间 holds, as LRMX's RuDangShiJian does, the month of joining the 中国共产党 and/or the name of a
# 民主党派 ("200108", "民建", "200108；民建"). A list shows them apart: the dates under 入党时间, the
# party under 党派 (this derived column of the roster, of form_party's 入党时间).
PARTY_NAME = "party_name"
PARTY_NAME_LABEL = "党派"


def party_dates(raw: object) -> str:
    """The dates of a stored 入党时间 as the user reads them: 2001.08 (a 民主党派's name left out)."""
    dated = "；".join(part for part in str(raw or "").split("；") if part[:1].isdigit())
    return display_value(BY_KEY["party"], dated)  # a month field: 2001.08 also when a day is stored


def party_names(raw: object) -> str:
    """The 民主党派 named in a stored 入党时间 (民建), without its dates."""
    return "；".join(part for part in str(raw or "").split("；") if part and not part[:1].isdigit())


def form_party(values: dict[str, Any]) -> str:
    """入党时间 as the 任免表 writes it (printed, and the .lrmx RuDangShiJian), stored form: for a member
    of a 民主党派 whose 入党时间 is empty, the party's name from 政治面貌 (a roster that gave 政治面貌 民建
    and no 入党时间); otherwise 入党时间 as stored."""
    party = str(values.get("party") or "")
    political = str(values.get("political") or "")
    if party or political not in codes.DEMOCRATIC_PARTIES:
        return party
    return codes.table("GB4762").name(political)


def rewards_text(items: list) -> str:
    """奖惩情况 as the 任免表 writes it: "2019.12 被评为优秀公务员（市委市政府）" lines, "无" when none."""
    if not items:
        return "无"
    return "\n".join(" ".join(p for p in (format_date(i.date), i.content + (f"（{i.issuer}）" if i.issuer else ""))
                               if p) for i in items)


# the sub-records the 任免表 writes in a box of their own (RecordSpec.box): how it writes them
_WRITTEN = {REWARDS.key: rewards_text}


def written_text(record: RecordSpec, items: list) -> str:
    """A sub-record's rows as the 任免表 writes them in its box (its ``box`` characters)."""
    return _WRITTEN[record.key](items)


def display_value(spec: FieldSpec, raw: object, unit_names: dict[int, str] | None = None) -> str:
    """A stored value as the user reads it: code → name, YYYYMM → 1985.10 (a month field's YYYYMMDD
    too: 出生年月 19851012 → 1985.10), YYYYMMDD → 2024.03.15, categories joined."""
    if raw is None or raw == "":
        return ""
    if spec.kind == "code":
        return codes.table(spec.code_table).name(str(raw))
    if spec.kind == "codes":
        tbl = codes.table(spec.code_table)
        return "、".join(tbl.name(c) for c in str(raw).split(",") if c)
    if spec.kind == "date":
        return format_month(str(raw)) if spec.month else format_date(str(raw))
    if spec.kind == "party":
        shown = format_month if spec.month else format_date
        return "；".join(shown(part) if part[:1].isdigit() else part for part in str(raw).split("；"))
    if spec.kind == "unit":
        return (unit_names or {}).get(raw, "") if isinstance(raw, int) else str(raw)
    if spec.kind == "year":
        return str(raw) if raw else ""
    if spec.kind == "number":
        return f"{raw:g}" if isinstance(raw, (int, float)) else str(raw)
    return str(raw)


def shown_form_party(values: dict[str, Any]) -> str:
    """入党时间 shown as the 任免表 writes it (form_party, then display_value: 2001.08；民建, or 民建 for a
    民主党派 member known by 政治面貌 alone): the printed 任免表 and the 画像 say it so."""
    return display_value(BY_KEY["party"], form_party(values))
