"""The HTML report: one self-contained page (inline CSS and SVG charts, no script, nothing
fetched) with the codebook, the figures, agreement with its intervals, saturation, quotes, the
audit trail and a methods paragraph. Its numbers come from the domain functions the CLI's
``--json`` prints (:mod:`qualcode.report.build`)."""
