"""Loyalty points ledger and gift cards (see DESIGN.md, section 4)."""
