"""A wide table scrolls in a region of its own that keyboard and screen-reader users can reach."""

import pytest
from django.conf import settings
from django.template import Context, Template, TemplateSyntaxError

TABLE = "<table><caption>Funds</caption></table>"


def render(tag: str, **context) -> str:
    source = f"{{% load layout %}}{{% {tag} %}}{TABLE}{{% endscrollable_table %}}"
    return Template(source).render(Context(context))


def test_a_table_is_wrapped_in_a_named_focusable_region_with_a_hint():
    html = render('scrollable_table label="Funds of "|add:council', council="KBC")

    assert 'role="region" aria-label="Funds of KBC" tabindex="0"' in html
    assert TABLE in html
    assert "Scroll the table sideways to see more." in html


def test_a_wide_table_keeps_its_columns_readable():
    assert "table-scroll-region-wide" in render('scrollable_table label="Events" wide=True')
    assert "table-scroll-region-wide" not in render('scrollable_table label="Events"')


@pytest.mark.parametrize(
    "tag",
    [
        "scrollable_table",
        "scrollable_table wide=True",
        'scrollable_table label="Funds" labelledby="funds-heading"',
        'scrollable_table label="Funds" wide=True extra="x"',
        'scrollable_table "Funds"',
    ],
)
def test_a_region_without_a_label_or_with_unknown_options_is_refused(tag):
    with pytest.raises(TemplateSyntaxError):
        render(tag)


def test_every_table_of_a_page_scrolls_in_its_own_region():
    """PDF templates are laid out for A4 paper; every other table is on a page a phone may open."""
    roots = [settings.BASE_DIR / "templates"] + [
        settings.BASE_DIR / app / "templates"
        for app in ("sla_monitor", "grants", "oversight", "equality_plans")
    ]
    unwrapped = []
    for root in roots:
        for path in root.rglob("*.html"):
            if "pdf" in path.relative_to(root).parts:
                continue
            source = path.read_text()
            if source.count("<table") != source.count("{% scrollable_table"):
                unwrapped.append(str(path.relative_to(settings.BASE_DIR)))
    assert unwrapped == []
