"""The read API: each council's data for its other systems, through Django REST framework.

Tokens (`sla_monitor.api_tokens`) read as the administrator who made them, through the same
scoping the pages use (`grants.permissions`, `equality_plans.permissions`), narrowed to their
scopes. The OpenAPI description is generated from the code by drf-spectacular.
"""
