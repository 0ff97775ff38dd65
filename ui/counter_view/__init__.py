"""The counter screen's panels and dialogs: search, the customer's profile, what to say, the
visit with its checklist, the queue, follow-ups, and the Visit menu's actions."""
