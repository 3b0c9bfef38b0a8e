"""``{% published_books %}``: the launched volumes, for pages outside the launch stage (the home page)."""

from django import template

from chapterhouse.launch.models import Publication
from chapterhouse.launch.states import LAUNCHED

register = template.Library()


@register.inclusion_tag("launch/_published.html")
def published_books():
    return {"publications": Publication.objects.filter(status=LAUNCHED).select_related("call")}
