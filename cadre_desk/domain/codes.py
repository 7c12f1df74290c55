"""National and local code tables, loaded from resources/codes/*.csv (code,name)."""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass, field

from cadre_desk.paths import resource

# Other names that rosters and 任免表 files use for a code table's entries (the table keeps its own).
ALIASES: dict[str, dict[str, str]] = {
    "ZB64": {
        "大学本科": "大学", "本科": "大学", "全日制本科": "大学", "普通本科": "大学",
        # (研究生（硕士） is no other name of 研究生: the 学位 in its brackets is read too, exchange/cells.split_education)
        "硕士研究生": "研究生", "博士研究生": "研究生",
        "大学专科": "大专", "专科": "大专", "高职": "大专",
        "省委党校研究生": "省（区、市）委党校研究生", "省委党校大学": "省（区、市）委党校大学",
        "省委党校本科": "省（区、市）委党校大学", "省委党校大专": "省（区、市）委党校大专",
        "中央党校本科": "中央党校大学", "中央党校专科": "中央党校大专",
        "中等专科": "中专", "技校": "中技",
    },
    "GB22611": {"男性": "男", "女性": "女"},
    # 年度考核 as the regulations and files word it (参加年度考核不确定等次)
    "ASSESSMENT": {"不确定等次": "不定等次", "未确定等次": "不定等次", "未定等次": "不定等次", "不评定等次": "不定等次",
                   "未参加年度考核": "未参加考核", "不参加考核": "未参加考核", "不参加年度考核": "未参加考核",
                   "未考核": "未参加考核", "未参评": "未参加考核"},
    # 健康状况 as GB/T 2261.3 names its classes (1 健康或良好, 2 一般或较弱) and rosters type them
    "GB22613": {"健康或良好": "健康", "良好": "健康", "身体健康": "健康", "一般或较弱": "一般", "较弱": "一般"},
    # 称谓 as families are spoken of (爱人 / 配偶 depend on the cadre: the LRMX reader decides them)
    "GB4761": {
        "大儿子": "长子", "二儿子": "次子", "三儿子": "三子", "大女儿": "长女", "二女儿": "次女", "三女儿": "三女",
        "儿媳妇": "儿媳", "大儿媳": "长儿媳", "二儿媳妇": "二儿媳", "爷爷": "祖父", "奶奶": "祖母",
        "外公": "外祖父", "外婆": "外祖母", "父": "父亲", "母": "母亲", "夫": "丈夫", "妻": "妻子",
    },
    # 政治面貌 (GB/T 4762) as rosters, family lists and 任免表 files write it: full names, members' titles, 九三学社
    "GB4762": {
        "中国共产党党员": "中共党员", "共产党员": "中共党员", "中共": "中共党员",
        # a bare 党员 (a 家庭成员 cell: 父亲 王大山 1955.02 党员 退休) is a member of the 中国共产党, as said
        "党员": "中共党员", "中国共产党员": "中共党员", "中共正式党员": "中共党员", "正式党员": "中共党员",
        "中共预备党员": "预备党员", "中国共产党预备党员": "预备党员",
        "中国共产主义青年团团员": "共青团员", "共青团员（团员）": "共青团员", "团员": "共青团员",
        "中国国民党革命委员会": "民革", "中国国民党革命委员会会员": "民革", "民革会员": "民革", "民革党员": "民革",
        "中国民主同盟": "民盟", "中国民主同盟盟员": "民盟", "民盟盟员": "民盟",
        "中国民主建国会": "民建", "中国民主建国会会员": "民建", "民建会员": "民建",
        "中国民主促进会": "民进", "中国民主促进会会员": "民进", "民进会员": "民进",
        "中国农工民主党": "农工党", "农工民主党": "农工党", "中国农工民主党党员": "农工党",
        "农工党党员": "农工党", "农工民主党党员": "农工党",
        "中国致公党": "致公党", "中国致公党党员": "致公党", "致公党党员": "致公党",
        "九三学社": "九三", "九三学社社员": "九三",
        "台湾民主自治同盟": "台盟", "台湾民主自治同盟盟员": "台盟", "台盟盟员": "台盟",
        "无党派人士": "无党派", "无党派民主人士": "无党派",
        # a child who is a 少先队员 (女儿 王小 2014.05 少先队员 城关小学学生): GB/T 4762 has no 少先队员 —
        # the 少先队 is no party nor the 团 — and the 任免表 writes such a child's 政治面貌 as 群众
        "少先队员": "群众", "少先队": "群众", "少先队队员": "群众", "少年先锋队员": "群众",
        "少年先锋队队员": "群众", "中国少年先锋队队员": "群众",
    },
}

# The eight 民主党派 in GB4762: 民革, 民盟, 民建, 民进, 农工党, 致公党, 九三, 台盟.
DEMOCRATIC_PARTIES = ("04", "05", "06", "07", "08", "09", "10", "11")
# The entries 入党时间 may name instead of (or beside) a date: a 民主党派, and 无党派 as files write it.
PARTY_NAMED = (*DEMOCRATIC_PARTIES, "12")


@dataclass(frozen=True)
class CodeTable:
    key: str
    title: str
    items: tuple[tuple[str, str], ...]
    _by_code: dict[str, str] = field(default_factory=dict, compare=False, repr=False)
    _by_name: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for code, name in self.items:
            self._by_code.setdefault(code, name)
            self._by_name.setdefault(name, code)

    def name(self, code: str | None) -> str:
        """The name for a stored code; an unknown code is shown as it is."""
        if not code:
            return ""
        return self._by_code.get(code, code)

    def code(self, name: str | None) -> str | None:
        """The code for an exact name (or another name of it that files use, ``ALIASES``), or None."""
        if not name:
            return None
        name = name.strip()
        code = self._by_name.get(name)
        if code is None and self.key in ALIASES:
            code = self._by_name.get(ALIASES[self.key].get(name, ""))
        if code is None and self.key == "GB6864" and name.endswith("学位"):  # 学士学位, 工学硕士学位
            code = self._by_name.get(name[:-2].strip())
        return code

    def has_code(self, code: str) -> bool:
        return code in self._by_code

    def names(self) -> list[str]:
        return [name for _, name in self.items]

    def suggest(self, text: str) -> str | None:
        """A close name for a near miss (汉 → 汉族, 本科 → 大学), or None."""
        text = (text or "").strip()
        if not text:
            return None
        for suffix in ("族", "党员", "教育"):
            if text + suffix in self._by_name:
                return text + suffix
        starts = [name for name in self._by_name if name.startswith(text)]
        if len(starts) == 1:
            return starts[0]
        contains = [name for name in self._by_name if text in name]
        if len(contains) == 1:
            return contains[0]
        return None


@functools.cache
def _titles() -> dict[str, str]:
    with open(resource("codes", "TABLES.csv"), encoding="utf-8", newline="") as fh:
        return {row["table"]: row["title"] for row in csv.DictReader(fh)}


@functools.cache
def table(key: str) -> CodeTable:
    """The code table named ``key`` (GB3304, ZB64, STATUS …)."""
    path = resource("codes", f"{key}.csv")
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = tuple((row["code"].strip(), row["name"].strip()) for row in csv.DictReader(fh))
    return CodeTable(key=key, title=_titles().get(key, key), items=rows)


def all_tables() -> list[str]:
    return list(_titles())
