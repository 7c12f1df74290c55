"""Documents: PDF dossiers (reportlab), Excel workbooks (openpyxl), LRMX files. Never imports Qt."""
