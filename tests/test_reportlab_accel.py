"""reportlab's C accelerator (the rl_accel dependency) is really used, and paragraphs keep reportlab's
pure-Python sameFrag (pdf_common._same_frag: the C one is several times slower on our frags)."""

from __future__ import annotations

from types import BuiltinFunctionType

from reportlab.lib import rl_accel


def test_reportlab_measures_text_with_its_c_accelerator():
    """rl_accel is in pyproject's dependencies: installed, reportlab's text widths, number formatting and
    ASCII85 come from the C module, not the pure-Python fallback."""
    from reportlab.pdfbase import ttfonts

    for name in ("instanceStringWidthTTF", "fp_str", "escapePDF", "asciiBase85Encode"):
        assert name in rl_accel._c_funcs, f"{name}: pure-Python fallback (is rl_accel installed?)"
        assert isinstance(getattr(rl_accel, name), BuiltinFunctionType), name
    assert isinstance(ttfonts.instanceStringWidthTTF, BuiltinFunctionType)


def test_paragraphs_compare_frags_in_python_with_the_same_answers():
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import paragraph
    from reportlab.platypus.paraparser import ParaParser

    from reports.pdf import pdf_common

    pdf_common.register_fonts()
    assert paragraph.sameFrag is pdf_common._same_frag
    _, frags, _ = ParaParser().parse("甲乙 <b>丙丁</b> <font size=14>戊</font>", ParagraphStyle("x"))
    broken = frags[0].clone(lineBreak=True)
    with_callback = frags[0].clone(cbDefn=object())
    pairs = [(f, g) for f in [*frags, broken, with_callback] for g in [*frags, frags[0].clone(), broken]]
    reference = rl_accel._c_funcs.get("sameFrag")
    assert reference is not None  # the accelerator's own answer to compare with
    assert [bool(pdf_common._same_frag(f, g)) for f, g in pairs] == [bool(reference(f, g)) for f, g in pairs]
    assert pdf_common._same_frag(frags[0], frags[0].clone()) and not pdf_common._same_frag(frags[0], frags[1])
