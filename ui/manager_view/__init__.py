"""What a manager sees: the visit log, one visit's timeline, the dashboard with charts, the
printable report, staff admin and the audit log, in one tabbed window."""
