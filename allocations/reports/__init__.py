"""Management reports: figures read across the apps (issue 16), drawn as SVG charts with their
tables, and downloaded as CSV or xlsx. Part of allocations, the top of the house: it reads every
app below it (and, for the occupancy report only, census models; see pyproject's census
contract), and nothing imports it (config.urls wires its URLs by name, still `reports:*`)."""
