"""Dashboard staff accounts: coordinators and admins, with strong password hashing."""
