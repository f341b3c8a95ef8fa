"""jixiao: budget-performance forms as data — parse, check, score, render, roll up."""
__version__ = "0.1.0"
