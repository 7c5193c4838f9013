"""Customers: the record, its contacts, addresses, tags, notes, and the directory."""
