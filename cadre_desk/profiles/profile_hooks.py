"""What other capabilities add to the cadre profiles, without the profiles modules knowing them (and
without loading them: the window registers these before it needs a cadre's profile).

DELETE_HOOKS: ``hook(cadre_id)`` inside the transaction that deletes a cadre; it refuses (ValidationError)
or cleans up. DEMO_EXTENSIONS: ``extension(rng, progress)`` adds a capability's demo data after the demo
cadres exist."""

from __future__ import annotations

DELETE_HOOKS: list = []
DEMO_EXTENSIONS: list = []
