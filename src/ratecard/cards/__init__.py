"""The authoring layer: rate cards as YAML files, their strict models, and how they are
read, validated, compiled and cached. Used at load and lint time, never on a hot path.

- :mod:`~ratecard.cards.base`, :mod:`~ratecard.cards.constraints`,
  :mod:`~ratecard.cards.schema`: the pydantic models (and the JSON Schema);
- :mod:`~ratecard.cards.loader`: YAML to validated models, errors with ``file:line``;
- :mod:`~ratecard.cards.compiler`: validated models to :mod:`ratecard.pricing` plans;
- :mod:`~ratecard.cards.load`, :mod:`~ratecard.cards.cache`,
  :mod:`~ratecard.cards.paths`: which files, and the compiled-catalog cache.
"""
