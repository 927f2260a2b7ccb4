"""What a video gateway routes with: the body it holds, sent to the cheapest healthy seller
that can take it, with the rest of the fallback chain ready.

This package composes the two siblings below it: :mod:`ratecard.routing` (which seller is
cheapest for a need, and which circuits are open) and :mod:`ratecard.payloads` (reading a
native body, and writing it in another seller's dialect). Neither of those imports the
other; anything that needs both lives here (or in :mod:`ratecard.api`).
"""
