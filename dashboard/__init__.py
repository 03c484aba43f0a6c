"""AURA-HLM territories dashboard."""
