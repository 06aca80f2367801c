from django import template

register = template.Library()


@register.simple_tag
def nps_scale() -> range:
    """The survey's eleven points, 0 to 10."""
    return range(11)
