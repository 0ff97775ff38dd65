"""The customer-facing screen: a window turned towards the customer that greets them in their
language and, at the end of the visit, asks "How did we do today?" with five faces."""
