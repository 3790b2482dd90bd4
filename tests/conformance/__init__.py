"""Test harnesses that measure conformance to external test suites."""
