"""Jinja2 templates of printable documents, shipped as package data."""
