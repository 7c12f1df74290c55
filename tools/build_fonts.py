"""Convert the Debian Noto CJK SC faces (CFF outlines in a .ttc) to TrueType for reportlab.

reportlab refuses PostScript (CFF) outlines, so the SC face is picked out of the collection by
family name and every glyph is redrawn as quadratic TrueType contours. Run once; the outputs are
committed under resources/fonts/:

    python tools/build_fonts.py            # both faces
    python tools/build_fonts.py serif      # just one
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, TTFont, newTable

ROOT = Path(__file__).resolve().parents[1]
OUT_DIR = ROOT / "resources" / "fonts"
NOTO_DIR = Path("/usr/share/fonts/opentype/noto")

FACES = {
    "serif": ("NotoSerifCJK-Regular.ttc", "Noto Serif CJK SC", "NotoSerifSC-Regular.ttf"),
    "sans": ("NotoSansCJK-Bold.ttc", "Noto Sans CJK SC", "NotoSansSC-Bold.ttf"),
    # not built by default: a regular sans face for the window (+~19 MB) if it should not fall
    # back to the bold one on PCs without Chinese fonts
    "sans-regular": ("NotoSansCJK-Regular.ttc", "Noto Sans CJK SC", "NotoSansSC-Regular.ttf"),
}
DEFAULT_FACES = ["serif", "sans"]
MAX_ERR = 1.0  # font units (1000 upm): invisible at print sizes


def pick_face(ttc_path: Path, family: str) -> TTFont:
    collection = TTCollection(str(ttc_path), lazy=False)
    for font in collection.fonts:
        names = {rec.toUnicode() for rec in font["name"].names if rec.nameID in (1, 16)}
        if family in names:
            return font
    raise SystemExit(f"{ttc_path}: no face named {family!r}")


def convert(font: TTFont) -> TTFont:
    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyphs = {}
    for name in order:
        tt_pen = TTGlyphPen(None)
        # CFF contours run counter-clockwise; TrueType wants clockwise.
        glyph_set[name].draw(Cu2QuPen(tt_pen, MAX_ERR, reverse_direction=True))
        glyphs[name] = tt_pen.glyph()

    for tag in ("CFF ", "VORG"):
        if tag in font:
            del font[tag]
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = glyphs
    font["glyf"] = glyf
    font["loca"] = newTable("loca")
    font["head"].glyphDataFormat = 0

    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for attr, value in (("maxZones", 1), ("maxTwilightPoints", 0), ("maxStorage", 0),
                        ("maxFunctionDefs", 0), ("maxInstructionDefs", 0),
                        ("maxStackElements", 0), ("maxSizeOfInstructions", 0),
                        ("maxComponentElements", 0), ("maxComponentDepth", 0),
                        ("maxPoints", 0), ("maxContours", 0),
                        ("maxCompositePoints", 0), ("maxCompositeContours", 0)):
        setattr(maxp, attr, value)

    post = font["post"]
    post.formatType = 3.0  # no glyph names: 65k CID names would only add weight
    post.extraNames = []
    post.mapping = {}
    font.sfntVersion = "\x00\x01\x00\x00"
    return font


def build(key: str) -> Path:
    ttc, family, out_name = FACES[key]
    started = time.time()
    font = convert(pick_face(NOTO_DIR / ttc, family))
    out = OUT_DIR / out_name
    tmp = out.with_suffix(".tmp")
    font.save(str(tmp))
    tmp.replace(out)
    print(f"{out_name}: {out.stat().st_size / 1e6:.1f} MB in {time.time() - started:.0f} s")
    return out


def write_licence() -> None:
    src = Path("/usr/share/doc/fonts-noto-cjk/copyright")
    text = src.read_text(encoding="utf-8") if src.exists() else ""
    header = ("Noto Serif CJK SC / Noto Sans CJK SC, converted from CFF to TrueType outlines by\n"
              "tools/build_fonts.py (Modified Version under OFL section 3 terms: the names are\n"
              "kept as the Debian package ships them for identification only).\n"
              "Copyright 2014-2021 Adobe (http://www.adobe.com/), with Reserved Font Name 'Source'.\n"
              "This Font Software is licensed under the SIL Open Font License, Version 1.1.\n\n")
    start = text.find("SIL OPEN FONT LICENSE")
    if start < 0:
        raise SystemExit("OFL text not found in " + str(src))
    body = []
    for line in text[start:].splitlines():
        if line.startswith("License:") or line.startswith("Files:"):
            break  # next stanza of the Debian copyright file
        line = line[1:] if line.startswith(" ") else line
        body.append("" if line == "." else line)
    (OUT_DIR / "OFL.txt").write_text(header + "\n".join(body).rstrip() + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("faces", nargs="*", default=DEFAULT_FACES, choices=list(FACES))
    args = parser.parse_args(argv)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    write_licence()
    for key in args.faces:
        build(key)
    return 0


if __name__ == "__main__":
    sys.exit(main())
