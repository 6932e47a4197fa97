"""The employee survey (medarbetarundersökning). Filled by a later issue."""
