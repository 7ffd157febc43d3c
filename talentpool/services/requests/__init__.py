"""Support requests: posting and editing, the lifecycle, search, import and export, starter
texts."""
