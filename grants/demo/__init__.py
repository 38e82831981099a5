"""The grants demo, loaded through the services, one module per topic: funds and agreements
transcribed from seeds 000 (Kettering) and 002 (Leicester), their returns and the people their
services reached, payments, a variation waiting for approval, a provider's own diversity, and
a council in Wales whose fund and agreement are written in Welsh and English.
`oversight`'s load_demo command calls the loaders in turn."""

from grants.demo.agreements import demo_start, load
from grants.demo.beneficiaries import demo_people
from grants.demo.budgets import load_budgets
from grants.demo.diversity import load_diversity
from grants.demo.payments import load_payments
from grants.demo.returns import load_returns
from grants.demo.variations import load_variations
from grants.demo.welsh import load_welsh

__all__ = [
    "demo_people",
    "demo_start",
    "load",
    "load_budgets",
    "load_diversity",
    "load_payments",
    "load_returns",
    "load_variations",
    "load_welsh",
]
