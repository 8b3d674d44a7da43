"""Forked search views: Oscar loads them by their path (search.views.search)."""
