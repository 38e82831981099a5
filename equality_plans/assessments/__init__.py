"""Equality impact assessments: their rules, pages, PDFs and public pages."""
