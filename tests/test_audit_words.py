"""The 审计日志 in the auditor's words: every action the code writes has a Chinese description, every
setting a Chinese name, and the view never shows an internal key ("security.first_admin_skipped: null →
true") or 哈希链 without saying what it is."""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

from tests.test_security_ui import accounts_db, no_boxes  # noqa: F401  (fixtures)

ROOT = Path(__file__).resolve().parent.parent
CJK = re.compile(r"[\u4e00-\u9fff]")
ENGLISH = re.compile(r"[A-Za-z]{2,}")
ALLOWED = {"PDF", "Excel", "LRMX", "SQLCipher", "admin", "auditor", "clerk"}  # names and formats, not keys


def english(text: str) -> list[str]:
    return [w for w in ENGLISH.findall(text) if w not in ALLOWED]


def _calls(names: tuple[str, ...]):
    """(module name, call) of every ``x.name(...)`` in the program's three layers."""
    for folder in ("cadre_desk", "reports", "ui"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                        and node.func.attr in names and node.args):
                    yield module, node


def _value(module: str, node: ast.expr):
    """A literal, or a module-level constant of ``module`` (E_POSTING, INTERVAL_KEY, audit.UPDATE …)."""
    if isinstance(node, ast.Constant):
        return node.value
    loaded = importlib.import_module(module)
    if isinstance(node, ast.Name):
        return getattr(loaded, node.id, None)
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        owner = getattr(loaded, node.value.id, None)
        return getattr(owner, node.attr, None) if owner is not None else None
    return None


def test_every_action_written_to_the_audit_has_a_chinese_description():
    from cadre_desk.security import audit

    actions, entities = set(), set()
    for module, call in _calls(("record", "record_output")):
        if module == "cadre_desk.security.audit" or not (isinstance(call.func.value, ast.Name)
                                                         and call.func.value.id == "audit"):
            continue
        action = _value(module, call.args[0])
        if action is not None:
            actions.add(action)
        if len(call.args) > 1:
            entity = _value(module, call.args[1])
            if isinstance(entity, str):
                entities.add(entity)
    assert len(actions) >= 10 and len(entities) >= 20
    assert set(audit.ACTIONS) >= actions
    for action in audit.ACTIONS:
        assert CJK.search(action) and not english(action), action
        assert CJK.search(audit.ACTION_HELP[action]) and not english(audit.ACTION_HELP[action]), action
    for entity in entities:
        assert CJK.search(entity) and not english(entity), entity
    assert "前后相扣" in audit.CHAIN_EXPLAINED and "哈希链" in audit.CHAIN_EXPLAINED


def test_every_setting_the_code_keeps_has_a_chinese_name():
    from cadre_desk.settings import settings

    keys = {_value(module, call.args[0]) for module, call in _calls(("put", "get"))
            if isinstance(call.func.value, ast.Name) and call.func.value.id == "settings"}
    keys.discard(None)
    keys = {key for key in keys if isinstance(key, str) and "." in key}
    assert "security.first_admin_skipped" in keys and "care.talk_interval_days" in keys
    for key in keys | {spec.key for spec in settings.USER_SETTINGS}:
        assert key in settings.KEY_LABELS, f"设置 {key} 没有中文名称（settings.KEY_LABELS）"
        assert CJK.search(settings.label(key)) and not english(settings.label(key)), key


def _detail_of_each_row(page) -> list[str]:
    texts = []
    for row in range(page.model.rowCount()):
        page.table.setCurrentIndex(page.model.index(row, 0))
        texts.append(page.detail.toPlainText())
    return texts


def test_audit_view_shows_settings_and_actions_in_chinese(qtbot, accounts_db, no_boxes):  # noqa: F811
    from PySide6.QtCore import Qt

    from cadre_desk.access import context
    from cadre_desk.security import accounts, audit
    from cadre_desk.settings import settings
    from ui.security.audit_view import AuditPage
    from ui.shell.context import AppContext

    admin = accounts.get_user(1)
    context.set_operator(accounts.operator_for(admin))
    settings.put("security.first_admin_skipped", True)  # what 暂不创建 on the first start writes
    accounts.save_security_settings({"security.idle_minutes": 20, "backup.keep_daily": 9})
    settings.put("mentoring.allow_multiple_mentors", False)
    # a row as the program wrote it before settings had Chinese names
    audit.record(audit.UPDATE, "设置", None, "修改设置 security.first_admin_skipped",
                 {"security.first_admin_skipped": [None, True]})
    context.set_operator(None)
    accounts.login("auditor", "Audit#2024")
    page = AuditPage(AppContext())
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: not page.loading)
    page.entity_combo.addItem("设置", "设置")
    page.entity_combo.setCurrentIndex(page.entity_combo.findData("设置"))
    page.refresh()
    qtbot.waitUntil(lambda: not page.loading)  # read off the GUI thread
    assert page.model.rowCount() == 5
    summaries = [page.model.index(r, 6).data() for r in range(page.model.rowCount())]
    details = _detail_of_each_row(page)
    for text in summaries + details:
        assert not english(text), text
        assert "null" not in text and "true" not in text and "security." not in text, text
    assert any("首次启动时暂不创建系统管理员：（空） → 是" in text for text in details), details
    assert any("无操作自动锁定（分钟）" in text for text in details)
    assert any("（修改：修改了已有记录的内容" in text for text in details)
    # each action in the filter explains itself; the check says what 哈希链 means
    for i in range(1, page.action_combo.count()):
        assert CJK.search(page.action_combo.itemData(i, Qt.ItemDataRole.ToolTipRole) or "")
    assert "前后相扣" in page.verify_button.toolTip()
    page.verify()
    qtbot.waitUntil(lambda: page.verify_task.finished and page.verify_button.isEnabled())
    kind, text = no_boxes[-1]
    assert kind == "information" and "前后相扣" in text and "改动" in text


def test_every_change_key_the_code_writes_is_named_in_chinese():
    """The keys of the changes each audit.record call writes (its dict literals) and every field of the
    registry's sub-records: the 审计日志 names each in Chinese."""
    from cadre_desk.domain import fields
    from cadre_desk.security.audit_changes import key_label

    keys = set()
    for _module, call in _calls(("record", "record_output")):
        for arg in [*call.args[4:], *(k.value for k in call.keywords if k.arg == "changes")]:
            for node in ast.walk(arg):
                if isinstance(node, ast.Dict):
                    keys |= {k.value for k in node.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)}
    for spec in vars(fields).values():
        if isinstance(spec, fields.RecordSpec):
            keys |= {field.key for field in spec.fields}
    assert {"mentor_id", "cadre_ids", "start"} <= keys
    unnamed = sorted(key for key in keys if not CJK.search(key_label(key)) or english(key_label(key)))
    assert not unnamed, f"审计日志中没有中文名称的修改项：{unnamed}"


def test_audit_detail_names_each_record_types_own_fields_and_codes(qtbot, accounts_db, no_boxes):  # noqa: F811
    """A 谈话记录's date is its 谈话日期 (not the 奖惩时间 of another record type), a 考核表's period its
    考核期间, a 家庭成员 change names its fields and shows 称谓 / 政治面貌 by their names, never codes."""
    from cadre_desk.access import context
    from cadre_desk.security import accounts, audit
    from ui.security.audit_view import AuditPage
    from ui.shell.context import AppContext

    context.set_operator(accounts.operator_for(accounts.get_user(1)))
    audit.record(audit.UPDATE, "帮带谈话记录", 3, "修改谈话记录 张三—李四",
                 {"date": ["20240315", "20240316"], "form": ["谈心", "座谈"]})
    audit.record(audit.UPDATE, "考核表", 4, "修改考核表", {"period": ["2026-Q2", "2026-Q3"]})
    audit.record(audit.UPDATE, "干部", 5, "修改干部 张三",
                 {"family": [[], [{"relation": "13", "name": "王芳", "birth": "198703", "political": "01"}]]})
    context.set_operator(None)
    accounts.login("auditor", "Audit#2024")
    page = AuditPage(AppContext())
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: not page.loading)
    page.refresh()
    qtbot.waitUntil(lambda: not page.loading)  # read off the GUI thread
    details = "\n".join(_detail_of_each_row(page))
    for shown in ("谈话日期：\"2024.03.15\" → \"2024.03.16\"", "帮带形式", "考核期间：\"2026年第2季度\"",
                  "家庭成员：", "称谓", "\"妻子\"", "\"中共党员\"", "出生日期", "1987.03"):
        assert shown in details, details
    assert "奖惩时间" not in details and "\"13\"" not in details and "\"01\"" not in details, details
    for line in details.splitlines():
        if "：" in line and line.startswith("  "):
            assert not english(line), line


def test_audit_rows_show_a_long_object_whole(qtbot, accounts_db, no_boxes):  # noqa: F811
    """对象 was 70 pixels wide: 专业干部库入库 / 政治体检提醒单 were cut. It fits now, and 对象, 摘要 and 事由
    give their whole text on hover."""
    from PySide6.QtCore import Qt

    from cadre_desk.access import context
    from cadre_desk.security import accounts, audit
    from ui.security.audit_view import AuditPage
    from ui.shell.context import AppContext

    context.set_operator(accounts.operator_for(accounts.get_user(1)))
    summary = "移出“经济发展”专业干部库 3 人：张三、李四、王五（调整培养方向，另行安排）" * 3
    audit.record(audit.UPDATE, "专业干部库入库", 3, summary, {"level": ["骨干", "领军"]}, reason="调整培养方向")
    context.set_operator(None)
    accounts.login("auditor", "Audit#2024")
    page = AuditPage(AppContext())
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: not page.loading)
    page.refresh()
    qtbot.waitUntil(lambda: not page.loading)  # read off the GUI thread
    row = next(r for r, e in enumerate(page.model.entries) if e.entity == "专业干部库入库")
    entity = next(n for n, c in enumerate(page.model.columns) if c.key == "entity")
    metrics = page.table.fontMetrics()
    for name in ("专业干部库入库", "政治体检提醒单"):
        assert page.table.columnWidth(entity) >= metrics.horizontalAdvance(name) + 12, name
    for key, whole in (("entity", "专业干部库入库"), ("summary", summary), ("reason", "调整培养方向")):
        column = next(n for n, c in enumerate(page.model.columns) if c.key == key)
        shown = page.model.index(row, column).data(Qt.ItemDataRole.ToolTipRole)
        assert shown == whole, (key, shown)
