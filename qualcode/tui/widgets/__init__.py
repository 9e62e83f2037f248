"""The workbench's widgets."""
