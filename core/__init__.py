"""Leaf helpers shared by every app (DESIGN §2): no Django, no app imports."""
