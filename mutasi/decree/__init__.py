"""Decrees: numbering, signing, the PDF, and their public verification."""
