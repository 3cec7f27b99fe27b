"""The scrambled-text reconstruction (``pdftext*``): pdftotext-style text whose
blocks came apart, put back together into the rows of a form. Every other
layout is a source (:mod:`ingest.sources`) read by the template reader
(:mod:`ingest.template`).
"""
