"""Three more files as departments send them (day five), built for the tests: 人社局's roster with 出生年月
typed five ways (1986年5月, 86.05, 1986-5, an Excel date serial, full-width digits), 民族 汉 / 汉族 and
政治面貌 党员 / 中共党员 / 预备党员; 教育局's roster under a two-row merged header, 全日制教育 and 在职教育 each
with 学历学位 and 毕业院校系及专业; 财政局's roster with a 合计 row, a 填表人 / 审核人 footer, hidden columns and a
second sheet of notes; and a 职数 table whose rows with no name are a post going on or a vacant post."""

from __future__ import annotations

from pathlib import Path

from corpus import id_number

# (name, gender, 出生年月 as typed, 民族, 政治面貌, 身份证号's birth, 现任职务)
HR_ROWS = [
    ("王伟", "男", "1986年5月", "汉", "党员", "19860512", "兴平市人力资源和社会保障局科员"),
    ("李娜", "女", "88.03", "汉族", "中共党员", "19880315", "兴平市人力资源和社会保障局办公室主任"),
    ("赵强", "男", "1985-7", "回族", "预备党员", "19850715", "兴平市人力资源和社会保障局副局长"),
    ("孙磊", "男", 30498, "汉", "群众", "19830701", "兴平市人力资源和社会保障局科员"),  # 1983-07-01 as a serial
    ("周洁", "女", "１９９２．０２", "汉族", "中共预备党员", "19920215", "兴平市人力资源和社会保障局科员"),
    ("吴刚", "男", "86.05", "汉族", "中共党员", "19860520", "兴平市人力资源和社会保障局科员"),
]
HR_BIRTHS = {"王伟": "198605", "李娜": "198803", "赵强": "198507", "孙磊": "198307", "周洁": "199202",
             "吴刚": "198605"}
# 政治面貌 as typed → its code (GB4762): 党员 is a 中共党员
HR_PARTIES = {"王伟": "01", "李娜": "01", "赵强": "02", "孙磊": "13", "周洁": "02", "吴刚": "01"}


def hr_roster(path: Path, rows=HR_ROWS) -> Path:
    """兴平市人社局's roster: a title, 出生年月 as each clerk typed it (a number cell for the serial)."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "干部名册"
    ws.append(["兴平市人力资源和社会保障局干部名册"])
    ws.merge_cells("A1:I1")
    ws.append(["序号", "姓名", "性别", "出生年月", "民族", "政治面貌", "身份证号码", "单位", "现任职务"])
    for n, (name, gender, born, nation, party, birth, position) in enumerate(rows, 1):
        ws.append([n, name, gender, born, nation, party, id_number(birth, "311" if gender == "男" else "224"),
                   "兴平市财政局", position])
    wb.save(path)
    return path


# (name, gender, 出生年月, 全日制 学历学位, 全日制 院校, 在职 学历学位, 在职 院校)
EDUCATION_ROWS = [
    ("王伟", "男", "1986.05", "大学 工学学士", "西北大学计算机系计算机科学与技术专业", "在职研究生 管理学硕士",
     "陕西师范大学教育管理专业"),
    ("李娜", "女", "1988.03", "大学本科\n文学学士", "陕西师范大学中文系汉语言文学专业", "", ""),
    ("赵强", "男", "1985.07", "大专", "咸阳师范学院数学系", "大学", "中央党校函授学院经济管理专业"),
]


def education_roster(path: Path, rows=EDUCATION_ROWS) -> Path:
    """兴平市教育局's roster: 学历 under a two-row merged header, 全日制教育 over 学历学位 | 毕业院校系及专业 and
    在职教育 over the same two; the other headers merged down over both rows."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "教育局"
    ws.append(["序号", "姓名", "性别", "出生年月", "全日制教育", None, "在职教育", None, "单位", "现任职务"])
    ws.append([None, None, None, None, "学历学位", "毕业院校系及专业", "学历学位", "毕业院校系及专业", None, None])
    for column in "ABCDIJ":
        ws.merge_cells(f"{column}1:{column}2")
    ws.merge_cells("E1:F1")
    ws.merge_cells("G1:H1")
    for n, (name, gender, born, ft, ft_school, pt, pt_school) in enumerate(rows, 1):
        ws.append([n, name, gender, born, ft, ft_school, pt or None, pt_school or None, "兴平市财政局",
                   "兴平市财政局科员"])
    wb.save(path)
    return path


FINANCE_ROWS = [("王伟", "男", "1986.05", "兴平市财政局科员"), ("李娜", "女", "1988.03", "兴平市财政局副局长"),
                ("赵强", "男", "1985.07", "兴平市财政局预算股股长")]


def finance_roster(path: Path, rows=FINANCE_ROWS) -> Path:
    """兴平市财政局's roster as it comes back from the department: a 合计 row, a 填表人 / 审核人 footer, two
    hidden columns (an old 出生年月 kept under the new one, a 联系电话 hidden for the printout) and a second sheet
    of notes (填表说明)."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "花名册"
    ws.append(["兴平市财政局科级干部花名册"])
    ws.merge_cells("A1:G1")
    ws.append(["序号", "姓名", "性别", "出生年月", "出生年月", "联系电话", "现任职务", "单位"])
    for n, (name, gender, born, position) in enumerate(rows, 1):
        ws.append([n, name, gender, born, "1900.01", "1389100000" + str(n), position, "兴平市财政局"])
    ws.append(["合计", f"{len(rows)}人"])
    ws.append([])
    ws.append(["填表人：张三", None, None, "审核人：李四", None, None, "联系电话：029-38812345"])
    ws.column_dimensions["E"].hidden = True
    ws.column_dimensions["F"].hidden = True
    notes = wb.create_sheet("填表说明")
    notes.append(["填表说明"])
    notes.append(["1. 出生年月填写到月，如 1986.05。"])
    notes.append(["2. 现任职务请写全称。"])
    wb.save(path)
    return path


# (序号, 姓名, 出生年月, 现任职务, 备注) as 财政局's 职数 table has them: a person's row, or a row with no name and a post
POST_ROWS = [
    (1, "王伟", "1986.05", "中共兴平市财政局党组书记、", None),  # row 3, its 现任职务 cut at 、
    (None, None, None, "局长", None),  # 4: the rest of it
    (2, "李娜", "1988.03", "兴平市财政局党组成员", None),  # 5
    (None, None, None, "副局长（空缺）", None),  # 6: a vacant post
    (3, "赵强", "1985.07", "兴平市财政局预算股股长", None),  # 7
    (None, None, None, "（正科级）", None),  # 8: goes on (starts with its bracket)
    (4, "孙磊", "1983.07", "兴平市财政局国库股", None),  # 9: cut mid-phrase (no post at its end)
    (None, None, None, "股长", None),  # 10
    (5, "周洁", "1992.02", "兴平市财政局办公室主任", None),  # 11
    (None, None, None, "总会计师", None),  # 12: a post of its own, nobody in it
    (None, "空缺", None, "副局长", None),  # 13: the 姓名 cell says vacant
    (6, "吴刚", "1984.03", "兴平市财政局科员", None),  # 14
    (None, None, None, "兼机关党支部书记", None),  # 15: goes on (兼…)
    (7, "郑敏", "1990.11", "兴平市财政局综合股副股长", None),  # 16
    (None, None, None, "办公室副主任", "2023年交流"),  # 17: a post, but the row goes on with a 备注 too
    (None, None, None, "纪检组长（缺）", None),  # 18: a vacant post, under a row joined
]


def post_table(path: Path, rows=POST_ROWS) -> Path:
    """兴平市财政局's 领导职数 table: people with their 现任职务, rows with no name and only a post between them —
    the rest of the 现任职务 above, or a vacant post (副局长（空缺）, a post alone, 姓名 空缺)."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["兴平市财政局领导职数及人员配备表"])
    ws.merge_cells("A1:F1")
    ws.append(["序号", "姓名", "性别", "出生年月", "单位", "现任职务", "备注"])
    for number, name, born, position, remark in rows:
        gender = ("女" if name in ("李娜", "周洁", "郑敏") else "男") if born else None
        ws.append([number, name, gender, born, "兴平市财政局" if born else None, position, remark])
    wb.save(path)
    return path
