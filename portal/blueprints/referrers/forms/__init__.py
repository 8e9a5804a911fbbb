"""Forms of the referrers' pages, one module per feature."""
