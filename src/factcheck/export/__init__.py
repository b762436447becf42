"""Exports of a checked claims file to formats other tools read (schema.org ClaimReview)."""
