"""绩效助手: the Excel add-in — worksheet functions (udfs), ribbon handlers, build and install."""
