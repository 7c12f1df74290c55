"""Value rules with no storage: code tables, citizen ID, dates, the field registry, validation."""
