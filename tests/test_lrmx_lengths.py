"""Every .lrmx element's length, as the official 任免表 editor limits it (the format's element list,
copied here from the reference FIELDS.md), against the field registry: a limit borrowed from another
box (奖惩情况 once took 任免理由's) is found here, not in a file the editor refuses."""

from __future__ import annotations

# element → characters (FIELDS.md, "max" column)
LRMX_MAX = {
    "XingMing": 18, "XingBie": 1, "ChuShengNianYue": 8, "MinZu": 18, "JiGuan": 18, "ChuShengDi": 18,
    "RuDangShiJian": 18, "CanJiaGongZuoShiJian": 8, "JianKangZhuangKuang": 18, "ZhuanYeJiShuZhiWu": 90,
    "ShuXiZhuanYeYouHeZhuanChang": 110,
    "QuanRiZhiJiaoYu_XueLi": 54, "QuanRiZhiJiaoYu_XueWei": 54,
    "QuanRiZhiJiaoYu_XueLi_BiYeYuanXiaoXi": 90, "QuanRiZhiJiaoYu_XueWei_BiYeYuanXiaoXi": 90,
    "ZaiZhiJiaoYu_XueLi": 54, "ZaiZhiJiaoYu_XueWei": 54,
    "ZaiZhiJiaoYu_XueLi_BiYeYuanXiaoXi": 90, "ZaiZhiJiaoYu_XueWei_BiYeYuanXiaoXi": 90,
    "XianRenZhiWu": 324, "NiRenZhiWu": 324, "NiMianZhiWu": 324,
    "JiangChengQingKuang": 552, "NianDuKaoHeJieGuo": 414, "RenMianLiYou": 552,
    "ChengBaoDanWei": 252, "JiSuanNianLingShiJian": 8, "TianBiaoShiJian": 8, "TianBiaoRen": 18, "ShenFenZheng": 18,
}
# JiaTingChengYuan/Item/…
FAMILY_MAX = {"ChengWei": 18, "XingMing": 18, "ChuShengRiQi": 8, "ZhengZhiMianMao": 18, "GongZuoDanWeiJiZhiWu": 124}


def _checked(spec, limit: int) -> None:
    from cadre_desk.domain import codes

    if spec.kind == "code":  # the file holds the table's name: every name fits
        longest = max(len(name) for name in codes.table(spec.code_table).names())
        assert longest <= limit, (spec.lrmx, longest, limit)
    else:
        assert spec.max_length == limit, (spec.lrmx, spec.label, spec.max_length, limit)


def test_every_profile_element_has_the_editors_length():
    from cadre_desk.domain.fields import BY_KEY, FIELDS

    mapped = {spec.lrmx: spec for spec in FIELDS if spec.lrmx}
    assert set(mapped) <= set(LRMX_MAX), set(mapped) - set(LRMX_MAX)
    for element, spec in mapped.items():
        _checked(spec, LRMX_MAX[element])
    # 年度考核结果 as the file gave it is written back into NianDuKaoHeJieGuo
    assert BY_KEY["assessment_text"].max_length == LRMX_MAX["NianDuKaoHeJieGuo"]


def test_the_rewards_box_is_the_rewards_elements_own():
    from cadre_desk.domain.fields import FAMILY, REWARDS

    assert REWARDS.lrmx == "JiangChengQingKuang" and REWARDS.box == LRMX_MAX["JiangChengQingKuang"]
    for spec in FAMILY.fields:
        if spec.lrmx:
            _checked(spec, FAMILY_MAX[spec.lrmx])
