"""LeadDesk Team in the window: the Team dialog, the status-bar sync chip and the Conflicts dialog."""
