"""DOCX: the agreement as a Word document.

:mod:`writer` writes the whole document (cover, contents, page frame), :mod:`body` the sections
and clauses, :mod:`styles` every Word style, :mod:`ooxml` the WordprocessingML elements python-docx
has no API for, :mod:`package` the file around them (page setup, properties, reproducible zip).
"""
