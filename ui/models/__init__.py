"""Qt item models over domain data."""
