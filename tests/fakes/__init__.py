"""Fakes of the services salonbot talks to, served for real on loopback."""
