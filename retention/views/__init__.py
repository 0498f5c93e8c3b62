"""Retention's pages, one module per area.

- registry.py: the team models list, registering a model, the model page (status,
  the deployment gate, the deployment plan and its approval, archiving, history);
- graveyard.py: the graveyard audit's findings, rates over time, "run now";
- assignments.py: an engineer's problem-type timeline and rotation suggestion;
- tokens.py: API tokens for ML pipelines (created and revoked by their person).

Lookups that answer 404 outside the viewer's reporting line are in scope.py. The
pipeline API itself is retention/api.py.
"""
