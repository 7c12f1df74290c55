"""What every PDF shares: the bundled CJK fonts, escaping of user text, CJK paragraphs with the
no-line-start punctuation rule, the glyph check, the A4 page frame of working documents (header
内部资料 注意保密, footer 第 X 页 共 Y 页 + who printed + print time; nothing on an official form)
and the write-to-temp-then-rename rule.

reportlab silently draws nothing for a character the font lacks, so every user string is checked
against the font's cmap before a build (``missing_glyphs``) and reported by field name.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, KeepInFrame, Paragraph

from cadre_desk.domain import clock
from cadre_desk.domain.dates import format_moment
from cadre_desk.paths import resource

BODY_FONT = "NotoSerifSC"  # 宋体-style body text
HEAD_FONT = "NotoSansSC-Bold"  # headings
FONT_FILES = {BODY_FONT: "NotoSerifSC-Regular.ttf", HEAD_FONT: "NotoSansSC-Bold.ttf"}

PAGE_SIZE = A4
HEADER_TEXT = "内部资料 注意保密"

# Characters that must not start a line (GB/T 15834 practice); reportlab's own list lacks most
# full-width Chinese ones. A character from this set that overflows hangs at the line end.
NO_LINE_START = "，。、；：？！）》」』”’〉】〕…—·％‰℃,.;:?!)]}%"


def _install_line_start_rule() -> None:
    from reportlab.lib import textsplit
    from reportlab.platypus import paragraph

    extra = "".join(ch for ch in NO_LINE_START if ch not in paragraph.ALL_CANNOT_START)
    paragraph.ALL_CANNOT_START = paragraph.ALL_CANNOT_START + extra
    textsplit.ALL_CANNOT_START = paragraph.ALL_CANNOT_START
    from reports.pdf import cjk_wrap

    cjk_wrap.install()  # and an opening bracket never ends a line


def _same_frag(f, g, _cmp=("fontName", "fontSize", "textColor", "rise", "us_lines", "link", "backColor", "nobr")):
    """reportlab's own pure-Python sameFrag (reportlab/lib/rl_accel.py), kept for paragraphs when its C
    accelerator (rl_accel) is installed: the C one looks each attribute up with getattr, and a frag lacks
    most of them (an AttributeError each), 11 µs a call against 1.3 µs — it made the 任免审批表 batch 7 %
    slower with the accelerator than without. The accelerator's stringWidth, fp_str etc. stay in C."""
    fdict = f.__dict__
    gdict = g.__dict__
    if "cbDefn" in fdict or "lineBreak" in fdict or "cbDefn" in gdict or "lineBreak" in gdict:
        return 0
    fg = fdict.get
    gg = gdict.get
    return [fg(k) for k in _cmp] == [gg(k) for k in _cmp]


def _utf16_hex(code_point: int) -> str:
    return chr(code_point).encode("utf-16-be", "surrogatepass").hex().upper()


def _to_unicode_cmap(fontname: str, subset) -> str:
    """reportlab's ToUnicode CMap writes U+20BB7 as <20BB7> (invalid), so text extraction and
    search lose Ext-B characters (𠮷); PDF wants UTF-16BE, a surrogate pair <D842DFB7>."""
    lines = [
        "/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
        "/CIDSystemInfo", f"<< /Registry ({fontname})", f"/Ordering ({fontname})", "/Supplement 0",
        ">> def", f"/CMapName /{fontname} def", "/CMapType 2 def",
        "1 begincodespacerange", f"<00> <{len(subset) - 1:02X}>", "endcodespacerange",
        f"{len(subset)} beginbfchar",
        *(f"<{i:02X}> <{_utf16_hex(v)}>" for i, v in enumerate(subset)),
        "endbfchar", "endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end",
    ]
    return "\n".join(lines)


class FontMissing(RuntimeError):
    pass


@functools.cache
def register_fonts() -> None:
    """Register the bundled TrueType fonts once per process (embedded as subsets in every PDF)."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import ttfonts

    ttfonts.makeToUnicodeCMap = _to_unicode_cmap

    for name, file_name in FONT_FILES.items():
        path = resource("fonts", file_name)
        if not path.exists():
            raise FontMissing(f"缺少字体文件 {path}，请重新安装本软件。")
        pdfmetrics.registerFont(TTFont(name, str(path)))
    # <b> inside a body paragraph uses the bold sans face.
    addMapping(BODY_FONT, 0, 0, BODY_FONT)
    addMapping(BODY_FONT, 1, 0, HEAD_FONT)
    addMapping(BODY_FONT, 0, 1, BODY_FONT)
    addMapping(BODY_FONT, 1, 1, HEAD_FONT)
    _install_line_start_rule()
    from reportlab.platypus import paragraph

    paragraph.sameFrag = _same_frag
    # Table cells with plain strings (even "") select the cell font, Helvetica by default, which is
    # never embedded: every cell uses the body font instead.
    from reportlab.platypus import tables

    tables.CellStyle.fontname = BODY_FONT


# ---- user text ---------------------------------------------------------------------------------

_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&#34;", "'": "&#39;"}


def _invisible(ch: str) -> bool:
    """Control and format characters (NUL, zero-width space, BOM …): nothing to print, and a NUL
    would cut the rest of the paragraph off."""
    return ch not in "\n\r\t" and unicodedata.category(ch) in ("Cc", "Cf", "Cs")


def escape(text: object) -> str:
    """Any user value as safe Paragraph markup: tags print literally, line breaks are kept."""
    if text is None:
        return ""
    out = "".join(_ESCAPES.get(ch, ch) for ch in str(text) if ch in _ESCAPES or not _invisible(ch))
    out = out.replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ")
    return out.replace("\n", "<br/>")


@functools.cache
def _cmaps() -> dict[str, frozenset[int]]:
    register_fonts()
    return {name: frozenset(pdfmetrics.getFont(name).face.charToGlyph) for name in FONT_FILES}


def missing_chars(text: str, font: str = BODY_FONT) -> list[str]:
    """Characters of ``text`` the font cannot draw (each once, in order)."""
    cmap = _cmaps()[font]
    seen: list[str] = []
    for ch in text or "":
        if ch in "\n\r\t" or ord(ch) in cmap or ch in seen or _invisible(ch):
            continue
        seen.append(ch)
    return seen


@dataclass(frozen=True)
class MissingGlyph:
    where: str  # "张三 · 简历" — who and which field
    char: str

    @property
    def code_point(self) -> str:
        return f"U+{ord(self.char):04X}"

    def __str__(self) -> str:
        return f"{self.where}：字符“{self.char}”（{self.code_point}）字体中没有，打印时会缺字"


def missing_glyphs(fields: Iterable[tuple[str, object]], font: str = BODY_FONT) -> list[MissingGlyph]:
    """(field label, value) pairs → every character the font lacks, by field."""
    out = []
    for label, value in fields:
        if value is None or value == "":
            continue
        for ch in missing_chars(str(value), font):
            out.append(MissingGlyph(label, ch))
    return out


# ---- styles and paragraphs ---------------------------------------------------------------------


@functools.cache
def styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    base = ParagraphStyle("body", fontName=BODY_FONT, fontSize=10.5, leading=16, wordWrap="CJK",
                          alignment=TA_LEFT)
    return {
        "body": base,
        "indent": ParagraphStyle("indent", parent=base, firstLineIndent=21),
        "small": ParagraphStyle("small", parent=base, fontSize=9, leading=12.5),
        "small_c": ParagraphStyle("small_c", parent=base, fontSize=9, leading=12.5, alignment=TA_CENTER),
        "cell": ParagraphStyle("cell", parent=base, fontSize=10, leading=13),
        "cell_c": ParagraphStyle("cell_c", parent=base, fontSize=10, leading=13, alignment=TA_CENTER),
        "label": ParagraphStyle("label", parent=base, fontName=HEAD_FONT, fontSize=10, leading=13,
                                alignment=TA_CENTER),
        "title": ParagraphStyle("title", parent=base, fontName=HEAD_FONT, fontSize=22, leading=32,
                                alignment=TA_CENTER),
        "cover_title": ParagraphStyle("cover_title", parent=base, fontName=HEAD_FONT, fontSize=30,
                                      leading=44, alignment=TA_CENTER),
        "cover_line": ParagraphStyle("cover_line", parent=base, fontSize=15, leading=26),
        "h1": ParagraphStyle("h1", parent=base, fontName=HEAD_FONT, fontSize=14, leading=20,
                             spaceBefore=10, spaceAfter=6),
        "h2": ParagraphStyle("h2", parent=base, fontName=HEAD_FONT, fontSize=11.5, leading=17,
                             spaceBefore=6, spaceAfter=3),
        "center": ParagraphStyle("center", parent=base, alignment=TA_CENTER),
    }


def para(text: object, style: str | ParagraphStyle = "body") -> Paragraph:
    """A Paragraph of user text: escaped, CJK-wrapped."""
    st = styles()[style] if isinstance(style, str) else style
    return Paragraph(escape(text), st)


def markup(fixed_markup: str, style: str | ParagraphStyle = "body") -> Paragraph:
    """A Paragraph of the program's own markup (callers escape any user part with ``escape``)."""
    st = styles()[style] if isinstance(style, str) else style
    return Paragraph(fixed_markup, st)


# ---- page frame --------------------------------------------------------------------------------


@dataclass
class FrameInfo:
    """What a page carries around its content, and who the PDF says issued it. A working document
    has the header, 第 X 页 共 Y 页, 打印人 and the time; an official form (``official_form``) none."""

    operator: str  # 打印人: the logged-in person's display name; "" (no line) when nobody logs in
    printed_at: str
    header: str = HEADER_TEXT
    show_page_numbers: bool = True
    issuer: str = ""  # the department: the PDF's author

    @property
    def author(self) -> str:
        from cadre_desk import APP_TITLE

        return self.issuer or APP_TITLE


def frame_info() -> FrameInfo:
    """A working document's frame (dossier, lists)."""
    from cadre_desk.settings import settings
    from cadre_desk.settings.settings import printed_by

    return FrameInfo(operator=printed_by(), printed_at=format_moment(clock.now()),
                     issuer=settings.department().name)


def official_form() -> FrameInfo:
    """An official form's frame (干部任免审批表): the page is the form and nothing of ours."""
    from cadre_desk.settings import settings

    return FrameInfo(operator="", printed_at="", header="", show_page_numbers=False,
                     issuer=settings.department().name)


MIN_SCALE = 0.8  # a page's text shrunk further is too small to read (小五 → 7 pt): it runs on instead


def one_page(build, width: float, height: float, min_scale: float = MIN_SCALE) -> list:
    """The flowables ``build()`` makes, shrunk onto one page (KeepInFrame) while their text keeps
    ``min_scale`` of its size; longer, a fresh set of them as they are, to run on over the following pages
    at full size (shrunk to one page whatever its length, a long 画像 or 提醒单 printed words 1 pt high).

    Each flowable is measured once: KeepInFrame's own first wrap at that width is answered from the
    measuring (_MeasuredWrap), not worked out again (a 提醒单 batch spent an eighth of its time on it)."""
    content = build()
    sizes = [f.wrap(width, height * 100) for f in content]
    natural = sum(h + f.getSpaceBefore() + f.getSpaceAfter() for f, (_w, h) in zip(content, sizes, strict=True))
    if natural * min_scale > height:
        return build()  # new flowables: the measured ones keep the wrap of the measuring
    for f, size in zip(content, sizes, strict=True):
        f.wrap = _MeasuredWrap(f, width, size)
    return [KeepInFrame(width, height, content, mode="shrink")]


class _MeasuredWrap:
    """A flowable's next wrap, answered from its measuring (one_page) when it is at the width measured
    (the frame's width may differ from it in its last digit): the flowable is as that wrap left it.
    Used once: any later wrap is the flowable's own (KeepInFrame shrinking it wraps it narrower, and
    wraps it again as it draws it)."""

    __slots__ = ("flowable", "width", "size")

    def __init__(self, flowable: Flowable, width: float, size: tuple[float, float]) -> None:
        self.flowable, self.width, self.size = flowable, width, size

    def __call__(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        flowable = self.flowable
        del flowable.wrap  # the class's own from now on
        if abs(availWidth - self.width) < 1e-6:
            return self.size
        return flowable.wrap(availWidth, availHeight)


class SectionStart(Flowable):
    """Zero-size marker at the start of each document in a batch: pages are numbered per section,
    so a dossier in a combined PDF still reads 第 1 页 共 3 页."""

    width = height = 0

    def wrap(self, aw, ah):
        return 0, 0

    def draw(self):
        self.canv.begin_section()


class NumberedCanvas(Canvas):
    """Holds back the pages of the current section until it ends, then writes them with the
    header, the footer and 第 X 页 共 Y 页. Memory stays bounded by one section."""

    frame: FrameInfo | None = None

    def __init__(self, *args, **kwargs):
        if not kwargs.get("initialFontName"):  # else an unembedded Helvetica is referenced
            kwargs["initialFontName"] = BODY_FONT
        super().__init__(*args, **kwargs)
        self._pending: list[dict] = []
        self._section = 0
        self._page_section = 0

    def begin_section(self) -> None:
        self._section += 1
        self._page_section = self._section

    def _state(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k != "_pending"}

    def showPage(self):  # noqa: N802 - reportlab API
        state = self._state()
        if self._pending and self._pending[-1]["_page_section"] != state["_page_section"]:
            self._flush()
            number = self._pageNumber
            self.__dict__.update(state)
            self._pageNumber = number
            state = self._state()
        self._pending.append(state)
        self._startPage()

    def _flush(self) -> None:
        total = len(self._pending)
        pending, self._pending = self._pending, []
        for index, state in enumerate(pending, 1):
            number = self._pageNumber
            self.__dict__.update(state)
            self._pageNumber = number
            self._draw_frame(index, total)
            Canvas.showPage(self)

    def save(self):
        if self._pending:
            self._flush()
        Canvas.save(self)

    def _draw_frame(self, page: int, total: int) -> None:
        info = self.frame or frame_info()
        width, height = self._pagesize
        self.saveState()
        self.setFillColor(colors.black)
        if info.header:
            self.setFont(HEAD_FONT, 9)
            self.drawRightString(width - 18 * mm, height - 12 * mm, info.header)
        self.setFont(BODY_FONT, 8.5)
        self.setFillColor(colors.HexColor("#333333"))
        if info.show_page_numbers:
            self.drawCentredString(width / 2, 10 * mm, f"第 {page} 页 共 {total} 页")
        if info.operator:
            self.drawString(18 * mm, 10 * mm, f"打印人：{info.operator}")
        if info.printed_at:
            self.drawRightString(width - 18 * mm, 10 * mm, f"打印时间：{info.printed_at}")
        self.restoreState()


def canvas_maker(info: FrameInfo):
    """A NumberedCanvas class bound to one build's operator and time."""
    return type("BoundNumberedCanvas", (NumberedCanvas,), {"frame": info})


# ---- files -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PrintedPdf:
    """A one-off document written (工作台, 赛马比选): where, and the characters the font lacks (who and
    where), which print blank."""

    path: Path
    missing: tuple[str, ...] = ()



def safe_file_name(text: str) -> str:
    """A cadre name as a file name on Windows too."""
    bad = '<>:"/\\|?*\0'
    cleaned = "".join("_" if ch in bad or ord(ch) < 32 else ch for ch in text).strip(" .")
    return cleaned or "未命名"


def tick_box(checked: bool) -> str:
    """A tick box the bundled font can draw (it has no ☐/☑): ■ ticked, □ not."""
    return "■" if checked else "□"


def vertical_label(text: str, style: str = "label") -> Paragraph:
    """A label written top to bottom, as in the tall rows of the official forms (简 历)."""
    return markup("<br/>".join(escape(ch) for ch in text), style)


def _surely_fits(text: str, style: ParagraphStyle, width: float, max_height: float) -> bool:
    """Upper bound on the lines (every character at most 1 em wide): skips a wrap for short text."""
    per_line = max(1, int(width // style.fontSize))
    lines = sum(max(1, -(-len(seg) // per_line)) for seg in text.split("\n"))
    return lines * style.leading <= max_height


def split_to_height(flowable: Paragraph, width: float, max_height: float, text: str | None = None) -> list:
    """A paragraph too tall for one table row, cut into pieces that each fit (rows never overflow
    a page; reportlab raises LayoutError for a row taller than the frame). ``text``: the plain
    text, when known, lets short texts skip the trial layout."""
    if text is not None and _surely_fits(text, flowable.style, width, max_height):
        return [flowable]
    _w, height = flowable.wrap(width, max_height * 100)
    if height <= max_height:
        return [flowable]
    parts = flowable.split(width, max_height)
    if len(parts) < 2:
        return [flowable]
    return [parts[0], *split_to_height(parts[1], width, max_height)]


def lines_to_height(text: object, style: str, width: float, max_height: float) -> list:
    """A text of several lines (奖惩 items, one a line) as pieces for table rows that each fit: one
    paragraph a line, a line too tall cut by ``split_to_height``. reportlab's split of one paragraph
    with line breaks starts the later lines one space to the right and cuts items mid-line."""
    lines = str(text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return [piece for line in lines for piece in split_to_height(para(line, style), width, max_height, line)]


def seamless_pieces(first: int, last: int, columns: tuple[int, int] = (0, -1)) -> list:
    """Table style for rows ``first``..``last`` holding pieces of one text: no padding where one piece
    meets the next, so the lines read on as one paragraph (rows still break across pages)."""
    left, right = columns
    if last <= first:
        return []
    return [("BOTTOMPADDING", (left, first), (right, last - 1), 0),
            ("TOPPADDING", (left, first + 1), (right, last), 0),
            ("VALIGN", (left, first), (right, last), "TOP")]
