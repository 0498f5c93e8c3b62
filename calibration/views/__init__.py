"""Calibration's pages, one module per area.

- rubric.py, work_items.py, attribution.py: the rubric, evidence (work items and
  contributions) and "who gets the credit";
- cycles.py: cycles, drafting, lock, publish, results, export;
- session.py: the director's calibration session grid.

Lookups that answer 404 outside the viewer's reporting line are in scope.py.
"""
