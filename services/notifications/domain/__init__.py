"""The notifications service's pure rules: who is told what, through which route, and the facts
that claim each delivery. No I/O here: decisions read the read models through lookups."""
