"""Importing customers from a CSV or XLSX file, one job per module:

- :mod:`~counter.importing.reading`: open a file, guess its encoding and separator, walk its
  rows with the file's own line numbers (rows broken in the file itself are marked);
- :mod:`~counter.importing.columns`: which column holds which customer field, and a row's
  values by field;
- :mod:`~counter.importing.checking`: validate every row, in worker processes for big files
  (spawn-safe);
- :mod:`~counter.importing.writing`: duplicates and merging, and writing it all in one
  transaction (:func:`~counter.importing.writing.import_customers`).
"""
