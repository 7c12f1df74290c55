"""Text laid out in a wrapping label: ``keep_together`` for a phrase a line must not break inside (the
core's, cadre_desk.domain.text: a message made there keeps its phrases together the same way)."""

from __future__ import annotations

from cadre_desk.domain.text import WORD_JOINER, keep_together

__all__ = ["WORD_JOINER", "keep_together"]
