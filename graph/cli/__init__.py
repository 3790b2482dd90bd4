"""The `kommunalgraph` command group and its commands."""
