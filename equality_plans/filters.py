import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from equality_plans.models import Action, EqualityStrand, RagStatus, Section
from sla_monitor.filters import overdue_filter
from sla_monitor.forms import FilterForm
from sla_monitor.models import Organisation
from sla_monitor.written import WrittenSelect

NO_UPDATE = "none"


class ActionFilter(django_filters.FilterSet):
    """Filters of a plan's actions. Expects the queryset annotated with `latest_rag`."""

    section = django_filters.ModelChoiceFilter(
        label=_("Section"),
        queryset=Section.objects.none(),
        empty_label=_("Any section"),
        widget=WrittenSelect(field="title"),
    )
    strand = django_filters.ModelChoiceFilter(
        field_name="strands",
        label=_("Equality strand"),
        queryset=EqualityStrand.objects.all(),
        empty_label=_("Any strand"),
        method="filter_strand",
    )
    lead = django_filters.CharFilter(
        field_name="lead_responsibility", lookup_expr="icontains", label=_("Lead contains")
    )
    monitored_by = django_filters.CharFilter(
        lookup_expr="icontains", label=_("Monitored by contains")
    )
    partner = django_filters.ModelChoiceFilter(
        field_name="partner_authorities",
        label=_("Partner authority"),
        queryset=Organisation.objects.none(),
        empty_label=_("Any partner"),
    )
    rag = django_filters.ChoiceFilter(
        label=_("Latest RAG"),
        choices=[*RagStatus.choices, (NO_UPDATE, _("No update yet"))],
        empty_label=_("Any RAG"),
        method="filter_rag",
    )
    overdue = overdue_filter(label=_("Overdue only"), any_label=_("All actions"))

    class Meta:
        model = Action
        fields = ["section", "strand", "lead", "monitored_by", "partner", "rag", "overdue"]
        form = FilterForm

    def __init__(self, *args, plan, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.filters["section"].queryset = plan.sections.all()
        self.filters["partner"].queryset = Organisation.objects.filter(
            pk__in=plan.actions.values("partner_authorities")
        )

    def filter_strand(self, queryset, name, strand):
        # An action for ALL strands addresses every strand.
        return queryset.filter(Q(strands=strand) | Q(strands__covers_all=True)).distinct()

    def filter_rag(self, queryset, name, value):
        if value == NO_UPDATE:
            return queryset.filter(latest_rag__isnull=True)
        return queryset.filter(latest_rag=value)

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.overdue(self.today) if value else queryset.not_overdue(self.today)
