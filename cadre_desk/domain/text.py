"""Text a wrapping box lays out: ``keep_together`` for a phrase a line must not break inside. In the core
so that a message is made whole where it is made (a conflict's 「赵经办（zhao）」), the screens' own
phrases using the same (ui.widgets.text)."""

from __future__ import annotations

WORD_JOINER = "\u2060"  # invisible, no width; no line break on either side


def keep_together(text: str) -> str:
    """``text`` that a wrapped line never breaks inside (「状态：进行中」 broke after 进 in the narrow
    summary beside the 导师帮带 talks): its characters joined by an invisible word joiner, the last one
    too (so what follows at once, a bold value after its label, stays on the line)."""
    return WORD_JOINER.join(text) + WORD_JOINER


def choice_words(chosen: list[str], text: str = "") -> str:
    """A list's choices in words for an export's heading, file name and tip: the boxes chosen, then what
    was searched (市财政局、诫勉，含“经商”); "" when nothing is chosen."""
    text = (text or "").strip()
    return "、".join(chosen) + (("，" if chosen else "") + f"含“{text}”" if text else "")


def with_choice(title: str, what: str) -> str:
    """``title`` with the choice it was made under (谈心谈话记录（只看跟进事项待落实）), or alone."""
    return f"{title}（{what}）" if what else title


__all__ = ["WORD_JOINER", "choice_words", "keep_together", "with_choice"]
