from django import template

register = template.Library()


@register.filter
def bps_percent(bps):
    """2000 -> '20%', 1250 -> '12.5%'."""
    return f"{int(bps or 0) / 100:g}%"


@register.filter
def duration(minutes):
    """90 -> '1 h 30 min', 60 -> '1 hour', 45 -> '45 min'."""
    minutes = int(minutes or 0)
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    if not rest:
        return "1 hour" if hours == 1 else f"{hours} hours"
    return f"{hours} h {rest} min"


@register.filter
def zone_label(tz):
    return str(tz).replace("_", " ")


@register.simple_tag
def zone_choices():
    """The zones the switcher offers (the same list the profile's zone field uses)."""
    from core.timezones import timezone_choices

    return timezone_choices()


@register.filter
def humanize_requirement(code):
    """Stripe requirement codes ('individual.verification.document') as words."""
    special = {
        "external_account": "Bank account for payouts",
        "tos_acceptance.date": "Accept Stripe's terms",
        "individual.verification.document": "Identity document",
        "business_profile.url": "Website or profile link",
        "business_profile.mcc": "Business category",
    }
    if code in special:
        return special[code]
    return str(code).replace(".", " · ").replace("_", " ").capitalize()


@register.filter
def photo_url(photo, size_class="size-14"):
    """{{ expert.photo|photo_url:"size-16" }}: the photo for a Tailwind size-N box (N x 4 CSS px), a 2x
    crop on Cloudinary, the stored file on local disk."""
    from core.media_storage import image_url

    try:
        css_px = int(str(size_class).rsplit("-", 1)[1]) * 4
    except (IndexError, ValueError):
        css_px = 64
    return image_url(photo, size=css_px)
