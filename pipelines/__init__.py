"""Item pipelines, in the order they run: Extract -> Refuse -> Deduplicate -> Store."""
