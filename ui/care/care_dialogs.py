"""谈心关爱's dialogs: a 谈心谈话 record, a 关爱 record, 指定包抓人 for many postings, and the interval of
the talk reminder (系统管理)."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QComboBox, QDialog, QLabel, QLineEdit, QSpinBox

from cadre_desk.access.context import current_operator
from cadre_desk.care import care_items, talks
from cadre_desk.domain import clock
from cadre_desk.domain.errors import ValidationError
from cadre_desk.domain.fields import CARE, LIAISON, TALK
from cadre_desk.liaison import liaison
from cadre_desk.settings.settings import person_name
from ui.widgets.cadre_picker import CadrePicker
from ui.widgets.choices import NO_POSTING, posting_items, refill
from ui.widgets.date_edit import DateEdit
from ui.widgets.form_dialog import FormDialog, text_box
from ui.widgets.window import settings


def _label(record, key: str) -> str:
    return record.label_of(key) + "："


def _cadre_field(dialog: FormDialog, context, cadre_id: int | None, editing: bool, label: str) -> CadrePicker:
    picker = CadrePicker(context, cadre_id, compact=True, status="")
    picker.setEnabled(not editing)
    return dialog.add_field("cadre_id", label, picker)


def _talker_key() -> str:
    """Where the last 谈话人 typed is kept: per account, so one clerk's colleague is not offered to another."""
    return f"care/last_talker/{current_operator().username}"


def default_talker() -> str:
    """The 谈话人 a new talk starts with: the last one typed in this dialog, else the logged-in person's name
    ("" without accounts: the department is not a person)."""
    return str(settings().value(_talker_key(), "") or "") or person_name()


def _require_cadre(picker: CadrePicker, message: str) -> None:
    if picker.cadre_id() is None:
        raise ValidationError({"cadre_id": message})


class TalkDialog(FormDialog):
    ok_text = "保存"

    def __init__(self, context, talk: talks.TalkInfo | None = None, cadre_id: int | None = None, parent=None):
        super().__init__(parent, "新增谈心谈话记录" if talk is None else f"修改谈心谈话记录 — {talk.cadre_name}")
        self.talk = talk
        self.cadre = _cadre_field(self, context, talk.cadre_id if talk else cadre_id, talk is not None,
                                  _label(TALK, "cadre_name"))
        self.date = self.add_field("date", _label(TALK, "date"),
                                   DateEdit(talk.date if talk else clock.today_yyyymmdd(), "day",
                                            label=TALK.label_of("date")))
        self.talker = self.add_field("talker", _label(TALK, "talker"), QLineEdit(talk.talker if talk else default_talker()))
        self.talker.setPlaceholderText("与干部谈话的人的姓名")
        self.occasion = QComboBox()
        self.occasion.addItems(talks.OCCASIONS)
        self.occasion.setCurrentText(talk.occasion if talk else "日常谈心")
        self.add_field("occasion", _label(TALK, "occasion"), self.occasion)
        self.topics = self.add_field("topics", _label(TALK, "topics"), text_box(talk.topics if talk else "", 110,
                                                                                  "谈了哪些问题，对方的想法和困难"))
        self.follow_up = self.add_field("follow_up", _label(TALK, "follow_up"),
                                        text_box(talk.follow_up if talk else "", 60, "需要组织上跟进落实的事项（可不填）"))
        self.done_box = QCheckBox("跟进事项已落实")
        self.done_box.setChecked(bool(talk and talk.follow_up_done))
        self.form.addRow("", self.done_box)
        # the posting the talk goes with: a new one's the cadre's current posting, a record's its own (or none)
        self.posting = self.add_field("posting_id", "关联锻炼岗位：", QComboBox(),
                                      hint="在岗期间的谈话关联到该次锻炼；与锻炼无关的谈话选（不关联）")
        self._posting_id = talk.posting_id if talk else None
        self._fill_postings(talk is None)
        self.cadre.cadre_selected.connect(lambda _id: self._fill_postings(True))
        self.setMinimumWidth(560)

    def _fill_postings(self, current: bool) -> None:
        """The cadre's postings; chosen: the talk's own, or (``current``) the one the cadre is on now."""
        cadre_id = self.cadre.cadre_id()
        refill(self.posting, NO_POSTING, posting_items(cadre_id))
        chosen = self._posting_id
        if current and cadre_id:
            on_post = talks.current_posting(cadre_id)
            chosen = on_post if on_post is not None else chosen
        self.posting.setCurrentIndex(max(0, self.posting.findData(chosen)))

    def save(self) -> talks.TalkInfo:
        _require_cadre(self.cadre, "请选择谈话对象。")
        base = self.talk
        info = talks.TalkInfo(base.id if base else None, self.cadre.cadre_id(), self.date.value(), self.talker.text(),
                              self.occasion.currentText(), self.topics.toPlainText(), self.follow_up.toPlainText(),
                              self.done_box.isChecked(), self.posting.currentData(),
                              recorder=base.recorder if base else "", version=base.version if base else 0)
        saved = self.save_checked(lambda: talks.save_talk(info, link_current=False),  # the box says which posting
                                  lambda: talks.save_talk(info, overwrite=True, link_current=False))
        if saved is not None and (base is None or saved.talker != base.talker):  # typed now, not an old one again
            settings().setValue(_talker_key(), saved.talker)
        return saved


class CareDialog(FormDialog):
    ok_text = "保存"

    def __init__(self, context, care: care_items.CareInfo | None = None, cadre_id: int | None = None, parent=None):
        super().__init__(parent, "新增关爱记录" if care is None else f"修改关爱记录 — {care.cadre_name}")
        self.care = care
        self.cadre = _cadre_field(self, context, care.cadre_id if care else cadre_id, care is not None,
                                  _label(CARE, "cadre_name"))
        self.kind = QComboBox()
        self.kind.addItems(care_items.CARE_KINDS)
        if care:
            self.kind.setCurrentText(care.kind)
        self.add_field("kind", _label(CARE, "kind"), self.kind)
        self.date = self.add_field("date", _label(CARE, "date"), DateEdit(care.date if care else clock.today_yyyymmdd(),
                                                                          "day", label=CARE.label_of("date")))
        self.end = self.add_field("end_date", _label(CARE, "end_date"),
                                  DateEdit(care.end_date if care else "", "day", label=CARE.label_of("end_date")),
                                  hint="休假、培训填写最后一天；其他可不填")
        self.content = self.add_field("content", _label(CARE, "content"), text_box(care.content if care else "", 80))
        self.setMinimumWidth(520)

    def save(self) -> care_items.CareInfo:
        _require_cadre(self.cadre, "请选择关爱对象。")
        base = self.care
        info = care_items.CareInfo(base.id if base else None, self.cadre.cadre_id(), self.kind.currentText(),
                                   self.date.value(), self.end.value(), self.content.toPlainText(),
                                   recorder=base.recorder if base else "", version=base.version if base else 0)
        return self.save_checked(lambda: care_items.save_care(info),
                                 lambda: care_items.save_care(info, overwrite=True))


class AssignDialog(FormDialog):
    """指定包抓人: one person of the department for the chosen postings."""

    title = "指定包抓人"
    ok_text = "指定"

    def __init__(self, rows: list[liaison.LiaisonInfo], parent=None):
        super().__init__(parent)
        self.rows = rows
        names = "、".join(r.cadre_name for r in rows[:8]) + (f" 等 {len(rows)} 人" if len(rows) > 8 else f"（{len(rows)} 人）")
        who = QLabel(names)
        who.setWordWrap(True)
        self.form.addRow("一线干部：", who)
        self.known = QComboBox()
        self.known.addItem("（选择已有包抓人，或在下面填写）", None)
        for contact in liaison.contacts():
            self.known.addItem(contact.label, contact)
        self.known.currentIndexChanged.connect(lambda _i: self._known_chosen())
        self.form.addRow("已有包抓人：", self.known)
        first = rows[0] if len(rows) == 1 and rows[0].assigned else None
        self.name = self.add_field("contact_name", _label(LIAISON, "contact_name"),
                                   QLineEdit(first.contact_name if first else ""),
                                   hint="组织部的包抓责任人；与某个用户的姓名相同时自动关联其账户（“我包抓的”）")
        self.office = QComboBox()
        self.office.setEditable(True)
        self.office.addItems(liaison.OFFICES)
        self.office.setCurrentText(first.contact_office if first else "")
        self.add_field("contact_office", _label(LIAISON, "contact_office"), self.office)
        self.phone = self.add_field("contact_phone", _label(LIAISON, "contact_phone"),
                                    QLineEdit(first.contact_phone if first else ""))
        # one posting's contact corrected (a new phone): its 包抓开始日期 kept, not today's put over it
        self.since = self.add_field("since", _label(LIAISON, "since"),
                                    DateEdit(first.since if first and first.since else clock.today_yyyymmdd(), "day",
                                             label=LIAISON.label_of("since")))
        self.note = self.add_field("note", _label(LIAISON, "note"), text_box(first.note if first else "", 50))
        self.setMinimumWidth(520)

    def _known_chosen(self) -> None:
        contact = self.known.currentData()
        if contact is not None:
            self.name.setText(contact.name)
            self.office.setCurrentText(contact.office)
            self.phone.setText(contact.phone)

    def save(self) -> int:
        """指定; another having changed the contact of any of these since they were listed: 重新载入对方的修改
        (nothing written, the list shows theirs) / 仍然保存我的修改 / 取消."""
        typed = ([r.posting_id for r in self.rows], self.name.text(), self.office.currentText(), self.phone.text(),
                 self.since.value(), self.note.toPlainText())
        read = {r.posting_id: r.version if r.assigned else 0 for r in self.rows}
        return self.save_checked(lambda: liaison.assign(*typed, read=read), lambda: liaison.assign(*typed))


class IntervalDialog(FormDialog):
    """谈心谈话提醒 (系统管理): how often a cadre on a posting is due a talk."""

    title = "谈心谈话提醒设置"
    ok_text = "保存"

    def __init__(self, parent=None):
        super().__init__(parent)
        self.read = talks.interval_days()  # as shown: a save over another's change since asks first
        self.days = QSpinBox()
        self.days.setRange(7, 365)
        self.days.setSuffix(" 天")
        self.days.setValue(self.read)
        self.add_field("interval", "一线干部谈心谈话间隔：", self.days,
                       hint="自上次谈话（从未谈话的自到岗之日）起超过此天数即提醒；默认 90 天（每季度至少一次）")

    def save(self) -> int | None:
        """Another administrator having changed the interval since the dialog opened: the same choice as
        every form (FormDialog.save_checked)."""
        days = self.days.value()
        return self.save_checked(lambda: talks.set_interval_days(days, self.read),
                                 lambda: talks.set_interval_days(days, self.read, overwrite=True))


def open_settings(context) -> None:
    """工具 → 谈心谈话提醒设置… (系统管理): a new interval lists the 谈话提醒 and the 工作台 again (they kept
    the old one's due days, and the page's note its old number, until the program was started again)."""
    if IntervalDialog(context.main_window).exec() == QDialog.Accepted:
        context.data_changed.emit("care")
