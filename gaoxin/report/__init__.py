"""Notebooks → reports: execute once, cache, render, sanitize, fonts, site pages, publish."""

import sys

# nbformat validates with jsonschema, which imports the optional rfc3987_syntax if installed
# (JupyterLab pulls it in); that import builds a grammar and costs ~1.3 s of CPU in every build
# process. Notebook schemas use no IRI formats, so the build goes without it.
sys.modules.setdefault("rfc3987_syntax", None)
