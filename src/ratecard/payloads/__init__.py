"""Native request bodies and task records: read, check and price what you send.

- :mod:`~ratecard.payloads.request`: the canonical request (and shots, video info);
- :mod:`~ratecard.payloads.dialects`: one module per provider's body and task format;
- :mod:`~ratecard.payloads.validate`, :mod:`~ratecard.payloads.callback`: the card's
  constraints checked against a request;
- :mod:`~ratecard.payloads.violations`: what is wrong, with stable codes;
- :mod:`~ratecard.payloads.tasks`: task records as billed;
- :mod:`~ratecard.payloads.pipeline`: body -> request -> checked request -> quote.
"""
