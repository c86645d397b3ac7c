"""Management reports: figures read across the apps (issue 16), drawn as SVG charts with their
tables, and downloaded as CSV or xlsx. The top of the house: it reads every app below it, and
nothing imports it (config.urls wires its URLs by name)."""
