"""Text and balance analytics with no Django imports (see docs/performance.md)."""
