"""Version of the rule set, stored in every result."""

# Bump the suffix whenever a change can alter a result for the same input.
RULES_VERSION = "hebei-2019-25/1"
