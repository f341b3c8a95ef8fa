"""The template engine: one annotated .xlsx template writes a form and reads it back.

Layers, one module each: spec (parse a template's annotations), layout (rows
and formulas once loops expand), render, align + read, annotate, registry
(find templates and tell which one a sheet is), describe.  The annotation
contract is docs/ANNOTATIONS.md.
"""
from .annotate import Mark, annotate_copy, marks
from .describe import describe_template
from .read import ReadResult, Source, read_grid, read_workbook
from .registry import template_for, templates
from .render import (
    render_book,
    render_bytes,
    render_workbook,
    save_workbook,
    workbook_bytes,
)
from .spec import TemplateSpec, load_spec, parse_template

__all__ = ["Mark", "ReadResult", "Source", "TemplateSpec", "annotate_copy", "describe_template",
           "load_spec", "marks", "parse_template", "read_grid", "read_workbook", "render_book",
           "render_bytes", "render_workbook", "save_workbook", "template_for", "templates",
           "workbook_bytes"]
