"""The grants domain's forms, one module per topic, named as its services are (`grants.services`):
returns (an answer, the minimum requirements and the lead officer's decision), beneficiaries,
payments, meetings, publication, imports and diversity. Views import each form from its topic's
module; the agreement set-up wizard's forms are in `grants.setup`."""
