"""Forms for the course pages. The JSON API validates through the same forms, so both give the same errors.

Every rule of bad input lives here: weight above 0 and at most 400 kg, a daily dose at most the pack's guard
(2 mg/kg/day for isotretinoin), no dates before the course start or in the future, lab values in a unit the lab
uses and within a possible range.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm
from django.core.validators import DecimalValidator
from django.utils import timezone

from rxplain.course import phq9, units
from rxplain.course.models import Course, DoseChange
from rxplain.course.rules import CourseRules
from rxplain.course.safety import SEVERITY
from rxplain.course.schedule import day_text

MAX_WEIGHT_KG = 400
MAX_LOG_RANGE_DAYS = 366
YES_NO = [("yes", "Yes"), ("no", "No")]


def today() -> date:
    return timezone.localdate()


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def loosen_digits(field: forms.DecimalField) -> None:
    """Drop the "at most N digits" check so our own, plainer range message is the one shown."""
    field.max_digits = None
    field.validators = [v for v in field.validators if not isinstance(v, DecimalValidator)]
    field.validators.append(DecimalValidator(None, field.decimal_places))


def check_weight(weight: Decimal | None) -> None:
    if weight is None:
        return
    if weight <= 0:
        raise forms.ValidationError("Enter your weight in kilograms: a number above 0.", code="weight")
    if weight > MAX_WEIGHT_KG:
        raise forms.ValidationError(f"Enter your weight in kilograms (at most {MAX_WEIGHT_KG} kg). "
                                    "If you know it in pounds, divide by 2.2.", code="weight")


def check_dose(mg: Decimal | None, weight: Decimal | None, rules: CourseRules) -> None:
    if mg is None:
        return
    if mg <= 0:
        raise forms.ValidationError("Enter the daily dose in mg: a number above 0.", code="dose")
    if weight and weight > 0 and float(mg) / float(weight) > rules.max_mg_per_kg_per_day:
        raise forms.ValidationError(
            f"{mg:g} mg a day is more than {rules.max_mg_per_kg_per_day:g} mg per kg of body weight "
            f"({float(mg) / float(weight):.1f} mg/kg). Check the dose on your prescription label "
            "and the weight you entered.", code="dose")


def check_day(day: date | None, first: date | None, what: str = "The date") -> None:
    if day is None:
        return
    if day > today():
        raise forms.ValidationError(f"{what} cannot be in the future.", code="future")
    if first and day < first:
        raise forms.ValidationError(f"{what} cannot be before {day_text(first)}.", code="too_early")


class SignUpForm(UserCreationForm):
    email = forms.EmailField(help_text="For reminders about check-ins and blood tests. We never share it.")

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ("username", "email")


class CourseForm(forms.ModelForm):
    """Start a course: the record plus its first prescribed daily dose."""

    can_become_pregnant = forms.TypedChoiceField(
        label="Can you become pregnant?", choices=YES_NO, coerce=lambda v: v == "yes", widget=forms.RadioSelect,
        help_text="If yes, the check-ins ask about birth control and pregnancy tests.")
    mg_per_day = forms.DecimalField(label="Prescribed daily dose (mg)", max_digits=5, decimal_places=1,
                                    help_text="The total mg you take each day, as on your prescription.")

    class Meta:
        model = Course
        fields = ["start_date", "weight_kg", "brand", "can_become_pregnant"]
        labels = {"start_date": "First day you took the medicine", "weight_kg": "Weight (kg)",
                  "brand": "Brand or product name"}
        widgets = {"start_date": DateInput(), "brand": forms.TextInput(attrs={"list": "brands"})}
        help_texts = {"brand": "As on the pharmacy label, e.g. Absorica or a generic.",
                      "weight_kg": "In kilograms, e.g. 70 or 70.5."}

    def __init__(self, *args, rules: CourseRules, **kwargs):
        super().__init__(*args, **kwargs)
        self.rules = rules
        loosen_digits(self.fields["weight_kg"])
        if "mg_per_day" in self.fields:
            loosen_digits(self.fields["mg_per_day"])

    def clean_weight_kg(self):
        weight = self.cleaned_data.get("weight_kg")
        check_weight(weight)
        return weight

    def clean_start_date(self):
        day = self.cleaned_data.get("start_date")
        check_day(day, None, "The first day")
        return day

    def clean(self):
        data = super().clean()
        try:
            check_dose(data.get("mg_per_day"), data.get("weight_kg"), self.rules)
        except forms.ValidationError as exc:
            self.add_error("mg_per_day", exc)
        return data


class CourseEditForm(forms.ModelForm):
    can_become_pregnant = CourseForm.base_fields["can_become_pregnant"]

    class Meta:
        model = Course
        fields = ["weight_kg", "brand", "can_become_pregnant", "end_date"]
        labels = {"weight_kg": "Weight (kg)", "brand": "Brand or product name",
                  "end_date": "Last day of treatment (leave blank while you are still taking it)"}
        widgets = {"end_date": DateInput()}

    def __init__(self, *args, rules: CourseRules, **kwargs):
        super().__init__(*args, **kwargs)
        self.rules = rules
        loosen_digits(self.fields["weight_kg"])
        self.initial["can_become_pregnant"] = "yes" if self.instance.can_become_pregnant else "no"

    def clean_weight_kg(self):
        weight = self.cleaned_data.get("weight_kg")
        check_weight(weight)
        if weight:
            for change in self.instance.dose_changes.all():
                check_dose(change.mg_per_day, weight, self.rules)
        return weight

    def clean_end_date(self):
        day = self.cleaned_data.get("end_date")
        check_day(day, self.instance.start_date, "The last day")
        return day


class DoseChangeForm(forms.ModelForm):
    class Meta:
        model = DoseChange
        fields = ["start_date", "mg_per_day", "note"]
        labels = {"start_date": "First day of the new dose", "mg_per_day": "New daily dose (mg)",
                  "note": "Note (optional)"}
        widgets = {"start_date": DateInput()}

    def __init__(self, *args, course: Course, rules: CourseRules, **kwargs):
        super().__init__(*args, **kwargs)
        self.course, self.rules = course, rules
        loosen_digits(self.fields["mg_per_day"])

    def clean_start_date(self):
        day = self.cleaned_data.get("start_date")
        check_day(day, self.course.start_date, "The first day of the new dose")
        if day and self.course.dose_changes.filter(start_date=day).exists():
            raise forms.ValidationError("There is already a dose starting on this day.", code="duplicate")
        return day

    def clean_mg_per_day(self):
        mg = self.cleaned_data.get("mg_per_day")
        check_dose(mg, self.course.weight_kg, self.rules)
        return mg

    def save(self, commit: bool = True) -> DoseChange:
        self.instance.course = self.course
        return super().save(commit)


class DoseTodayForm(forms.Form):
    taken = forms.TypedChoiceField(label="Today's dose", choices=[("yes", "I took it"), ("no", "I missed it")],
                                   coerce=lambda v: v == "yes", widget=forms.RadioSelect)


class DoseRangeForm(forms.Form):
    first = forms.DateField(label="From", widget=DateInput())
    last = forms.DateField(label="To (inclusive)", widget=DateInput())
    taken = forms.TypedChoiceField(label="On each of these days", choices=[("yes", "I took my dose"),
                                                                          ("no", "I missed my dose")],
                                   coerce=lambda v: v == "yes", widget=forms.RadioSelect)

    def __init__(self, *args, course: Course, **kwargs):
        super().__init__(*args, **kwargs)
        self.course = course

    def clean(self):
        data = super().clean()
        last_allowed = min(today(), self.course.end_date) if self.course.end_date else None
        for name, label in (("first", "The first day"), ("last", "The last day")):
            try:
                check_day(data.get(name), self.course.start_date, label)
                if last_allowed and data.get(name) and data[name] > last_allowed:
                    raise forms.ValidationError(f"{label} cannot be after the end of your course.")
            except forms.ValidationError as exc:
                self.add_error(name, exc)
        first, last = data.get("first"), data.get("last")
        if first and last and first > last:
            self.add_error("last", "The last day must be on or after the first day.")
        elif first and last and (last - first).days >= MAX_LOG_RANGE_DAYS:
            self.add_error("last", f"Enter at most {MAX_LOG_RANGE_DAYS} days at a time.")
        return data

    def days(self) -> list[date]:
        first, last = self.cleaned_data["first"], self.cleaned_data["last"]
        return [first + timedelta(days=n) for n in range((last - first).days + 1)]


class CheckInForm(forms.Form):
    """The monthly check-in; its fields come from the pack (side effects) and the course (pregnancy questions)."""

    notes = forms.CharField(label="Anything else you want to tell your care team (optional)", required=False,
                            max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, course: Course, rules: CourseRules, **kwargs):
        super().__init__(*args, **kwargs)
        self.course, self.rules = course, rules
        severity = [(value, name.capitalize()) for value, name in SEVERITY.items()]
        for effect in rules.side_effects:
            self.fields[f"se_{effect.id}"] = forms.TypedChoiceField(
                label=effect.label, choices=severity, coerce=int, initial=0, required=False, empty_value=0)
        if rules.phq9:
            for n, item in enumerate(phq9.ITEMS, start=1):
                self.fields[f"phq9_{n}"] = forms.TypedChoiceField(
                    label=f"{n}. {item}", choices=phq9.CHOICES, coerce=int, widget=forms.RadioSelect,
                    error_messages={"required": "Choose one answer."})
        self.asks_pregnancy = rules.asks_pregnancy(course.can_become_pregnant)
        if self.asks_pregnancy:
            methods = [("", "Choose a method")] + [(m, m) for m in (rules.abstinence, *rules.contraception_choices)]
            self.fields["contraception_method_1"] = forms.ChoiceField(label="Birth control method 1", choices=methods)
            self.fields["contraception_method_2"] = forms.ChoiceField(
                label="Birth control method 2", choices=methods, required=False,
                help_text="Not needed if you chose abstinence.")
            self.fields["contraception_confirmed"] = forms.TypedChoiceField(
                label="Have you used both methods every time since your last check-in?", choices=YES_NO,
                coerce=lambda v: v == "yes", widget=forms.RadioSelect)
            self.fields["pregnancy_test_date"] = forms.DateField(label="Date of your latest pregnancy test",
                                                                 widget=DateInput())
            self.fields["pregnancy_test_result"] = forms.ChoiceField(
                label="Result of that test", choices=[("negative", "Negative"), ("positive", "Positive")],
                widget=forms.RadioSelect)

    def side_effect_fields(self) -> list:
        return [self[f"se_{e.id}"] for e in self.rules.side_effects]

    def phq9_fields(self) -> list:
        return [self[f"phq9_{n}"] for n in range(1, len(phq9.ITEMS) + 1)] if self.rules.phq9 else []

    def pregnancy_fields(self) -> list:
        names = ("contraception_method_1", "contraception_method_2", "contraception_confirmed",
                 "pregnancy_test_date", "pregnancy_test_result")
        return [self[n] for n in names if n in self.fields]

    def clean(self):
        data = super().clean()
        if not self.asks_pregnancy:
            return data
        first, second = data.get("contraception_method_1"), data.get("contraception_method_2")
        if first and first != self.rules.abstinence:
            if not second:
                self.add_error("contraception_method_2", f"Choose your second method: "
                               f"{self.rules.contraception_methods} methods are needed.")
            elif second == first:
                self.add_error("contraception_method_2", "Choose a different method from method 1.")
        try:
            earliest = self.course.start_date + timedelta(days=min(self.rules.earliest_lab_day, -30))
            check_day(data.get("pregnancy_test_date"), earliest, "The test date")
        except forms.ValidationError as exc:
            self.add_error("pregnancy_test_date", exc)
        return data

    def record(self) -> dict:
        """Model fields of the CheckIn from the cleaned data."""
        data = self.cleaned_data
        fields = {
            "side_effects": {e.id: data[f"se_{e.id}"] for e in self.rules.side_effects if data[f"se_{e.id}"]},
            "phq9_answers": [data[f"phq9_{n}"] for n in range(1, 10)] if self.rules.phq9 else [],
            "notes": data.get("notes", ""),
        }
        if self.asks_pregnancy:
            fields.update(
                contraception_method_1=data["contraception_method_1"],
                contraception_method_2=data.get("contraception_method_2") or "",
                contraception_confirmed=data["contraception_confirmed"],
                pregnancy_test_date=data["pregnancy_test_date"],
                pregnancy_test_result=data["pregnancy_test_result"],
            )
        return fields


class LabForm(forms.Form):
    test = forms.ChoiceField(label="Test")
    day = forms.DateField(label="Date of the blood test", widget=DateInput())
    value = forms.DecimalField(label="Result", max_digits=8, decimal_places=2,
                               help_text="The number as printed on your lab report.")
    unit = forms.ChoiceField(label="Unit", help_text="As printed next to the number on your report.")

    def __init__(self, *args, course: Course, rules: CourseRules, **kwargs):
        super().__init__(*args, **kwargs)
        self.course, self.rules = course, rules
        self.fields["test"].choices = [(lab.id, lab.name) for lab in rules.labs]
        all_units = dict.fromkeys(u for lab in rules.labs for u in lab.units)
        self.fields["unit"].choices = [(u, u) for u in all_units]

    def clean_day(self):
        day = self.cleaned_data.get("day")
        earliest = self.course.start_date + timedelta(days=self.rules.earliest_lab_day)
        check_day(day, earliest, "The test date")
        return day

    def clean(self):
        data = super().clean()
        test, value, unit = data.get("test"), data.get("value"), data.get("unit")
        if test and value is not None and unit:
            rule = self.rules.lab(test)
            if unit not in rule.units:
                self.add_error("unit", f"{rule.name} is measured in {' or '.join(rule.units)}, not {unit}.")
            else:
                try:
                    units.check(float(value), unit, rule)
                except units.UnitError as exc:
                    self.add_error("value", str(exc))
        return data


class LinkForm(forms.Form):
    code = forms.CharField(label="Invitation code from your clinician", max_length=16,
                           help_text="8 letters and numbers, e.g. K7PQ2MXA.")

    def clean_code(self):
        return "".join(self.cleaned_data["code"].split()).upper()


class LabsDueForm(forms.ModelForm):
    class Meta:
        model = Course
        fields = ["labs_next_due"]
        labels = {"labs_next_due": "Next blood tests due on"}
        widgets = {"labs_next_due": DateInput()}


class DeleteAccountForm(forms.Form):
    password = forms.CharField(label="Your password", widget=forms.PasswordInput,
                               help_text="To confirm it is you.")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That password is not right.")
        return password
