"""Notebooks → reports: execute once, cache, render, sanitize, fonts, site pages, publish."""
