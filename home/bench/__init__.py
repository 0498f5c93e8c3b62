"""`make bench`: performance budgets measured on a large synthetic organisation.

- registry.py: what is built (BUILDERS) and which pages are measured (PAGES).
  Later apps append their builder and their pages there.
- database.py: the bench's own database, beside the app's.
- measure.py: server-side time and query counts of each page, in one run.
- load.py: gunicorn with two workers on loopback under wrk.
- report.py: budgets, the printed table and bench/results.json.

bench/README.md explains how to read the results.
"""
