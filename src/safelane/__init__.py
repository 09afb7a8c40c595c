"""Safelane: CTPAT certification and compliance for companies and their consultants."""
