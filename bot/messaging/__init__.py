"""Outbound messaging: texts queued with the change that caused them, the
worker that sends them, reminders and follow-ups, transports, GSM-7."""
