"""Reactions for casework (e.g. an Ofsted inspection opening a support offer)."""
