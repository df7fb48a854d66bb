"""Bulletins: assemble a PLP's new messages, render them once, fill them per member, store them."""
