from django import template
from django.utils.safestring import SafeString

from safelane.mapping import selectors

register = template.Library()


@register.filter
def highlighted(proposal: object) -> SafeString:
    """A proposal's passage with the words that matched marked."""
    return selectors.highlight(proposal.passage.text, proposal.spans)  # type: ignore[attr-defined]


@register.filter
def percent(score: float) -> int:
    """A score as a whole percentage of the strongest match the ranker gives (1.0)."""
    return round(min(1.0, max(0.0, score)) * 100)
