"""QuickSelect writes the same HTML as WTForms' Select (it only writes it faster)."""

from werkzeug.datastructures import MultiDict
from wtforms import Form, SelectField
from wtforms.fields.choices import SelectChoice

from talentpool.web.form_fields import QuickSelect

CHOICES = [
    SelectChoice(0, "すべて"),
    SelectChoice(5, '<盛岡"市>&'),
    SelectChoice(7, ""),
    SelectChoice(9, "属性つき", render_kw={"disabled": True}),
]


class Plain(Form):
    f = SelectField(choices=CHOICES, coerce=int)


class Quick(Form):
    f = SelectField(choices=CHOICES, coerce=int, widget=QuickSelect())


def test_quick_select_renders_exactly_what_select_renders() -> None:
    for data in ({}, {"f": "5"}, {"f": "7"}, {"f": "0"}):
        plain, quick = Plain(MultiDict(data)), Quick(MultiDict(data))
        assert str(quick.f()) == str(plain.f())
        assert str(quick.f(class_="wide")) == str(plain.f(class_="wide"))
    html = str(Quick(MultiDict({"f": "5"})).f())
    assert '<option selected value="5">&lt;盛岡&#34;市&gt;&amp;</option>' in html
    assert '<option value="7">7</option>' in html  # no label: the value, as WTForms does
