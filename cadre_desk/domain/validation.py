"""Profile validation: every rule of the official forms, one Chinese message per field."""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from operator import attrgetter
from typing import Any

from cadre_desk.domain import clock, codes
from cadre_desk.domain.citizen_id import CitizenId, CitizenIdError
from cadre_desk.domain.citizen_id import parse as parse_citizen_id
from cadre_desk.domain.dates import (
    DateError,
    format_date,
    format_month,
    format_period,
    month_index,
    normalize_digits,
    parse_date,
)
from cadre_desk.domain.errors import ValidationError
from cadre_desk.domain.fields import BY_KEY, FIELDS, RECORD_BY_KEY, FieldSpec, RecordSpec, written_text

_SPLIT = re.compile(r"[，,、；;/\s]+")
# 入党时间 as real files write it: "2001.08；民建", "2001.08 民建", "2001.08（民建）", "民建2001.08": a date
# (digits and the words and marks of a date) and party names, whatever stands between them
_PARTY_PARTS = re.compile(r"\d[\d.．。\-/年月日 ]*|[^\d；;，,、/（）()\s\u3000—–－]+")


def clean_code(spec: FieldSpec, value: object) -> str:
    """A code-table value given as its code or its exact name → the code. Raises ValueError."""
    text = normalize_digits(str(value or "")).strip()
    if not text:
        return ""
    tbl = codes.table(spec.code_table)
    if tbl.has_code(text):
        return text
    code = tbl.code(text)
    if code is not None:
        return code
    hint = tbl.suggest(text)
    shown = " ".join(text.split())  # a cell of two lines (大学 / 学士) said on one
    if hint:
        raise ValueError(f"{spec.label}“{shown}”须填写代码表中的全称，是否为“{hint}”？")
    raise ValueError(f"{spec.label}“{shown}”不在{tbl.title}代码表中")


def clean_codes(spec: FieldSpec, value: object) -> str:
    if isinstance(value, (list, tuple, set)):
        parts = [str(v) for v in value]
    else:
        parts = _SPLIT.split(str(value or ""))
    out: list[str] = []
    for part in parts:
        if part.strip():
            code = clean_code(spec, part)
            if code not in out:
                out.append(code)
    return ",".join(out)


def clean_party(value: object) -> str:
    """入党时间: a date, democratic-party names joined by ；, or "200108；民建" (from "2001.08 民建",
    "2001.08（民建）", "民建2001.08" … as files write it). A party is stored by its GB4762 name (九三学社 →
    九三, 中国民主同盟 → 民盟), as 政治面貌 is."""
    text = normalize_digits(str(value or "")).strip()
    if not text:
        return ""
    parties = codes.table("GB4762")
    out: list[str] = []
    seen_date = False
    for part in (p.strip(" .．。-/") for p in _PARTY_PARTS.findall(text)):
        if not part:
            continue
        if part[0].isdigit():
            if seen_date:
                raise ValueError("入党时间只能有一个日期")
            try:
                date = parse_date(part)
            except DateError as exc:
                raise ValueError(f"入党时间：{exc}") from None
            out.append(date[:6])
            seen_date = True
            continue
        code = parties.code(part)  # the table's name or another (九三学社, 中国民主同盟 …)
        if code not in codes.PARTY_NAMED:
            raise ValueError(f"入党时间中的“{part}”不是民主党派名称；请填写日期（如 200108）或党派简称（如 民建）")
        out.append(parties.name(code))
    return "；".join(out)


def clean_text(spec: FieldSpec, value: object) -> str:
    text = "" if value is None else str(value)
    text = text.replace("\r\n", "\n").strip()
    if spec.kind not in ("longtext",):
        text = " ".join(text.split())
    return text


# Kinds whose values repeat across a file's rows (codes, dates, 入党时间): a batch remembers each
# value's cleaning instead of repeating it, row after row.
_REPEATING = frozenset(("code", "codes", "date", "party", "unit", "year", "number"))


class ProfileChecks:
    """The checks of a profile's values. One instance serves one batch (an import's rows): a
    repeated code, date or 入党时间 is cleaned once, and a field a row leaves empty costs nothing
    (its clean empty value is worked out once). ``importing``: the checks of a file's rows, which
    read an empty 政治面貌 beside a dated 入党时间 as 中共党员 (``_political_from_party``)."""

    def __init__(self, remember: bool = True, *, importing: bool = False) -> None:
        self.memo: dict | None = {} if remember else None
        self.importing = importing
        self.empty = {spec.key: clean_one(spec, None) for spec in FIELDS}
        self.required = [spec for spec in FIELDS if spec.required]

    def check(self, values: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
        """(clean values, warnings), or ValidationError carrying every field's error at once."""
        clean = dict(self.empty)
        errors: dict[str, str] = {}
        warnings: dict[str, str] = {}
        memo = self.memo
        for key, raw in values.items():
            spec = BY_KEY.get(key)
            if spec is None or raw is None or raw == "":
                continue
            if memo is not None and spec.kind in _REPEATING and raw.__hash__:
                done = memo.get((key, raw))
                if done is None:
                    done = memo[(key, raw)] = _cleaned(clean_one, spec, raw)
                ok, value = done
            else:
                ok, value = _cleaned(clean_one, spec, raw)
            if not ok:
                errors[key] = value
                clean[key] = raw
                continue
            clean[key] = value
            if spec.max_length and value.__class__ is str and len(value) > spec.max_length:
                errors[key] = f"{spec.label}最多 {spec.max_length} 个字，现为 {len(value)} 个字"
        self.check_across(clean, errors, warnings)
        if errors:
            raise ValidationError(errors, warnings)
        return clean, warnings

    def check_across(self, clean: dict[str, Any], errors: dict[str, str], warnings: dict[str, str],
                     citizen: CitizenId | None = None) -> None:
        """The rules between fields, over values each cleaned already (``clean`` may leave empty
        fields out): 身份证号 ↔ 出生年月 and 性别 (which it fills in when missing), required fields,
        dates not before the birth. ``citizen``: the 身份证号 already parsed, when it was."""
        _check_id_number(clean, errors, warnings, citizen)
        for spec in self.required:
            if spec.key not in errors and clean.get(spec.key) in (None, ""):
                errors[spec.key] = f"请填写{spec.label}"
        _check_dates_order(clean, errors)
        _check_party_confirmed(clean, errors, warnings)
        _political_from_party(clean, errors, warnings if self.importing else None)


_SINGLE: list[ProfileChecks] = []


def _cleaned(clean: Callable[[FieldSpec, object], Any], spec: FieldSpec, raw: object) -> tuple[bool, Any]:
    """(True, the clean value) or (False, why it cannot be read): what the memos of a roster's repeated
    values keep, so a value is cleaned, or refused, once."""
    try:
        return True, clean(spec, raw)
    except ValueError as exc:
        return False, str(exc)


def validate_profile_values(values: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """Check and normalize profile values. Returns (clean values, warnings) or raises ValidationError
    carrying every field's error at once. (Many rows at once: ``ProfileChecks().check``.)"""
    if not _SINGLE:
        _SINGLE.append(ProfileChecks(remember=False))
    return _SINGLE[0].check(values)


def clean_one(spec: FieldSpec, raw: object) -> Any:
    """One value cleaned as its field's kind says (text, date, code …). Raises ValueError (Chinese)."""
    if spec.kind in ("text", "longtext"):  # most fields: first
        return clean_text(spec, raw)
    if spec.kind == "unit":
        if raw in (None, ""):
            return None
        try:
            return int(raw)
        except (TypeError, ValueError):
            raise ValueError(f"{spec.label}无效") from None
    if spec.kind == "date":
        try:
            return parse_date(raw, spec.precision)
        except DateError as exc:
            raise ValueError(f"{spec.label}：{exc}") from None
    if spec.kind in ("year", "number"):
        return _clean_number(spec, raw)
    if spec.kind == "code":
        return clean_code(spec, raw)
    if spec.kind == "codes":
        return clean_codes(spec, raw)
    if spec.kind == "party":
        return clean_party(raw)
    if spec.kind == "id_number":
        from cadre_desk.domain.citizen_id import normalize

        return normalize(raw or "")
    if spec.kind == "phone":
        text = normalize_digits(clean_text(spec, raw))
        if text and not re.fullmatch(r"[0-9+\-() ]{3,20}", text):
            raise ValueError("联系电话只能包含数字、空格和 + - ( )")
        return text
    return clean_text(spec, raw)


def _clean_number(spec: FieldSpec, raw: object) -> int | float | None:
    """A year (int, 0 when empty) or a number (float, None when empty) within the field's bounds."""
    text = normalize_digits(str(raw)).strip() if raw is not None else ""
    if spec.kind == "year":
        text = text.removesuffix("年度").removesuffix("年")
    if not text:
        return 0 if spec.kind == "year" else None
    try:
        number = float(text)
    except ValueError:
        number = None
    if number is None or (spec.kind == "year" and not number.is_integer()):
        raise ValueError(f"{spec.label}“{raw}”不是{'年份' if spec.kind == 'year' else '数字'}")
    if (spec.minimum is not None and number < spec.minimum) or (spec.maximum is not None and number > spec.maximum):
        raise ValueError(f"{spec.label}应在 {spec.minimum:g}–{spec.maximum:g} 之间")
    return int(number) if spec.kind == "year" else number


def _check_id_number(clean: dict[str, Any], errors: dict[str, str], warnings: dict[str, str],
                     cid: CitizenId | None = None) -> None:
    number = clean.get("id_number")
    if not number or "id_number" in errors:
        return
    if cid is None or cid.number != number:
        try:
            cid = parse_citizen_id(number)
        except CitizenIdError as exc:
            errors["id_number"] = str(exc)
            return
    clean["id_number"] = cid.number
    if cid.warning:
        warnings["id_number"] = cid.warning
    birth = clean.get("birth")
    if not birth and "birth" not in errors:
        clean["birth"] = cid.birth[:6]
    elif birth and "birth" not in errors and cid.birth[: len(birth)] != birth:
        # a 出生年月 written to the day (19860512) is told the day the number says, not only its month
        said = format_date(cid.birth) if len(birth) > 6 else format_month(cid.birth)
        errors["birth"] = f"出生年月与身份证号不一致（身份证号为 {said}）"
    gender = clean.get("gender")
    if not gender and "gender" not in errors:
        clean["gender"] = cid.gender_code
    elif gender and "gender" not in errors and gender != cid.gender_code:
        name = codes.table("GB22611").name(cid.gender_code)
        errors["gender"] = f"性别与身份证号不一致（身份证号第 17 位表示{name}）"


def _check_dates_order(clean: dict[str, Any], errors: dict[str, str]) -> None:
    birth = clean.get("birth")
    if not birth or "birth" in errors:
        return
    # clean dates are YYYYMM[DD]: their first six digits compare as the months do
    born = birth[:6]
    for key, label in (("work_start", "参加工作时间"), ("position_date", "任现职时间"), ("rank_date", "任职级时间")):
        value = clean.get(key)
        if value and key not in errors and value[:6] <= born:
            errors[key] = f"{label}不能早于出生年月"
    party = clean.get("party") or ""
    if party[:1].isdigit() and "party" not in errors and party[:6] <= born:
        errors["party"] = "入党时间不能早于出生年月"


def _check_party_confirmed(clean: dict[str, Any], errors: dict[str, str], warnings: dict[str, str]) -> None:
    """转正时间 comes after 入党时间 (one joins as a 预备党员; the 预备期 is a year, at most two): not before
    it, and said when it is more than two years after; given with no dated 入党时间, it is said."""
    confirmed = clean.get("party_confirmed")
    if not confirmed or "party_confirmed" in errors or "party" in errors:
        return
    joined = next((part for part in str(clean.get("party") or "").split("；") if part[:1].isdigit()), "")
    if not joined:
        birth = clean.get("birth") or ""
        if birth and "birth" not in errors and confirmed[:6] <= birth[:6]:
            errors["party_confirmed"] = "转正时间不能早于出生年月"
        else:
            warnings["party_confirmed"] = FieldWarning("有转正时间而没有入党时间，请补填入党时间（成为预备党员的时间）",
                                                       "party_confirmed")
        return
    if clean.get("political") == codes.table("GB4762").code("中共预备党员") and "political" not in errors:
        warnings["party_confirmed"] = FieldWarning(
            f"政治面貌为中共预备党员，却填有转正时间 {format_month(confirmed)}，请核对政治面貌", "party_confirmed")
    if confirmed[:6] <= joined[:6]:
        errors["party_confirmed"] = (f"转正时间应晚于入党时间 {format_month(joined)}"
                                     "（入党时间是成为预备党员的时间，预备期一般为一年）")
    elif month_index(confirmed) - month_index(joined) > 24:
        warnings["party_confirmed"] = FieldWarning(
            f"转正时间 {format_month(confirmed)} 距入党时间 {format_month(joined)} 超过两年（预备期最长两年），请核对",
            "party_confirmed")


class FieldWarning(str):
    """A warning about one field: the Chinese text shown (the string itself, so every preview, report
    and command line shows and writes it unchanged), the key of the field it is about, and its kind
    (FILLED_IN …). Code that acts on a warning asks ``field`` and ``kind``, never its words.
    ``kept``: what is said instead when the row updates a cadre whose stored value stays (LEFT_OUT);
    ``made``: the warning as it was made (a new cadre's), whichever of the two it says now."""

    field: str
    kind: str
    kept: str
    made: str

    def __new__(cls, text: str, field: str = "", kind: str = "", kept: str = "", made: str = "") -> FieldWarning:
        warning = super().__new__(cls, text)
        warning.field, warning.kind, warning.kept, warning.made = field, kind, kept, made or text
        return warning

    def saying(self, kept: bool) -> FieldWarning:
        """The warning as said when the stored value stays (``kept``: an update) or when the row is a
        new cadre's (as made): the one source of both is where the warning was made."""
        text = self.kept if kept and self.kept else self.made
        return self if text == self else FieldWarning(text, self.field, self.kind, self.kept, self.made)

    def about(self, field: str, kind: str) -> bool:
        return self.field == field and self.kind == kind


# A value the row left empty and the import filled in from another field (政治面貌 from 入党时间)
FILLED_IN = "filled_in"
# An entry of a record the row could not read and left out (a 家庭成员 of a roster's cell): the rest is
# the record of a new cadre, but never replaces a stored one (an update says ``kept`` instead: duplicates.follow_action)
LEFT_OUT = "left_out"


def field_warnings(warnings: Mapping[str, str]) -> list[str]:
    """A check's warnings ({field key: text}) as a row's list, each knowing its field."""
    return [text if isinstance(text, FieldWarning) else FieldWarning(text, key) for key, text in warnings.items()]


# what an import says of the 政治面貌 it read from a dated 入党时间 (a FieldWarning of 政治面貌, FILLED_IN:
# duplicates.compare takes it back when the cadre the row updates has a 政治面貌 already, which stays)
POLITICAL_READ = "政治面貌为空，入党时间为 {}，按中共党员读入（如为预备党员请改正）"


def _political_from_party(clean: dict[str, Any], errors: dict[str, str],
                          imported: dict[str, str] | None = None) -> None:
    """政治面貌 left empty is the party that 入党时间 names alone (民建, no date): a .lrmx file has no
    政治面貌 of its own, its 入党时间 says it. A date in it (200108, 200108；民建) leaves it empty on the
    form (a 中共党员, a 预备党员 …: the clerk says which); a file's row (``imported``: its warnings) reads
    it as 中共党员, as the department's import template says (如果有入党时间且党员身份为空，则默认为
    中共党员), and says so. A 政治面貌 given is never replaced."""
    party = clean.get("party") or ""
    if clean.get("political") or not party or "party" in errors or "political" in errors:
        return
    names = party.split("；")
    dated = [name for name in names if name[:1].isdigit()]
    if not dated:
        if len(names) == 1:
            clean["political"] = codes.table("GB4762").code(party) or ""
    elif imported is not None:
        clean["political"] = codes.table("GB4762").code("中共党员")
        said = POLITICAL_READ.format(format_date(dated[0]))
        if clean.get("party_confirmed") and "party_confirmed" not in errors:  # 转正 said: no 预备党员 to correct
            said = f"政治面貌为空，入党时间为 {format_date(dated[0])}、转正时间为 {format_month(clean['party_confirmed'])}，按中共党员读入"
        imported["political"] = FieldWarning(said, "political", FILLED_IN)


# ---- sub-records -------------------------------------------------------------------------------


def resume_warnings(entries: Iterable[tuple[str, str]]) -> list[str]:
    """Gaps and overlaps between consecutive 简历 entries (start, end) sorted by start."""
    items = [(s, e) for s, e in entries if s]
    items.sort(key=lambda item: item[0])
    out: list[str] = []
    for index in range(1, len(items)):
        prev_end = items[index - 1][1]
        start = items[index][0]
        if not prev_end:
            out.append(f"第 {index} 条简历未填写截止时间，但其后还有经历")
            continue
        gap = month_index(start) - month_index(prev_end)
        if gap > 0:
            out.append(f"第 {index} 条与第 {index + 1} 条简历之间有 {gap} 个月空档（{format_period(prev_end, start)}）")
        elif gap < 0:
            out.append(f"第 {index} 条与第 {index + 1} 条简历时间重叠 {-gap} 个月")
    return out


def clean_records(record: RecordSpec, items: Iterable[Any], errors: dict[str, str],
                  where: Callable[[int], str] | None = None, memo: dict | None = None) -> tuple[list, list[str]]:
    """Check and normalize the rows of one sub-record as the registry describes them: blank rows are
    dropped; each field is cleaned by its kind; required fields, lengths, a date before the one it
    may not precede and a repeated unique value are errors under "resume[2].start" keys, named by
    row (简历第 3 条起始时间：…; ``where`` names rows otherwise, "" for none). Returns (clean rows
    sorted by ``record.order``, warnings: the gaps between the periods of a continuous record).

    ``memo``: a dict kept by a caller checking many people's records of this one kind (an import's
    rows, under one clock): a repeated date or code (a string) is cleaned once for all of them."""
    where = where or record.where
    mine = memo.get(None) if memo is not None else None  # the memo keeps them, for the next call
    if mine is not None and mine[0] is record:
        _record, steps, rules, blanks = mine
    else:
        fields, rules, blanks = _record_steps(record)
        # a field whose values repeat: its memo of the strings cleaned ({raw: (ok, value or message)})
        steps = [(*step, {} if memo is not None and step[4] else None) for step in fields]
        if memo is not None:
            memo.clear()  # (another record's, if any)
            memo[None] = (record, steps, rules, blanks)
    rows: list = []
    seen: dict[Any, int] = {}
    make = record.item
    for i, values, bad in _rows_cleaned(blanks, steps, items):
        row: str | None = None  # where(i), worked out only for a message
        row_errors: dict[str, str] = {}
        if bad is not None:
            row = where(i)
            row_errors = {key: f"{row}{why}" for key, why in bad.items()}
        for key, spec, required, other, unique in rules:
            if key in row_errors:
                continue
            value = values[key]
            if required and value in ("", None, 0):
                row = where(i) if row is None else row
                row_errors[key] = f"请填写{row}{'的' if row else ''}{spec.label}"
            elif other is not None and value and other.key not in row_errors:
                earlier = values[other.key]
                common = min(len(value), len(earlier))
                if earlier and value[:common] < earlier[:common]:
                    row = where(i) if row is None else row
                    row_errors[key] = f"{row}{spec.label}早于{other.label}"
            elif unique and value not in ("", None, 0):
                if value in seen:
                    row = where(i) if row is None else row
                    row_errors[key] = (f"{row}{spec.label} {value} 与第 {seen[value] + 1} {record.row_word}"
                                       "重复")
                else:
                    seen[value] = i
        if row_errors:
            errors.update({f"{record.key}[{i}].{k}": message for k, message in row_errors.items()})
        rows.append(make(**values))
    if record.order:
        rows.sort(key=attrgetter(record.order.lstrip("-")), reverse=record.order.startswith("-"))
    warnings: list[str] = []
    if record.continuous and not any(k.startswith(f"{record.key}[") for k in errors):
        warnings = resume_warnings([(row.start, row.end) for row in rows])
    return rows, warnings


def _rows_cleaned(blanks: tuple, steps: Iterable[tuple], items: Iterable[Any]) -> Iterator[tuple]:
    """The loop of clean_records and typed_rows: each row of ``items`` not left blank (RecordSpec.blank),
    as (its place, its values each cleaned by its kind — an empty one, or one that cannot be read, at its
    default —, None or what is wrong with them: {key: why it cannot be read, or that it is too long}).
    ``blanks`` and ``steps``: _record_steps' (a field's memo of repeated strings last in its step, or None;
    a max_length of 0 checks no length)."""
    read, defaults = blanks
    for i, item in enumerate(items):
        raws = read(item)  # every field's value (an item without one fails here, as record.blank does)
        for raw, default in zip(raws, defaults, strict=True):  # record.blank(item)
            if raw not in ("", None, 0, default):
                break
        else:
            continue
        bad: dict[str, str] | None = None
        values: dict[str, Any] = {}
        for raw, (key, spec, default, max_length, _repeating, clean, known) in zip(raws, steps, strict=True):
            if known is not None and raw.__class__ is str:
                done = known.get(raw)
                if done is None:
                    done = known[raw] = _cleaned(clean, spec, raw)
                ok, value = done
            else:
                ok, value = _cleaned(clean, spec, raw)
            if not ok:
                bad = bad or {}
                bad[key] = value
                values[key] = default
                continue
            if value in ("", None):
                value = default
            if max_length and isinstance(value, str) and len(value) > max_length:
                bad = bad or {}
                bad[key] = f"{spec.label}最多 {max_length} 个字，现为 {len(value)} 个字"
            values[key] = value
        yield i, values, bad


_STEPS: dict[int, tuple] = {}


def _record_steps(record: RecordSpec) -> tuple[tuple, tuple, tuple]:
    """What clean_records does with each field of a record, worked out once: (key, spec, default,
    max_length, whether its values repeat: a memo may keep them, the function cleaning it) to clean it; (key, spec, required,
    the field it may not precede, whether unique) for the rules of the row; (the fields' values of an
    item, as a tuple; their defaults) to tell a blank row (RecordSpec.blank)."""
    kept = _STEPS.get(id(record))
    if kept is None or kept[0] is not record:
        fields = tuple((spec.key, spec, spec.default, spec.max_length, spec.kind in _REPEATING,
                        clean_text if spec.kind in ("text", "longtext") else clean_one)  # as clean_one does
                       for spec in record.fields)
        rules = tuple((spec.key, spec, spec.required, record.field(spec.not_before) if spec.not_before else None,
                       spec.key == record.unique)
                      for spec in record.fields if spec.required or spec.not_before or spec.key == record.unique)
        keys = [spec.key for spec in record.fields]
        read = attrgetter(*keys) if len(keys) > 1 else lambda item, get=attrgetter(*keys): (get(item),)
        blanks = (read, tuple(spec.default for spec in record.fields))
        kept = _STEPS[id(record)] = (record, (fields, rules, blanks))
    return kept[1]


EXCERPT_CHARS = 30


def excerpt(text: str) -> str:
    """Words quoted in a problem or a note, for the clerk to find them (a file's, a form's): the first
    30 characters, with … when there were more."""
    return text if len(text) <= EXCERPT_CHARS else text[:EXCERPT_CHARS] + "…"


def record_warnings(records: Mapping[str, list], today: _dt.date | None = None) -> list[FieldWarning]:
    """What is said of sub-records' checked rows (clean_records' rows, by record key), never refusing
    them — the same in the profile form and in an import (a roster's cells, an .lrmx): a row's date
    after the one clock's month (a field ``not_after_today``: 简历, late_dates), the row named by its
    place and words; a text longer, as the 任免表 writes it, than its box (a record's ``box``: 奖惩情况).
    ``today``: the one clock's day, read once by a caller asking for many people's records."""
    said: list[FieldWarning] = []
    today = today or clock.today()
    for key, rows in records.items():
        record = RECORD_BY_KEY.get(key)
        if record is None or not rows:
            continue
        said += [FieldWarning(text, key) for _n, _keys, text in late_dates(record, rows, today)]
        if record.box:
            length = len("".join(written_text(record, rows).split()))
            if length > record.box:
                said.append(FieldWarning(f"{record.title}共 {length} 字，超过任免审批表该栏可容纳的 {record.box} 字，"
                                         "打印时将缩小字号或续页，请核对是否需要精简", key))
    return said


def late_dates(record: RecordSpec, rows: Iterable[Any],
               today: _dt.date | None = None) -> list[tuple[int, tuple[str, ...], str]]:
    """The rows of ``record`` dated after the one clock's month (its fields ``not_after_today``: a 简历
    entry of 2027 for 2017), of checked rows (clean_records', or typed_rows' — None for a row not
    checked): (the row's place, the keys of its late fields, what is said — 简历第 2 条“2027.03—至今
    兴平市…”的起始时间晚于今天（…），请核对是否填错)."""
    late_fields = [spec for spec in record.fields if spec.not_after_today]
    if not late_fields:
        return []
    today = today or clock.today()
    month = f"{today.year:04d}{today.month:02d}"
    said = []
    for n, item in enumerate(rows):
        late = [spec for spec in late_fields if item is not None and str(getattr(item, spec.key) or "")[:6] > month]
        if late:
            said.append((n, tuple(spec.key for spec in late),
                         f"{record.where(n)}“{_entry(record, item)}”的{'和'.join(spec.label for spec in late)}"
                         f"晚于今天（{format_date(today)}），请核对是否填错"))
    return said


def typed_rows(record: RecordSpec, items: Iterable[Any]) -> list:
    """A form's rows of ``record`` as typed, each cleaned as clean_records cleans it and kept in the
    table's order (what is said of the third is said of the table's third row): None for a row left
    empty or with a value that cannot be read (the save says what is wrong with it; a value too long
    is kept here)."""
    items = list(items)
    fields, _rules, blanks = _record_steps(record)
    steps = [(key, spec, default, 0, repeating, clean, None) for key, spec, default, _length, repeating, clean in fields]
    typed: list = [None] * len(items)
    for i, values, bad in _rows_cleaned(blanks, steps, items):
        if bad is None:
            typed[i] = record.item(**values)
    return typed


def _entry(record: RecordSpec, item: Any) -> str:
    """A row quoted in a message: a period's (start, end) and its words (2008.07—2017.09 兴平市…科员),
    otherwise its words."""
    texts = " ".join(str(getattr(item, spec.key) or "") for spec in record.fields
                     if spec.kind in ("text", "longtext") and spec.form)
    period = format_period(item.start, item.end) if record.continuous else ""
    return f"{period} {excerpt(texts)}".strip()
