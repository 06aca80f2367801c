from django import forms

from rxplain.feedback.models import ContactTicket, NpsResponse

SCORE_CHOICES = [(n, str(n)) for n in range(11)]


class NpsForm(forms.ModelForm):
    score = forms.TypedChoiceField(choices=SCORE_CHOICES, coerce=int, widget=forms.RadioSelect,
                                   error_messages={"required": "Please choose a number from 0 to 10."})
    visit = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    class Meta:
        model = NpsResponse
        fields = ["score", "comment"]


class HelpfulForm(forms.Form):
    page_id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    helpful = forms.ChoiceField(choices=[("yes", "Yes"), ("no", "No")])
    comment = forms.CharField(required=False, max_length=2000, widget=forms.Textarea)
    next = forms.CharField(required=False, max_length=500, widget=forms.HiddenInput)


class ContactForm(forms.ModelForm):
    class Meta:
        model = ContactTicket
        fields = ["name", "email", "message"]
        widgets = {"message": forms.Textarea(attrs={"rows": 6})}
