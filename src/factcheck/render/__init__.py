"""Renderers: each turns a Report into text; one function in the CLI writes it."""
