"""Item pipelines, in the order they run: ExtractPolicyText -> RefuseNonPolicies -> DeduplicateTexts -> StoreItems."""
