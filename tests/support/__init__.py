"""Support code shared by tests (and the PDF benchmark): renderers that make real office documents."""
