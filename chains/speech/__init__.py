"""Spoken answers, offline: decode audio, transcribe it (Whisper base, CTranslate2 int8), measure delivery.

``audio`` turns browser chunks or a file into 16 kHz samples and refuses what cannot be an answer;
``weights`` joins the packaged model once into the data dir; ``transcriber`` runs the recogniser in
its own worker thread; ``delivery`` computes pace, fillers, pauses and a tip. Nothing here imports
Chainlit, and no audio is written anywhere unless the caller asks for it (``audio.write_wav``).
"""
