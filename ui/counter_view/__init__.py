"""The counter screen: search, the customer's profile (later: phrases, checklist, queue)."""
