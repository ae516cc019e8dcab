"""Running many démarches: resuming a run, shards and their merge, progress lines.

The machinery around the pipeline's stages, not a stage itself.
"""
