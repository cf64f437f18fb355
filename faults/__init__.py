"""Fault-injection tests (faults/tests, marker `faults`): real services broken on purpose."""
