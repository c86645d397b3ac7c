"""The residents app's forms: households, licences, visits, breaches, handbook."""
