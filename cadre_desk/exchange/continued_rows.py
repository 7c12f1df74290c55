"""A person typed on two rows or more, the 姓名 (and mostly 性别, 出生年月, 身份证号 …) merged down over
them, the rows below carrying the rest of a long 简历, 现任职务 or 备注: as departments type a roster
whose cells they do not wrap. Such rows are one person: the text cells of the rows below are joined to
the person's own. A row below that gives anything else (another 性别, a 身份证号, a 出生年月 the first row
does not say) is no continuation: the person stays a problem of the import, naming the cell.

API
    join_rows(cells, below, mapping) -> Joined    the person's cells with the rows below joined, or why not
    CONTINUED_TARGETS                             the columns a row below may continue (its 姓名 merged)
    RECORD_TEXT_TARGETS, goes_on(target, text)    …and those a row with no name, not merged, may
    not_going_on(row, mapping, line)              why a row with no name under a person is not joined ("" when it is)
    joined_warning(row), continued_problem(row)   what the preview says of the rows joined, or not
    no_name_problem(row)                          what it says of a row with no name, naming its cells
    post_text(row, targets, name_at)              a row whose only content is a post (现任职务), or a name cell saying
                                                  vacant: that text (None: no such row)
    read_post(above, text, others, joinable)      (JOIN | VACANT, why) for such a row right under a person's
    PostRow, vacant_note(rows)                    each such row as the preview lists it; the note of those skipped

A row with no name whose only content is a 现任职务 is the rest of the person's above when it reads so (the
cell above is cut mid-phrase, the row goes on with a 备注 or 简历 too, the text has no post word of its own);
otherwise it is a post of its own with nobody in it — a 职数 table's vacant post (副局长（空缺）, or a post and no
name) — skipped with a note. The clerk may choose otherwise row by row (``ImportPlan.post_choices``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cadre_desk.domain.fields import BY_KEY
from cadre_desk.exchange.cells import cell_name
from cadre_desk.exchange.plan import RECORD_COLUMNS, ImportRow

_RESUME, _REWARDS, _FAMILY = RECORD_COLUMNS
# a column a row below may go on with → its words in messages and how its parts join: the record
# columns line by line (one 简历 entry a line), 现任职务 as one title
CONTINUED_TARGETS = {_RESUME: ("简历", "\n"), _REWARDS: ("奖惩情况", "\n"), _FAMILY: ("家庭成员", "\n"),
                     "remarks": ("备注", "\n"), "position": ("现任职务", "")}
# the columns whose rest may stand in a row with no name at all (not merged), right under a person's row: all
# of them — but a 现任职务 saying a post is vacant (空缺) is that post's row, and a 备注 for all the people above
# (以上人员…, 注：…) no one person's
RECORD_TEXT_TARGETS = frozenset((_RESUME, _REWARDS, _FAMILY))
_VACANT = ("空缺", "缺编", "缺额", "缺配", "暂缺", "空岗", "待配")
# 缺 / 空 alone, in brackets (副局长（缺）, （空）) or after the post and a space (副局长 缺): a vacant post too
_VACANT_MARK = re.compile(r"[（(【\[]\s*[缺空]\s*[）)】\]]|^\s*[缺空]\s*$|\s[缺空]\s*$|缺\s*$")
_FOR_ALL = ("以上", "上述", "注", "说明", "备注：", "备注:", "填表", "提示")
# a 现任职务 broken after one of these goes on as it was typed; otherwise its parts are two titles (、)
_TITLE_BREAKS = "、，,；;：:（("


def goes_on(target: str, text: object) -> bool:
    """Whether a cell of a row with no name reads as the rest of the person's above (RECORD_TEXT_TARGETS): a
    简历 goes on with its next period (2012.07--…) or a （其间：…） line; 奖惩情况 and 家庭成员 with anything."""
    words = str(text).lstrip()
    if target == _RESUME:
        return words[:1].isdigit() or words.lstrip("（(").startswith("其间")
    if target == "position":
        return not vacant(words)
    if target == "remarks":
        return not words.startswith(_FOR_ALL)
    return target in RECORD_TEXT_TARGETS


def not_going_on(row: tuple, mapping: tuple, line: int, person: ImportRow) -> str:
    """Why the row with no name ``row`` (sheet row ``line``), right under ``person``'s, is not the rest of it:
    its first cell that does not go on, named ("" when every filled cell goes on)."""
    targets = dict(mapping)
    name_at = next((index for index, target in mapping if target == "name"), None)
    name = _text(person.cells[name_at]) if name_at is not None and name_at < len(person.cells) else ""
    whose = f"第 {person.line} 行{name}"
    for index, value in enumerate(row):
        if value in (None, ""):
            continue
        target = targets.get(index)
        if target is not None and goes_on(target, value):
            continue
        label = (CONTINUED_TARGETS[target][0] if target in CONTINUED_TARGETS
                 else BY_KEY[target].label if target in BY_KEY else "")
        text = _text(value)
        shown = text if len(text) <= 20 else text[:20] + "…"
        cell = f"{cell_name(index, line)} 单元格的{label}“{shown}”" if label else f"{cell_name(index, line)} 单元格“{shown}”"
        return f"{cell}不是{whose}的续行"
    return ""


@dataclass(frozen=True)
class Joined:
    cells: tuple  # the person's row with the text of the rows below joined (or as it was)
    what: tuple[str, ...] = ()  # the columns continued (简历、现任职务)
    conflict: str = ""  # why the rows are not one person's continuation ("" when joined)


def _text(value: object) -> str:
    if value is None:
        return ""
    return value.strip() if value.__class__ is str else str(value)


def join_rows(cells: tuple, below: list[tuple], lines: tuple[int, ...], mapping: tuple) -> Joined:
    """``cells`` the person's first row, ``below`` the rows under it (``lines``: their 1-based numbers),
    ``mapping`` ((column index, target), …)."""
    targets = dict(mapping)
    joined = list(cells)
    what: list[str] = []
    for line, row in zip(lines, below, strict=True):
        for index, value in enumerate(row):
            text = _text(value)
            target = targets.get(index)
            if not text or target is None:
                continue  # an empty cell, or a column not imported (序号 …)
            first = _text(joined[index]) if index < len(joined) else ""
            if target in CONTINUED_TARGETS:
                label, separator = CONTINUED_TARGETS[target]
                if target == "position" and first and _two_titles(first, text):
                    separator = "、"
                if index >= len(joined):
                    joined.extend([None] * (index + 1 - len(joined)))
                joined[index] = f"{first}{separator}{text}" if first else text
                if label not in what:
                    what.append(label)
            elif text != first:
                label = BY_KEY[target].label if target in BY_KEY else "该列"
                said = f"“{first}”" if first else "空白"
                return Joined(cells, conflict=f"第 {line} 行的{label}（{cell_name(index, line)} 单元格）为“{text}”，"
                                              f"第 {lines[0] - 1} 行为{said}，不像同一人的续行")
    return Joined(tuple(joined), tuple(what))


def _two_titles(first: str, text: str) -> bool:
    """Whether a 现任职务 going on in the row below (``text``) is a second title after ``first`` (joined with 、):
    not when ``first`` is cut mid-phrase (马嵬街道办事处党政办 | 主任) or ``text`` goes on itself (（正科级）, 兼…)."""
    if first[-1] in _TITLE_BREAKS or text[0] in _TITLE_BREAKS or text.startswith(_GOES_ON_START):
        return False
    return _POST_END.search(_TRAILING_BRACKET.sub("", first).strip()) is not None


def continued_problem(row: ImportRow) -> str:
    """A person typed on two rows or more, the 姓名 merged over them: the rows below are not read."""
    rows, below = "、".join(map(str, (row.line, *row.continued))), "、".join(map(str, row.continued))
    why = f"{row.continued_why}；" if row.continued_why else ""
    return (f"{row.name or '此人'}的信息写在第 {rows} 行（姓名单元格合并），{why}第 {below} 行的内容未读入；请在 Excel 中"
            f"把第 {below} 行各单元格的内容移入第 {row.line} 行的同一单元格（单元格内换行按 Alt+Enter），"
            f"删除第 {below} 行、取消合并后重新导入")


def joined_warning(row: ImportRow) -> str:
    """What the preview says of a person typed on two rows (continued_rows): 第 5、6 行合为一人."""
    rows, below = "、".join(map(str, (row.line, *row.joined))), "、".join(map(str, row.joined))
    return (f"第 {rows} 行合为一人（第 {below} 行没有姓名，只接续{'、'.join(row.joined_what)}），"
            f"已把第 {below} 行的内容接在第 {row.line} 行之后读入")


def no_name_problem(row: ImportRow) -> str:
    """A roster row with no name: an empty post or a stray row, or a row under a person's that gives more than
    the rest of its text (``row.not_joined``: the cell that does not go on)."""
    name_at = next((index for index, target in row.mapping if target == "name"), None)
    where = f"{cell_name(name_at, row.line)} 单元格" if name_at is not None else "没有姓名列"
    if not row.not_joined:
        return f"姓名为空（{where}；空岗位或空行），不导入"
    return (f"姓名为空（{where}），不导入：{row.not_joined}（没有姓名的行只能接续上一人的"
            f"{'、'.join(label for label, _ in CONTINUED_TARGETS.values())}）；若是同一人，请把该行内容移入其行")


# ---- a row with no name whose only content is a post -------------------------------------------------

JOIN, VACANT = "join", "vacant"
# the columns a post row may fill besides its 现任职务 (a 职数 table's 单位, 职级, 备注; a 序号 is no column read;
# the rest of a 简历 …)
_POST_TARGETS = frozenset(("unit", "rank", *CONTINUED_TARGETS))
# the words a post ends with (科员, 副局长, 党工委委员, 办公室主任, 一级主任科员 …), after a bracket (（正科级）)
_POST_END = re.compile(r"(?:长|主任|书记|委员|主席|秘书|员|经理|主管|会计|助理|督学|官|师|负责人|干部|政委|成员|"
                       r"主编|理事|监事|董事|参谋|代表|专干|干事)$")
_POST_WORD = re.compile(r"长|主任|书记|委员|主席|秘书|员|经理|主管|会计|助理|督学|官|负责人|政委|主编|理事|专干|干事")
_TRAILING_BRACKET = re.compile(r"[（(][^（()）]*[）)]\s*$")
_GOES_ON_START = tuple("、，,；;：:（(") + ("兼", "并", "及", "和")
_CUT_END = tuple("、，,；;：:（(") + ("兼", "并", "及", "和", "与")


def vacant(text: object) -> bool:
    """Whether a 现任职务 (or a 姓名 cell) says the post is vacant: 空缺, 缺编, 暂缺 …, or 缺 / 空 alone or bracketed."""
    words = str(text).strip()
    return any(word in words for word in _VACANT) or _VACANT_MARK.search(words) is not None


def post_text(row: tuple, targets: dict, name_at: int | None) -> str | None:
    """The post a row with no name gives when that is all it gives (its 现任职务, and a 单位, 职级 or 备注 at most;
    a 序号 is no column read), or the 姓名 cell's own 空缺 with nothing of a person beside it; None otherwise."""
    name = row[name_at] if name_at is not None and name_at < len(row) else None
    name_text = _text(name)
    if name_text and not (len(name_text) <= 8 and vacant(name_text)):
        return None
    post = ""
    for index, value in enumerate(row):
        if value in (None, "") or index == name_at:
            continue
        target = targets.get(index)
        if target is None:
            continue
        if target not in _POST_TARGETS:
            return None
        if target == "position":
            post = _text(value)
    if post.startswith(_FOR_ALL):  # 注：以上职数… typed in the 现任职务 column: a note, not a post
        return None
    return post or name_text or None


def read_post(above: str, text: str, others: tuple[str, ...], alone: str = "") -> tuple[str, str]:
    """(JOIN | VACANT, why) for a row with no name whose 现任职务 is ``text``, ``above`` the 现任职务 of the person's
    row above it, ``others`` the other columns the row goes on with (备注…), ``alone`` why it cannot go on with
    anyone's ("" when it is right under a person's and gives nothing but what may go on)."""
    if vacant(text):
        return VACANT, f"“{text}”注明空缺"
    if alone:
        return VACANT, f"{alone}，是单独的一个职务"
    if others:
        return JOIN, f"同一行还接续了{'、'.join(others)}"
    above = above.strip()
    if not above:
        return JOIN, "上一人的现任职务为空"
    if text.startswith(_GOES_ON_START):
        return JOIN, f"“{text}”以“{text[0]}”开头，接在上一行之后"
    if above.endswith(_CUT_END) or above.count("（") + above.count("(") > above.count("）") + above.count(")"):
        return JOIN, f"上一行的现任职务“{_short(above)}”在半句处断开"
    if _POST_END.search(_TRAILING_BRACKET.sub("", above).strip()) is None:
        return JOIN, f"上一行的现任职务“{_short(above)}”不以职务名称结尾"
    if _POST_WORD.search(text) is None:
        return JOIN, f"“{text}”中没有职务名称"
    return VACANT, f"上一行的现任职务“{_short(above)}”已完整，“{text}”是另一个职务，没有姓名"


def _short(text: str) -> str:
    return text if len(text) <= 16 else "…" + text[-15:]


@dataclass
class PostRow:
    """A row with no name whose only content is a post, as the preview lists it."""

    line: int  # its sheet row
    text: str  # the post as typed (or the 姓名 cell's 空缺)
    choice: str  # JOIN (its text joined to the person above) or VACANT (skipped)
    why: str  # why it was read so (or that the clerk chose it)
    person_line: int | None = None  # the person's row it may go on (None: none)
    person: str = ""  # …their name
    chosen: bool = False  # the clerk's choice, not the reading's

    @property
    def joinable(self) -> bool:
        return self.person_line is not None

    def done(self) -> str:
        """What was done with it, as the preview says."""
        if self.choice == JOIN:
            return f"已接续第 {self.person_line} 行{self.person}的现任职务"
        return "按空缺岗位跳过，不导入"


def vacant_note(rows: list[PostRow]) -> str:
    """The preview's note of the post rows skipped as vacant posts ("" when none)."""
    skipped = [row for row in rows if row.choice == VACANT]
    if not skipped:
        return ""
    shown = "、".join(f"第 {row.line} 行“{_short(row.text)}”" for row in skipped[:5])
    more = f"等 {len(skipped)} 行" if len(skipped) > 5 else ""
    return f"跳过 {len(skipped)} 行空缺岗位（没有姓名，只有职务：{shown}{more}）"
