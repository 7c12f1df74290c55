"""Realistic demo data: a unit tree (cadre_desk.units.units_demo) and cadres with valid IDs,
consistent dates, posts and ages that fit their unit and level, 简历 that join up, families,
rewards, trainings and annual results. Bulk rows go through executemany (fast at 100k).

Feature modules add a function(rng, progress) to EXTENSIONS (profile_hooks.DEMO_EXTENSIONS) to add
their own demo data."""

from __future__ import annotations

import datetime as _dt
import random
from collections.abc import Callable

from cadre_desk.domain import clock, codes
from cadre_desk.domain.citizen_id import check_char
from cadre_desk.domain.fields import FIELDS
from cadre_desk.domain.pinyin import initials
from cadre_desk.domain.progress import NO_PROGRESS, Progress
from cadre_desk.profiles.profile_hooks import DEMO_EXTENSIONS
from cadre_desk.security import audit
from cadre_desk.store.db import database, raw_connection
from cadre_desk.units import units_demo

EXTENSIONS: list[Callable[[random.Random, Progress], None]] = DEMO_EXTENSIONS

SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
            "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
GIVEN_M = "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆帅旭宁龙林阳峰建国志文博晨睿哲轩航犇嵬"
GIVEN_F = "芳娜敏静丽艳娟霞秀英玲桂兰萍红燕梅琳雪婷倩颖佳怡欣悦晴璐瑶琪蕾洁䶮"

# earlier posts in the 简历 (the current one comes from the unit's posts: units_demo.pick_post)
EARLIER_TITLES = ("科员", "一级科员", "四级主任科员", "副科长", "科长", "三级主任科员")
SPECIALTIES = ("项目管理", "招商引资", "农村工作", "信访调解", "社区治理", "财务审计", "法律事务", "文字综合",
               "规划建设", "经济分析", "应急管理", "群众工作", "产业发展", "数据分析", "党建工作")
PERSONALITIES = ("沉稳踏实", "思维敏捷", "善于沟通", "敢于担当", "细致严谨", "开拓创新", "吃苦耐劳", "作风扎实")
WEAKNESSES = ("基层经验不足", "群众工作经验欠缺", "处理复杂问题能力不足", "经济工作经验不足", "应急处突能力不足",
              "招商经验不足", "项目建设经验不足", "信访工作经验欠缺")
SCHOOLS = ("武汉大学经济学专业", "华中师范大学汉语言文学专业", "中南财经政法大学法学专业", "华中科技大学土木工程专业",
           "湖北大学行政管理专业", "华中农业大学农业经济管理专业", "武汉理工大学计算机科学与技术专业",
           "中国地质大学（武汉）资源环境专业", "湖北经济学院会计学专业", "长江大学汉语言文学专业")
TRAININGS = (("市委党校中青年干部培训班", "市委党校", 120), ("年轻干部“墩苗”专题培训班", "市委组织部", 40),
             ("招商引资能力提升专题研修班", "市投资促进局", 24), ("乡村振兴专题培训班", "省委党校", 56),
             ("信访工作法治化专题培训", "市信访局", 16), ("网络学院在线学习", "干部网络学院", 50))
REWARDS = ("被评为全市优秀共产党员", "被评为全市优秀公务员", "年度考核优秀，记三等功一次", "获全市脱贫攻坚先进个人称号",
           "获全市招商引资工作先进个人称号", "获全市信访工作先进个人称号")
PUNISHMENTS = ("受到诫勉谈话", "受到党内警告处分")


def _ym(date: _dt.date) -> str:
    return f"{date.year:04d}{date.month:02d}"


def _add_months(ym: str, months: int) -> str:
    index = int(ym[:4]) * 12 + int(ym[4:6]) - 1 + months
    return f"{index // 12:04d}{index % 12 + 1:02d}"


def generate(n_cadres: int, seed: int = 1, progress: Progress = NO_PROGRESS) -> int:
    """Fill an empty database with demo data. Returns the number of cadres created."""
    rng = random.Random(seed)
    today = clock.today()
    regions = [code for code, _ in codes.table("ZB01").items if len(code) == 6 and not code.endswith("00")]
    region_names = dict(codes.table("ZB01").items)
    ethnic = [code for code, _ in codes.table("GB3304").items if code not in ("01",) and int(code) < 57]
    degree_by_edu = {"11": ("302", "303", "312", "308"), "21": ("4",), "31": ("",)}
    conn = raw_connection()
    keys = [spec.key for spec in FIELDS]
    columns = ["version", "created_at", "updated_at", "name_initials"] + [
        "unit_id" if k == "unit" else k for k in keys]
    insert_cadre = (f'INSERT INTO cadre (id, {", ".join(chr(34) + c + chr(34) for c in columns)}) '
                    f'VALUES (?, {", ".join("?" for _ in columns)})')
    stamp = clock.now_iso()
    with database.atomic():
        units = units_demo.make_units(rng)
        start_id = (conn.execute("SELECT COALESCE(MAX(id), 0) FROM cadre").fetchone()[0]) + 1
        used_ids = {row[0] for row in conn.execute("SELECT id_number FROM cadre")}
        batch: dict[str, list] = {"cadre": [], "resume": [], "family": [], "reward": [], "training": [],
                                  "assess": []}
        for n in range(n_cadres):
            cadre_id = start_id + n
            male = rng.random() < 0.62
            surname = rng.choice(SURNAMES)
            pool = GIVEN_M if male else GIVEN_F
            name = surname + "".join(rng.choice(pool) for _ in range(rng.choice((1, 2, 2))))
            unit = rng.choice(units)
            position, rank, (youngest, oldest) = units_demo.pick_post(unit, rng)
            birth_date = _dt.date(today.year - rng.randint(youngest, oldest), rng.randint(1, 12), rng.randint(1, 28))
            while True:
                region = rng.choice(regions)
                seq = rng.randint(0, 99) * 10 + rng.randrange(1 if male else 0, 10, 2)
                body = f"{region}{birth_date:%Y%m%d}{seq:03d}"
                number = body + check_char(body)
                if number not in used_ids:
                    used_ids.add(number)
                    break
            birth = _ym(birth_date)
            place = region_names.get(region, "")[:18]
            graduate = _add_months(birth, 12 * rng.choice((21, 22, 22, 23, 25)) + rng.randint(-3, 3))
            graduate = graduate[:4] + "07"
            edu = rng.choices(("11", "21", "31"), weights=(25, 65, 10))[0]
            age = today.year - birth_date.year
            party_roll = rng.random()
            if party_roll < 0.85:
                party, political = _add_months(graduate, -rng.randint(6, 30))[:6], "01"
            elif party_roll < 0.93:
                party, political = rng.choice(("民建", "民盟", "九三", "农工党")), ""
                political = codes.table("GB4762").code(party) or ""
            else:
                party, political = "", "13"
            categories = []
            if age <= 35:
                categories.append("03")
            if rng.random() < 0.15:
                categories.append("01")
            if rng.random() < 0.12:
                categories.append("02")
            if rng.random() < 0.05 and age <= 40:
                categories.append("04")
            work_start = _add_months(graduate, 1)
            position_date = _add_months(work_start, rng.randint(24, max(25, (today.year - int(work_start[:4])) * 12)))
            if position_date > _ym(today):
                position_date = _add_months(_ym(today), -rng.randint(1, 24))
            status = rng.choices(("1", "2", "3"), weights=(94, 3, 3))[0]
            school = rng.choice(SCHOOLS)
            values = {
                "name": name, "gender": "1" if male else "2", "birth": birth,
                "ethnicity": "01" if rng.random() < 0.92 else rng.choice(ethnic),
                "native_place": place, "birthplace": place, "party": party, "political": political,
                "party_confirmed": confirmed if party[:1].isdigit() and (confirmed := _add_months(party, 12)) <= _ym(today)
                else "",
                "work_start": work_start, "health": "1", "id_number": number,
                "phone": f"1{rng.choice('3578')}{rng.randint(0, 999999999):09d}",
                "tech_title": "", "expertise": rng.choice(SPECIALTIES),
                "ft_education": edu, "ft_degree": rng.choice(degree_by_edu[edu]), "ft_school": school,
                "ft_degree_school": school if edu != "31" else "",
                "pt_education": "11" if edu == "21" and rng.random() < 0.2 else "",
                "pt_degree": "", "pt_school": "", "pt_degree_school": "",
                "unit": unit.id, "position": position, "position_date": position_date, "rank": rank,
                "rank_date": position_date, "proposed_position": "", "proposed_removal": "",
                "appointment_reason": "", "reporting_unit": "", "age_basis_date": "", "fill_date": "",
                "filler": "", "categories": ",".join(categories), "status": status,
                "specialty": "、".join(rng.sample(SPECIALTIES, 2)),
                "personality": "、".join(rng.sample(PERSONALITIES, 2)),
                "weaknesses": rng.choice(WEAKNESSES), "remarks": "", "assessment_text": "",
            }
            batch["cadre"].append((cadre_id, 1, stamp, stamp, initials(name), *(values[k] for k in keys)))
            # 简历: school, then jobs joining up to an open last line
            school_start = _add_months(graduate, -12 * (4 if edu != "31" else 3) + 2)
            resume = [(school_start, graduate, f"{school.replace('专业', '')}专业学习")]
            # earlier posts split the months from graduation to the current post
            span = max(0, (int(position_date[:4]) * 12 + int(position_date[4:6]))
                       - (int(graduate[:4]) * 12 + int(graduate[4:6])))
            cuts = sorted(rng.sample(range(1, span), min(rng.randint(0, 3), max(0, span - 1)))) if span > 2 else []
            cursor = graduate
            for cut in cuts:
                end = _add_months(graduate, cut)
                resume.append((cursor, end, f"{rng.choice(units).full_name}{rng.choice(EARLIER_TITLES)}"))
                cursor = end
            if span > 0:
                resume.append((cursor, position_date, f"{rng.choice(units).full_name}{rng.choice(EARLIER_TITLES)}"))
            resume.append((max(position_date, graduate), "", position))
            for s, (start, end, text) in enumerate(resume):
                batch["resume"].append((cadre_id, s, start, end, text))
            # family
            spouse = ("13", rng.choice(SURNAMES) + rng.choice(GIVEN_F)) if male else (
                "12", rng.choice(SURNAMES) + rng.choice(GIVEN_M))
            members = []
            if age > 26:
                members.append((spouse[0], spouse[1], _add_months(birth, rng.randint(-36, 36)), "01",
                                rng.choice(units).full_name + "干部"))
            if age > 30:
                child_male = rng.random() < 0.5
                members.append(("14" if child_male else "15", surname + rng.choice(GIVEN_M if child_male else GIVEN_F),
                                _add_months(birth, 12 * rng.randint(25, 32)), "13", "学生"))
            members.append(("10", surname + rng.choice(GIVEN_M), _add_months(birth, -12 * rng.randint(24, 32)),
                            "01", "退休" if rng.random() < 0.8 else "已去世"))
            members.append(("11", rng.choice(SURNAMES) + rng.choice(GIVEN_F),
                            _add_months(birth, -12 * rng.randint(22, 30)), "13", "退休"))
            for s, member in enumerate(members):
                batch["family"].append((cadre_id, s, *member))
            first_year = max(int(work_start[:4]) + 1, 2010)
            for s in range(rng.choice((0, 0, 1, 1, 2)) if first_year < today.year else 0):
                year = rng.randint(first_year, today.year - 1)
                if rng.random() < 0.9:
                    batch["reward"].append((cadre_id, s, f"{year}12", "1", f"{year}年{rng.choice(REWARDS)}", "市委市政府"))
                else:
                    batch["reward"].append((cadre_id, s, f"{year}06", "2", f"{year}年{rng.choice(PUNISHMENTS)}", "市纪委监委"))
            for s in range(rng.choice((0, 1, 1, 2, 3)) if first_year < today.year else 0):
                tname, org, hours = rng.choice(TRAININGS)
                year = rng.randint(first_year, today.year - 1)
                month = rng.randint(3, 10)
                tstart = f"{year}{month:02d}{rng.randint(1, 20):02d}"
                tend = f"{year}{month:02d}{min(28, int(tstart[6:]) + rng.randint(2, 8)):02d}"
                batch["training"].append((cadre_id, s, tname, org, tstart, tend, float(hours)))
            for year in range(max(int(work_start[:4]) + 1, today.year - 5), today.year):
                result = rng.choices(("1", "2", "3"), weights=(18, 80, 2))[0]
                batch["assess"].append((cadre_id, year, result, "", "导入"))
            if len(batch["cadre"]) >= 2000 or n == n_cadres - 1:
                _flush(conn, insert_cadre, batch)
                progress.report(n + 1, n_cadres, f"正在生成演示数据 {n + 1}/{n_cadres}")
        units_demo.set_staffing(units, rng)
        for extension in EXTENSIONS:
            extension(rng, progress)
        audit.record(audit.SYSTEM, "数据库", None, f"生成演示数据：{n_cadres} 名干部")
    return n_cadres


def _flush(conn, insert_cadre: str, batch: dict[str, list]) -> None:
    conn.executemany(insert_cadre, batch["cadre"])
    conn.executemany('INSERT INTO resume_entry (cadre_id, seq, "start", "end", "text") VALUES (?,?,?,?,?)',
                     batch["resume"])
    conn.executemany("INSERT INTO family_member (cadre_id, seq, relation, name, birth, political, work, id_number)"
                     " VALUES (?,?,?,?,?,?,?,'')", batch["family"])
    conn.executemany("INSERT INTO reward_punishment (cadre_id, seq, date, kind, content, issuer) VALUES (?,?,?,?,?,?)",
                     batch["reward"])
    conn.executemany("INSERT INTO training (cadre_id, seq, name, organizer, start, \"end\", hours)"
                     " VALUES (?,?,?,?,?,?,?)", batch["training"])
    conn.executemany("INSERT INTO annual_assessment (cadre_id, year, result, remark, source) VALUES (?,?,?,?,?)",
                     batch["assess"])
    for rows in batch.values():
        rows.clear()
