"""REFI-QDA interchange: codebooks (.qdc) and projects (.qdpx), read safely and written to the
standard (``urn:QDA-XML:codebook:1.0`` and ``urn:QDA-XML:project:1.0``)."""
