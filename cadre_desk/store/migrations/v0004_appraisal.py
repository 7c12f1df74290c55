"""Schema version 4: performance records, the behaviour catalog, appraisal schemes and sheets."""

VERSION = 4
DESCRIPTION = "实绩档案、正负面清单、考核方案与考核表"

POSITIVE = (
    "急难险重任务表现突出", "主动担当破解难题", "重大项目推进成效明显", "招商引资取得实效",
    "信访矛盾化解有力", "应急处突冲锋在前", "服务群众获得好评", "改革创新形成经验",
    "调查研究建言被采纳", "基层治理成效显著", "作风过硬廉洁自律", "传帮带作用明显",
    "克服困难坚守岗位", "工作经验被推广", "受到上级通报表扬",
)
NEGATIVE = (
    "推诿扯皮", "作风漂浮", "敷衍塞责", "庸懒散拖", "不作为慢作为",
    "弄虚作假", "脱离群众", "违反工作纪律", "擅离岗位", "落实任务打折扣",
    "门难进脸难看事难办", "形式主义搞变通", "遇事不担当", "群众反映强烈", "被督查通报批评",
)

SCHEMES = (
    # name, kind, description, dimensions, raters
    ("年度考核", "年度考核", "德、能、勤、绩、廉五个方面的年度综合考核",
     (("德", 20), ("能", 20), ("勤", 15), ("绩", 35), ("廉", 10)),
     (("组织部", 40), ("主管部门", 40), ("民主测评", 20))),
    ("一线锻炼期满考核", "期满考核", "一线墩苗锻炼期满时的考核鉴定",
     (("政治表现", 25), ("工作实绩", 40), ("作风纪律", 20), ("群众评价", 15)),
     (("组织部", 40), ("主管部门", 40), ("民主测评", 20))),
)


def upgrade(db) -> None:
    from cadre_desk.store.appraisal_models import (
        APPRAISAL_MODELS,
        AppraisalScheme,
        BehaviourItem,
        SchemeDimension,
        SchemeRater,
    )
    from cadre_desk.store.models import now_iso

    db.create_tables(APPRAISAL_MODELS)
    rows = [{"polarity": "正面", "name": n, "sort_order": i} for i, n in enumerate(POSITIVE)]
    rows += [{"polarity": "负面", "name": n, "sort_order": i} for i, n in enumerate(NEGATIVE)]
    BehaviourItem.insert_many(rows).execute()
    stamp = now_iso()
    for name, kind, description, dimensions, raters in SCHEMES:
        scheme_id = AppraisalScheme.insert(name=name, kind=kind, description=description, version=1,
                                           created_at=stamp, updated_at=stamp).execute()
        SchemeDimension.insert_many([{"scheme": scheme_id, "seq": i, "name": n, "weight": w}
                                     for i, (n, w) in enumerate(dimensions)]).execute()
        SchemeRater.insert_many([{"scheme": scheme_id, "seq": i, "name": n, "weight": w}
                                 for i, (n, w) in enumerate(raters)]).execute()
