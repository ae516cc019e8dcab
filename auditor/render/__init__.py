"""Render: writers that take scorecards (dicts following the contract) and
write one format each.  No writer reads anything but scorecards."""
