"""Who may edit which country's data: focal points their own countries, hub editors all."""

HUB_EDITOR_PERMISSION = "countries.edit_all_countries"


def is_hub_editor(user):
    return user.is_active and user.has_perm(HUB_EDITOR_PERMISSION)


def editable_country_codes(user):
    """The codes of the countries `user` may edit, or None for every country (hub editors)."""
    if is_hub_editor(user):
        return None
    cache_name = "_editable_country_codes"
    if not hasattr(user, cache_name):
        codes = frozenset(user.country_memberships.values_list("country_id", flat=True)) if user.pk else frozenset()
        setattr(user, cache_name, codes)
    return getattr(user, cache_name)
