"""Forms of the meetings app, one module per part of the meeting path."""
