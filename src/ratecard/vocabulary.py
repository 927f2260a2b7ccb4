"""The closed vocabularies shared by rate cards and needs, free of pydantic.

>>> from typing import get_args
>>> get_args(Mode)
('text-to-video', 'image-to-video', 'reference-to-video', 'video-edit')
"""

from __future__ import annotations

from typing import Literal

Mode = Literal["text-to-video", "image-to-video", "reference-to-video", "video-edit"]
"""What an offering does: generate from text, from a first frame, from references, or
edit a video."""

Feature = Literal[
    "end-frame", "reference-images", "multi-shot", "voice-control", "video-input", "elements"
]
"""An input or control a request may use beyond the mode's own inputs.

``end-frame``: a last frame as well as the first (image-to-video). ``reference-images``:
images that guide subjects or style. ``multi-shot``: several shots, each with its own
prompt, in one clip. ``voice-control``: chosen voices for generated speech.
``video-input``: a reference video in a generation mode (a ``video-edit`` always takes a
video, so it needs no feature). ``elements``: saved subjects (EvoLink ``element_list``)."""
