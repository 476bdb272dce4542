"""The domain: the salon's models, the eligibility rules and the same-staff
availability search. Plain objects in, decisions out; no web, no channel."""
