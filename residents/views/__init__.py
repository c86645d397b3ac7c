"""The residents app's pages: households, licences, visits, breaches, handbook."""
