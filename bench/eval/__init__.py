"""One module per evaluation suite of bench/ai_eval.py (see its docstring)."""
