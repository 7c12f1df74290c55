"""Batch printing: dossiers, 任免审批表 or 干部画像 for many cadres, into one PDF or one file per cadre.

Cancellable through the Progress; every file is written to a temporary name and renamed only when
complete, so a cancelled or failed batch leaves no half-written file. A finished batch writes one
audit PRINT row per cadre (who, when, which file, the reason).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageBreak, PageTemplate

from cadre_desk import APP_TITLE
from cadre_desk.access import permissions
from cadre_desk.access import scope as access_scope
from cadre_desk.domain.errors import ValidationError
from cadre_desk.domain.progress import NO_PROGRESS, Progress
from cadre_desk.security import audit
from cadre_desk.store.db import write_transaction
from cadre_desk.store.files import atomic_path
from cadre_desk.units import units
from reports.pdf import pdf_common as pc
from reports.pdf.dossier_data import DossierData, gather, text_fields

DOSSIER, RMB, PORTRAIT, CHECKUP = "dossier", "rmb", "portrait", "checkup"
MENTORING, PAIR_LIST, REVIEW = "mentoring", "pair_list", "review"
KIND_TITLES = {DOSSIER: "鉴定报告", RMB: "干部任免审批表", PORTRAIT: "干部画像", CHECKUP: "政治体检提醒单",
               MENTORING: "导师帮带情况表", PAIR_LIST: "导师帮带结对名单", REVIEW: "一线锻炼鉴定表"}


def _story_fn(kind: str) -> Callable[[DossierData], list]:
    if kind == DOSSIER:
        from reports.pdf.dossier import dossier_story

        return dossier_story
    if kind == RMB:
        from reports.pdf.rmb import rmb_story

        return rmb_story
    if kind == PORTRAIT:
        from reports.pdf.portrait import portrait_story

        return portrait_story
    raise ValueError(kind)


@dataclass
class BatchResult:
    kind: str
    files: list[Path] = field(default_factory=list)
    cadre_ids: list[int] = field(default_factory=list)
    missing: list[pc.MissingGlyph] = field(default_factory=list)
    count: str = ""  # what was printed when not so many people: "3 对", "2 条"

    @property
    def count_text(self) -> str:
        return self.count or f"{len(self.cadre_ids)} 人"


class Tick(Flowable):
    """Reports progress (and lets a cancel through) while reportlab lays out a long batch."""

    width = height = 0

    def __init__(self, progress: Progress, done: int, total: int, text: str):
        super().__init__()
        self.progress, self.done, self.total, self.text = progress, done, total, text

    def wrap(self, aw, ah):
        self.progress.report(self.done, self.total, self.text)
        return 0, 0

    def draw(self):
        pass


class PartsDocTemplate(BaseDocTemplate):
    """Takes its story one part (one cadre's document) at a time: the next part is made only when the
    story being laid out is about to run out, so a batch of 1,000 dossiers holds the flowables of one
    or two of them, not of all 1,000 (bench_pdf: about 160 MB of paragraphs and tables)."""

    def __init__(self, *args, parts: Iterator[list] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self._parts = parts
        self._story: list | None = None

    def build(self, flowables, *args, **kwargs):
        self._story = flowables
        super().build(flowables, *args, **kwargs)

    def filterFlowables(self, flowables):  # noqa: N802 - reportlab API: called before each flowable
        # only the story is refilled (reportlab passes its own lists here too: the page's hanging
        # flowables); two left, so that the one about to be laid out is never the last while parts
        # remain (the build loop ends when the story is empty)
        while self._parts is not None and flowables is self._story and len(flowables) < 2:
            part = next(self._parts, None)
            if part is None:
                self._parts = None
            else:
                flowables.extend(part)
        super().filterFlowables(flowables)


def document(path: Path, title: str, frame: pc.FrameInfo, parts: Iterator[list] | None = None) -> BaseDocTemplate:
    """A4, 19 mm sides, no frame padding: the forms are drawn to the exact content width."""
    pc.register_fonts()
    doc = PartsDocTemplate(str(path), pagesize=pc.PAGE_SIZE, leftMargin=19 * mm, rightMargin=19 * mm,
                           topMargin=20 * mm, bottomMargin=18 * mm, title=title, author=frame.author,
                           creator=APP_TITLE, initialFontName=pc.BODY_FONT, parts=parts)
    body = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body",
                 leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(id="page", frames=[body])])
    return doc


def write_pdf(path: Path, story: list, title: str, frame: pc.FrameInfo | None = None) -> None:
    """Build ``story`` into ``path`` atomically."""
    write_parts(path, [story], title, frame)


def write_parts(path: Path, parts: Iterable[list], title: str, frame: pc.FrameInfo | None = None) -> None:
    """Build the story made of ``parts`` (each a list of flowables, made only when it is reached: a
    generator keeps one part in memory) into ``path`` atomically."""
    frame = frame or pc.frame_info()
    parts = iter(parts)
    with atomic_path(path) as tmp:
        first = next(parts, [])
        document(tmp, title, frame, parts).build(list(first), canvasmaker=pc.canvas_maker(frame))


def build_into(path: Path, story: list, title: str, frame: pc.FrameInfo) -> None:
    document(path, title, frame).build(story, canvasmaker=pc.canvas_maker(frame))


def write_each(items: Sequence, story: Callable[[Any], list], title: str, name: Callable[[Any], str], *,
               out_path: str | Path | None = None, split_dir: str | Path | None = None,
               progress: Progress = NO_PROGRESS, frame: pc.FrameInfo | None = None) -> list[Path]:
    """One document per item (``story(item)``, starting a page-numbering section) into the one PDF
    ``out_path`` or one file each into ``split_dir`` (named ``name(item)``_``title``, a number added to a name
    already taken); each file under a temporary name, renamed only when all are built (a cancel leaves
    none). ``name(item)`` is the progress text too. → the files written."""
    if (out_path is None) == (split_dir is None):
        raise ValidationError({"out": "请指定一个输出文件，或一个分别输出的文件夹。"})
    frame = frame or pc.frame_info()
    total = len(items)

    def tick(i: int, item) -> Tick:
        return Tick(progress, i, total, f"正在生成 {name(item)}（{i + 1}/{total}）")

    if split_dir is None:
        def parts():
            for i, item in enumerate(items):
                yield [*([PageBreak()] if i else []), tick(i, item), *story(item)]

        write_parts(Path(out_path), parts(), title, frame)
        progress.report(total, total, "完成")
        return [Path(out_path)]
    folder = Path(split_dir)
    folder.mkdir(parents=True, exist_ok=True)
    targets, taken = [], set()
    for item in items:
        stem = pc.safe_file_name(f"{name(item)}_{title}")
        n = 1
        while (stem if n == 1 else f"{stem}_{n}") in taken:
            n += 1
        taken.add(stem if n == 1 else f"{stem}_{n}")
        targets.append(folder / f"{stem if n == 1 else f'{stem}_{n}'}.pdf")
    with contextlib.ExitStack() as pending:
        for i, (item, target) in enumerate(zip(items, targets, strict=True)):
            tmp = pending.enter_context(atomic_path(target))
            build_into(tmp, [tick(i, item), *story(item)], f"{name(item)} {title}", frame)
    progress.report(total, total, "完成")
    return targets


def print_records(kind: str, items: Sequence, story: Callable[[Any, str], list], name: Callable[[Any], str],
                  cadre_of: Callable[[Any], int], *, noun: str, missing: list[pc.MissingGlyph],
                  out_path: str | Path | None = None, split_dir: str | Path | None = None,
                  progress: Progress = NO_PROGRESS, reason: str = "") -> BatchResult:
    """A capability's records (导师帮带情况表, 一线锻炼鉴定表: ``items`` gathered through its scoped reads), each
    ``story(item, department)`` on its own pages, by ``write_each``; one audit PRINT row per cadre
    (``cadre_of(item)``) with the reason. ``noun``: what one is counted as (对, 份)."""
    from cadre_desk.settings import settings

    if not (reason or "").strip():
        raise ValidationError({"reason": "请填写打印事由（记入审计日志）。"})
    if not items:
        raise ValidationError({"ids": f"没有要打印的{KIND_TITLES[kind]}。"})
    department = settings.department().name
    files = write_each(items, lambda item: story(item, department), KIND_TITLES[kind], name, out_path=out_path,
                       split_dir=split_dir, progress=progress)
    result = BatchResult(kind=kind, files=files, cadre_ids=list(dict.fromkeys(cadre_of(i) for i in items)),
                         missing=missing, count=f"{len(items)} {noun}")
    record_print(result, reason)
    return result


def check_glyphs(datas: Sequence[DossierData]) -> list[pc.MissingGlyph]:
    fields: list[tuple[str, object]] = []
    for data in datas:
        fields.extend(text_fields(data))
    return pc.missing_glyphs(fields)


def gather_all(ids: Sequence[int], progress: Progress = NO_PROGRESS, share: float = 0.3) -> list[DossierData]:
    names = units.full_names()
    total = len(ids)
    out = []
    for i, cadre_id in enumerate(ids):
        if i % 10 == 0:
            progress.report(int(i * share * 100), total * 100, f"正在读取干部信息 {i + 1}/{total}")
        out.append(gather(cadre_id, names))
    return out


def check_cadres(ids: Sequence[int], progress: Progress = NO_PROGRESS) -> list[pc.MissingGlyph]:
    """The glyph check on its own, for the window and the CLI to report before building."""
    return check_glyphs(gather_all(ids, progress))


def build_dossiers(ids: Sequence[int], out_path: str | Path | None = None, split_dir: str | Path | None = None,
                   kind: str = DOSSIER, progress: Progress = NO_PROGRESS, reason: str = "",
                   datas: Sequence[DossierData] | None = None) -> BatchResult:
    """Build ``kind`` (dossier | rmb | portrait) for ``ids``: into ``out_path`` (one PDF) or one file per cadre
    into ``split_dir``. Raises Cancelled (nothing written), PermissionDenied, ValidationError."""
    ids = list(dict.fromkeys(int(i) for i in ids))
    if not ids:
        raise ValidationError({"ids": "没有选择要打印的干部。"})
    if (out_path is None) == (split_dir is None):
        raise ValidationError({"out": "请指定一个输出文件，或一个按人分别输出的文件夹。"})
    if not (reason or "").strip():
        raise ValidationError({"reason": "请填写打印事由（记入审计日志）。"})
    if datas is not None:
        datas = list(datas)
        ids = [d.id for d in datas]
    access_scope.current().require_each(permissions.PRINT, ids)  # units and 回避, one query per 500
    story_fn = _story_fn(kind)
    title = KIND_TITLES[kind]
    if datas is None:
        datas = gather_all(ids, progress)
    result = BatchResult(kind=kind, cadre_ids=[d.id for d in datas], missing=check_glyphs(datas))
    frame = pc.official_form() if kind == RMB else pc.frame_info()
    total = len(datas)
    base = int(total * 0.3 * 100)

    def tick(i: int, data: DossierData) -> Tick:
        done = base + int((total * 100 - base) * i / total)
        return Tick(progress, done, total * 100, f"正在生成 {data.name}（{i + 1}/{total}）")

    if split_dir is None:
        def parts():
            for i, data in enumerate(datas):
                yield [*([PageBreak()] if i else []), tick(i, data), *story_fn(data)]

        write_parts(Path(out_path), parts(), title, frame)
        result.files.append(Path(out_path))
    else:
        folder = Path(split_dir)
        folder.mkdir(parents=True, exist_ok=True)
        planned: dict[str, int] = {}
        targets = []
        for data in datas:
            stem = pc.safe_file_name(f"{data.name}_{title}")
            planned[stem] = planned.get(stem, 0) + 1
            if planned[stem] > 1:
                stem = f"{stem}_{data.id}"
            targets.append(folder / f"{stem}.pdf")
        # every file goes to a temporary name and all are renamed only when the whole batch is built:
        # a cancelled batch leaves none of its files, and a file of an earlier print keeps its content
        with contextlib.ExitStack() as pending:
            for i, (data, target) in enumerate(zip(datas, targets, strict=True)):
                tmp = pending.enter_context(atomic_path(target))
                build_into(tmp, [tick(i, data), *story_fn(data)], f"{data.name} {title}", frame)
        result.files.extend(targets)
    progress.report(total * 100, total * 100, "完成")
    record_print(result, reason)
    return result


def build_portrait(cadre_id: int, path: str | Path, *, reason: str, include_supervision: bool = False) -> BatchResult:
    """One cadre's 干部画像 from the 画像 window (PRINT on the cadre, the reason audited). The 干部监督 records
    only when asked for by an operator with that grant (portrait.portrait leaves them out otherwise)."""
    from cadre_desk.portrait.portrait import portrait
    from reports.pdf.portrait import TITLE, render

    if not (reason or "").strip():
        raise ValidationError({"reason": "请填写打印事由（记入审计日志）。"})
    access_scope.current().require_each(permissions.PRINT, [cadre_id])
    shown = portrait(cadre_id, include_supervision=include_supervision)
    write_pdf(Path(path), render(shown), f"{shown.name} {TITLE}")
    result = BatchResult(kind=PORTRAIT, files=[Path(path)], cadre_ids=[cadre_id])
    record_print(result, reason + ("（含干部监督记录）" if include_supervision else ""))
    return result


def record_print(result: BatchResult, reason: str) -> None:
    title = KIND_TITLES[result.kind]
    files = "、".join(p.name for p in result.files[:3]) + ("等" if len(result.files) > 3 else "")
    with write_transaction():
        for cadre_id in result.cadre_ids:
            audit.record(audit.PRINT, "干部", cadre_id, f"打印{title} → {files}",
                         changes={"文件": [str(p) for p in result.files][:20], "人数": len(result.cadre_ids)},
                         reason=reason.strip())
