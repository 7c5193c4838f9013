"""The domain: models and the operations on them. No requests, no templates.

Every operation takes the tenant (through the acting staff member) explicitly, so the
HTML views and the JSON API share one set of rules.
"""
