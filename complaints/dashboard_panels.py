"""Complaints panels on the role dashboards (filled in by the tracker work)."""
