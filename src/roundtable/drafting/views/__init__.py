"""Drafting pages: thin views over the services and selectors."""
