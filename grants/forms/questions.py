"""The questions a fund adds to its returns: the provider's answers, a field of the right type
for each question, and the council's page that sets the questions."""

from django import forms
from django.utils.translation import gettext_lazy as _

from grants.evidence import check_evidence_file
from grants.forms.returns import YES_NO, VersionedForm, _as_choice, _yes_no
from grants.models import FundQuestion
from grants.models.questions import LONG_TEXT_LENGTH, SHORT_TEXT_LENGTH, choice_list
from grants.selectors import QuestionRow
from grants.services.questions import LARGEST
from sla_monitor.dates import DayMonthYearField
from sla_monitor.forms import AccessibleFormMixin, PlainDecimalField

Kind = FundQuestion.Kind
EVIDENCE_ACCEPT = ".pdf,.doc,.docx,.xls,.xlsx,.png,.jpg,.jpeg,.gif"


def _too_long(longest: int) -> str:
    return _("The answer must be %(longest)s characters or fewer (it has %%(show_value)d)") % {
        "longest": f"{longest:,}"
    }


def question_field(row: QuestionRow) -> forms.Field:
    """The field that asks the question: optional while the return is a draft (a required
    question is asked for when it is submitted); what is given must be valid."""
    kind, label, hint = row.kind, row.wording, row.question.help_text
    common = {"label": label, "required": False, "help_text": hint}
    if kind == Kind.SHORT_TEXT:
        return forms.CharField(
            max_length=SHORT_TEXT_LENGTH,
            error_messages={"max_length": _too_long(SHORT_TEXT_LENGTH)},
            **common,
        )
    if kind == Kind.LONG_TEXT:
        return forms.CharField(
            max_length=LONG_TEXT_LENGTH,
            widget=forms.Textarea(attrs={"rows": 5}),
            error_messages={"max_length": _too_long(LONG_TEXT_LENGTH)},
            **common,
        )
    if kind == Kind.WHOLE_NUMBER:
        biggest = int(LARGEST)
        # A text box, as GOV.UK asks: a number box drops what is not a number unseen.
        return forms.IntegerField(
            min_value=0,
            max_value=biggest,
            widget=forms.TextInput(attrs={"inputmode": "numeric"}),
            error_messages={
                "invalid": _("Enter the answer as a whole number, like 12"),
                "min_value": _("The number cannot be less than 0"),
                "max_value": _("Enter a number no bigger than %(biggest)s")
                % {"biggest": f"{biggest:,}"},
            },
            **common,
        )
    if kind == Kind.MONEY:
        return PlainDecimalField(
            min_value=0,
            max_value=LARGEST,
            widget=forms.TextInput(attrs={"inputmode": "decimal"}),
            decimal_places=2,
            error_messages={
                "invalid": _("Enter the amount in pounds, like 1250 or 1250.50"),
                "min_value": _("The amount cannot be less than £0"),
                "max_value": _("Enter an amount no bigger than £%(biggest)s")
                % {"biggest": f"{LARGEST:,.2f}"},
                "max_decimal_places": _("Give the amount in pounds and pence, like 1250.50"),
                "max_digits": _("Enter an amount no bigger than £%(biggest)s")
                % {"biggest": f"{LARGEST:,.2f}"},
            },
            **common,
        )
    if kind == Kind.YES_NO:
        return forms.ChoiceField(choices=YES_NO, widget=forms.RadioSelect, **common)
    if kind == Kind.CHOICE:
        return forms.ChoiceField(
            choices=[(choice, choice) for choice in row.choices],
            widget=forms.RadioSelect,
            error_messages={"invalid_choice": _("Choose one of the answers offered")},
            **common,
        )
    if kind == Kind.DATE:
        return DayMonthYearField(**common)
    accepted = str(_("PDF, Word, Excel or an image (PNG, JPEG, GIF), up to 10 MB."))
    field = forms.FileField(
        label=label, required=False, help_text=" ".join(p for p in [hint, accepted] if p)
    )
    field.widget.attrs["accept"] = EVIDENCE_ACCEPT
    return field


class QuestionAnswersForm(VersionedForm):
    """One field for each question the return asks, in its order."""

    def __init__(self, *args, rows: list[QuestionRow], **kwargs):
        super().__init__(*args, **kwargs)
        self.question_rows = rows
        for row in rows:
            self.fields[row.field_name] = question_field(row)
            if not self.is_bound:
                self.initial[row.field_name] = self._initial(row)
        # A required question is asked for when the return is submitted, so not marked optional.
        self.conditionally_required = {row.field_name for row in rows if row.question.required}
        self.order_fields([row.field_name for row in rows] + ["version"])

    @staticmethod
    def _initial(row: QuestionRow):
        answer = row.answer
        if row.kind in (Kind.SHORT_TEXT, Kind.LONG_TEXT):
            return answer.text
        if row.kind == Kind.WHOLE_NUMBER:
            return None if answer.number is None else int(answer.number)
        if row.kind == Kind.MONEY:
            return answer.number
        if row.kind == Kind.YES_NO:
            return _as_choice(answer.yes_no)
        if row.kind == Kind.DATE:
            return answer.date
        if row.kind == Kind.CHOICE:
            return answer.choice
        return None

    @property
    def rows(self):
        return [(row, self[row.field_name]) for row in self.question_rows]

    def clean(self):
        data = super().clean()
        for row in self.question_rows:
            upload = data.get(row.field_name)
            if row.kind == Kind.FILE and upload:
                try:
                    check_evidence_file(upload)
                except forms.ValidationError as error:
                    self.add_error(row.field_name, error)
        return data

    @property
    def answers(self) -> dict[int, object]:
        """Each question's answer, typed as the service takes it."""
        answers = {}
        for row in self.question_rows:
            if row.kind == Kind.FILE:
                continue
            value = self.cleaned_data.get(row.field_name)
            answers[row.question.pk] = _yes_no(value or "") if row.kind == Kind.YES_NO else value
        return answers

    @property
    def files_given(self) -> dict[int, list]:
        return {
            row.question.pk: [self.cleaned_data[row.field_name]]
            for row in self.question_rows
            if row.kind == Kind.FILE and self.cleaned_data.get(row.field_name)
        }


class FundQuestionForm(AccessibleFormMixin, forms.ModelForm):
    """One question of a fund, as its council sets it."""

    class Meta:
        model = FundQuestion
        fields = ["order", "wording", "help_text", "kind", "choices", "required", "retired"]
        widgets = {
            "help_text": forms.Textarea(attrs={"rows": 2}),
            "choices": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {
            "order": _("Order in the return"),
            "wording": _("Question"),
            "help_text": _("Help text (optional)"),
            "kind": _("Kind of answer"),
            "choices": _("Choices, one per line (for one of a list)"),
            "required": _("The provider must answer it before submitting"),
            "retired": _("Retired: no longer asked"),
        }
        error_messages = {
            "wording": {"required": _("Enter the question")},
            "order": {"required": _("Enter the question's place in the return, like 1")},
        }

    def clean(self):
        data = super().clean()
        if data.get("kind") == Kind.CHOICE and len(choice_list(data.get("choices", ""))) < 2:
            self.add_error(
                "choices", _("Give at least two choices, one per line, for one of a list")
            )
        return data

    def validate_constraints(self, exclude=None):
        # The fund is set by the service; the form checks the question's own fields.
        pass


FundQuestionFormSet = forms.modelformset_factory(
    FundQuestion, form=FundQuestionForm, extra=1, max_num=50, validate_max=True, can_delete=False
)
