"""The kernel: the ground floor every app may import, and that imports no app.

One of each piece of plumbing, with one message and one limit:

- `records`: save a record with its history (who and why), and the "reason" rule; a name or
  key someone else saved at the same moment refused in the form's words (`save_unique`).
- `files`: private files (never under a public URL) and their storage.
- `documents`: the rendered-document lifecycle (requested -> drawn by Celery -> ready or
  failed) for letters, licence documents, handbooks and whatever comes next.
- `exports`: CSV and xlsx downloads with the one spreadsheet-formula guard.
- `postcodes`: the one postcode normaliser.
- `dates`: the one date format for pages and the one for letters.
- `lifecycle`: a model's transition table and the actions a page may offer now.
- `permissions`: "not allowed" in one shape (403).

Template tags for GOV.UK components live in `config/templatetags/govuk.py`.
"""
