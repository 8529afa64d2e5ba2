"""Who did what: an append-only audit log of staff actions (coordinators, facilitators, admins)."""
