"""Reading PDF pages into cells, for the PDF source (``ingest/sources/pdf.py``).

* ``document``: a whole PDF — which pages to read, what to refuse, one grid
  per run of pages that hold forms;
* ``extract``: what PDFium (pypdfium2) gives of one page — characters with
  their boxes, the straight lines the page draws, whether it is an image;
* ``layout``: pure geometry — ruled tables (pdfplumber's table finder run on
  those lines) and the text outside them, as rows of cells;
* ``assemble``: a run of pages into one :class:`ingest.grid.Grid`, joining a
  table that continues on the next page.

Coordinates inside are pdfplumber's (x0, top, x1, bottom; y grows down the
page); a cell's ``ref`` gives the PDF's own (x0 y0 x1 y1, y up from the
bottom of the page), as a PDF viewer or pdfium would show it.
"""
