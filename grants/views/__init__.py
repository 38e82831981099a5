"""Views parse input, call a selector or a service, and render. They decide nothing.

One module per topic, named as its services and selectors are: returns (a return's pages),
corrections (a correction to an approved return),
queues (the provider's quarters and the review queue), results, agreements, payments, meetings,
funds, publication (open data), imports and diversity. `grants.urls` names each view by its
module; the agreement set-up wizard is in `grants.setup`."""
