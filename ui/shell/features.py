"""Every capability's window parts, registered in one place (order = menu and navigation order).

The pages, tabs and actions name the module and function that implement them: a module is imported
the first time its page is shown or its action is triggered, so start-up loads only the first page."""

from __future__ import annotations

from cadre_desk.access.permissions import ADMIN, AUDIT, EDIT, EXPORT, PRINT, READ, SUPERVISE
from ui.shell.registry import (
    CADRE_ACTIONS,
    MENU_ACTIONS,
    MODULES,
    PROFILE_TABS,
    RECORD_OPENERS,
    CadreActionSpec,
    MenuActionSpec,
    ModuleSpec,
    ProfileTabSpec,
    lazy,
)

_REGISTERED = False


def register_all() -> None:
    global _REGISTERED
    if _REGISTERED:
        return
    _REGISTERED = True
    from cadre_desk.features import register_all as register_core

    register_core()

    # 工作台: the first page after login (the roster one click below it)
    MODULES.append(ModuleSpec("home", "工作台", lazy("ui.home.home_page", "HomePage"), order=5))
    MENU_ACTIONS.append(MenuActionSpec("文件", "打印工作台…", lazy("ui.home.home_page", "print_home"), order=62,
                                       needs=PRINT))
    # What a click on a reminder opens, by the kind of record it names (cadre_desk.home.reminders).
    RECORD_OPENERS.update({
        "cadre": lambda context, cadre_id: context.open_profile(cadre_id),
        "posting": lazy("ui.postings.postings_view", "open_posting"),
        "post": lazy("ui.postings.postings_view", "open_post"),
        "pair": lazy("ui.mentoring.mentoring_view", "open_pair"),
        "unit": lazy("ui.units.units_view", "open_unit"),
    })

    # 干部档案
    MODULES.append(ModuleSpec("cadres", "干部名册", lazy("ui.profiles.cadre_list", "CadreListPage"), order=10))
    MODULES.append(ModuleSpec("units", "单位管理", lazy("ui.units.units_view", "UnitsPage"), order=20))
    MODULES.append(ModuleSpec("settings", "系统设置", lazy("ui.settings.settings_view", "SettingsPage"), order=97,
                              needs=ADMIN))

    # 一线锻炼
    MODULES.append(ModuleSpec("postings", "一线锻炼", lazy("ui.postings.postings_view", "PostingsPage"), order=30))
    PROFILE_TABS.append(ProfileTabSpec("一线经历", lazy("ui.postings.history_tab", "PostingHistoryTab"), order=30))
    CADRE_ACTIONS.append(CadreActionSpec("选派到一线岗位…", lazy("ui.postings.postings_view", "post_selected_cadres"),
                                         order=30))
    MENU_ACTIONS.append(MenuActionSpec("工具", "一线锻炼提醒", lazy("ui.postings.postings_view", "show_reminders"),
                                       order=30, needs=READ))

    # 导师帮带
    MODULES.append(ModuleSpec("mentoring", "导师帮带", lazy("ui.mentoring.mentoring_view", "MentoringPage"), order=40))
    PROFILE_TABS.append(ProfileTabSpec("导师帮带", lazy("ui.mentoring.profile_tab", "ProfileMentoringTab"), order=40))
    CADRE_ACTIONS.append(CadreActionSpec("建立导师帮带…", lazy("ui.mentoring.mentoring_view", "pair_selected_cadres"),
                                         order=40))
    MENU_ACTIONS.append(MenuActionSpec("工具", "导师帮带设置…", lazy("ui.mentoring.settings_dialog", "open_settings"),
                                       order=40, needs=ADMIN))

    # 实绩考核
    MODULES.append(ModuleSpec("appraisal", "实绩考核", lazy("ui.appraisal.appraisal_view", "AppraisalPage"), order=50))
    PROFILE_TABS.append(ProfileTabSpec("实绩考核", lazy("ui.appraisal.appraisal_view", "ProfileAppraisalTab"), order=50))
    CADRE_ACTIONS.append(CadreActionSpec("对选中干部新建考核表",
                                         lazy("ui.appraisal.appraisal_view", "new_sheet_for_selection"), order=50))
    # the schemes are the administrator's to set, and the administrator sees no 实绩考核 page
    MENU_ACTIONS.append(MenuActionSpec("工具", "考核方案…", lazy("ui.appraisal.schemes_tab", "open_schemes"), order=45,
                                       needs=ADMIN))
    MENU_ACTIONS.append(MenuActionSpec("工具", "正负面清单条目…", lazy("ui.appraisal.behaviour_tab", "open_catalog"),
                                       order=46, needs=ADMIN))

    # 政治体检、专业干部库、谈心关爱与包抓、干部监督、干部画像
    checkups, talent, care, portrait = ("ui.checkups.checkups_view", "ui.talent.talent_view", "ui.care.care_view",
                                        "ui.portrait.portrait_view")
    MODULES.extend([
        ModuleSpec("checkups", "政治体检", lazy(checkups, "CheckupsPage"), order=55),
        ModuleSpec("talent", "专业干部库", lazy(talent, "TalentPage"), order=56),
        ModuleSpec("care", "谈心关爱", lazy(care, "CarePage"), order=57),
        ModuleSpec("supervision", "干部监督", lazy("ui.supervision.supervision_view", "SupervisionPage"), order=58,
                   needs=SUPERVISE),
    ])
    RECORD_OPENERS["checkup_round"] = lazy(checkups, "open_round")  # checkup_rules.ROUND
    PROFILE_TABS.extend([
        ProfileTabSpec("谈心关爱", lazy("ui.care.profile_tab", "ProfileCareTab"), order=55),
        ProfileTabSpec("干部画像", lazy(portrait, "PortraitView"), order=58),
    ])
    CADRE_ACTIONS.extend([
        CadreActionSpec("查看干部画像…", lazy(portrait, "show_portrait"), order=55, needs=READ),
        CadreActionSpec("纳入专业干部库…", lazy(talent, "add_selected_to_pool"), order=56),
        CadreActionSpec("记录谈心谈话…", lazy(care, "talk_with_selected"), order=57),
        CadreActionSpec("打印干部画像…", lazy("ui.printing.print_view", "start_print", "portrait"), order=62,
                        needs=PRINT),
    ])
    MENU_ACTIONS.extend([
        MenuActionSpec("工具", "政治体检对照检查项目…", lazy("ui.checkups.checkup_dialogs", "open_items"), order=50,
                       needs=ADMIN),
        MenuActionSpec("工具", "专业干部库设置…", lazy(talent, "open_pools"), order=51, needs=ADMIN),
        MenuActionSpec("工具", "谈心谈话提醒设置…", lazy("ui.care.care_dialogs", "open_settings"), order=52, needs=ADMIN),
        MenuActionSpec("文件", "导出政治体检核查结果…", lazy(checkups, "export_all"), order=26, needs=EXPORT),
        MenuActionSpec("文件", "导出专业干部信息库名册…", lazy(talent, "export_all"), order=27, needs=EXPORT),
        MenuActionSpec("文件", "导出谈心谈话及关爱记录…", lazy(care, "export_care"), order=28, needs=EXPORT),
        MenuActionSpec("文件", "导出一线干部包抓联系表…", lazy(care, "export_liaisons"), order=29, needs=EXPORT),
    ])

    # 共用数据库（服务器）
    MENU_ACTIONS.append(MenuActionSpec("文件", "连接服务器…", lazy("ui.shell.server_link", "open_connect_dialog"),
                                       order=5))

    # 打印
    CADRE_ACTIONS.append(CadreActionSpec("打印鉴定报告…", lazy("ui.printing.print_view", "start_print", "dossier"),
                                         order=60, needs=PRINT))
    CADRE_ACTIONS.append(CadreActionSpec("打印任免审批表…", lazy("ui.printing.print_view", "start_print", "rmb"),
                                         order=61, needs=PRINT))
    MENU_ACTIONS.append(MenuActionSpec("文件", "打印当前筛选结果的鉴定报告…",
                                       lazy("ui.printing.print_view", "print_filter_result", "dossier"), order=60,
                                       needs=PRINT))
    MENU_ACTIONS.append(MenuActionSpec("文件", "打印当前筛选结果的任免审批表…",
                                       lazy("ui.printing.print_view", "print_filter_result", "rmb"), order=61,
                                       needs=PRINT))
    # the capabilities' records: the selected cadres' pairs and 期满 postings; every pair as a list
    records = "ui.printing.record_prints"
    CADRE_ACTIONS.append(CadreActionSpec("打印导师帮带情况表…", lazy(records, "pairs_of_cadres"), order=63, needs=PRINT))
    CADRE_ACTIONS.append(CadreActionSpec("打印一线锻炼鉴定表…", lazy(records, "reviews_of_cadres"), order=64,
                                         needs=PRINT))
    MENU_ACTIONS.append(MenuActionSpec("文件", "打印导师帮带结对名单…", lazy(records, "all_pairs_list"), order=63,
                                       needs=PRINT))

    # 导入 / 导出
    exchange = "ui.exchange.exchange_view"
    imports = "ui.exchange.import_dialog"
    MENU_ACTIONS.extend([
        MenuActionSpec("文件", "导入干部名册…", lazy(imports, "import_roster"), order=10, needs=EDIT),
        MenuActionSpec("文件", "导入年度考核结果…", lazy(imports, "import_assessments"), order=11, needs=EDIT),
        MenuActionSpec("文件", "导入培训记录…", lazy(imports, "import_trainings"), order=12, needs=EDIT),
        MenuActionSpec("文件", "导入任免表(LRMX)…", lazy(imports, "import_lrmx"), order=13, needs=EDIT),
        MenuActionSpec("文件", "导出花名册…", lazy(exchange, "export_roster"), order=20, needs=EXPORT),
        MenuActionSpec("文件", "导出统计表…", lazy(exchange, "export_stats"), order=21, needs=EXPORT),
        MenuActionSpec("文件", "导出任免表(LRMX)…", lazy(exchange, "export_lrmx"), order=22, needs=EXPORT),
        MenuActionSpec("文件", "导出一线锻炼名册…", lazy(exchange, "export_postings"), order=23, needs=EXPORT),
        MenuActionSpec("文件", "导出导师帮带结对表…", lazy(exchange, "export_mentoring"), order=24, needs=EXPORT),
        MenuActionSpec("文件", "导出考核结果及排名…", lazy(exchange, "export_appraisal"), order=25, needs=EXPORT),
    ])
    CADRE_ACTIONS.extend([
        CadreActionSpec("导出花名册…", lazy(exchange, "export_roster"), order=60, needs=EXPORT),
        CadreActionSpec("导出LRMX…", lazy(exchange, "export_lrmx"), order=61, needs=EXPORT),
    ])

    # 安全：审计、用户、备份
    MODULES.append(ModuleSpec("audit", "审计日志", lazy("ui.security.audit_view", "AuditPage"), order=90, needs=AUDIT))
    MODULES.append(ModuleSpec("users", "用户管理", lazy("ui.security.users_view", "UsersPage"), order=95, needs=ADMIN))
    security = "ui.security.security"
    MENU_ACTIONS.extend([
        MenuActionSpec("工具", "备份数据库…", lazy(security, "backup_database"), order=80, needs=ADMIN),
        MenuActionSpec("工具", "从备份恢复…", lazy(security, "restore_database"), order=81, needs=ADMIN),
        MenuActionSpec("工具", "加密数据库…", lazy(security, "encrypt_current"), order=82, needs=ADMIN,
                       unavailable=lazy(security, "encryption_unavailable")),
        MenuActionSpec("工具", "用户管理…", lazy(security, "manage_users"), order=85, needs=ADMIN),
        MenuActionSpec("文件", "修改密码…", lazy(security, "change_password"), order=90),
        MenuActionSpec("文件", "锁定", lazy(security, "lock_now"), order=91),
        MenuActionSpec("文件", "注销", lazy("ui.shell.session", "log_out"), order=92),
        MenuActionSpec("文件", "切换用户", lazy("ui.shell.session", "switch_user"), order=93),
        MenuActionSpec("帮助", "快捷键", lazy("ui.shell.session", "show_shortcuts"), order=10),
    ])
