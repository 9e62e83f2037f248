"""The demo study's own measure: the share of their caseload that each participant states.

Everything about it lives here, in two parts that never mix:

* :mod:`qualcode.caseload.domain` - the rules that find the statements in transcripts, the
  suggestions, accepting a share, the summary, the export sheets and the dashboard panel's
  numbers. No Textual, no typer.
* :mod:`qualcode.caseload.faces` - the ``qualcode caseload`` commands, the review screen and the
  dashboard panel. Faces call the domain; they never touch SQLAlchemy.

The general packages never import this package: they ask :mod:`qualcode.features` for the
modules that fill a hook (the export's extra sheets, the dashboard's extra panels, the extra
command groups). The sheets and the panel show up only in a project that has caseload data
(:func:`qualcode.caseload.domain.measure.has_caseload_data`).
"""
