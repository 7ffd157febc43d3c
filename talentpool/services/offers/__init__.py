"""Offers and assignments: sending and answering offers, the work itself, capacity, list queries."""
