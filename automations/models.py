"""Automations: trigger → delay → condition → actions (see DESIGN.md, section 3)."""
