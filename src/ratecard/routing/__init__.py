"""Needs matched against every offering: compare what a job costs everywhere, and route it
to the cheapest seller that can serve it, with the fallback order."""
