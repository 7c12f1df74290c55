"""What other capabilities do when a posting changes, without the postings module knowing them.

WITHDRAW_HOOKS: ``hook(posting_id)`` inside the transaction that withdraws a 拟选派 posting."""

from __future__ import annotations

WITHDRAW_HOOKS: list = []
