"""The employee survey (medarbetarundersökning, MU): README, "Employee survey".

models (questionnaires, uploads, HR areas) · extracts (reading the files) ·
services (import, undo, rebuild) · metrics (the measures, pure) · results (every
group's values with anonymity, pure) · protection (which values are hidden, with
hyrdash.lib.disclosure) · selectors (reads) · access (who sees what) · pages,
charts, views (the page) · exports (export_kpi survey) · demo (the demo years).
"""
