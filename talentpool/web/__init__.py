"""Web helpers every area shares (no blueprint of its own)."""
