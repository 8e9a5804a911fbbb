"""Forms of the association pages."""
