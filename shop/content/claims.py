"""Modest wording: find the health claims a clinic may not make in its texts.

Singapore's Healthcare Services Act (s31A) bars advertising the treatment of
ailments; MOH's example of a breach is a TCM clinic saying it treats
hypertension or diabetes. The shop's texts say "may help relieve", never
"cures", "guaranteed" or "treats diabetes". The dashboard's forms warn staff
before they save such a text (they may still save it, on purpose).
"""

import re

from django import forms
from django.core.exceptions import ValidationError

# Words that promise an outcome, whatever follows them.
_PROMISES = (
    r"cur(?:e|es|ed|ing|ative)",
    r"guarantee(?:s|d)?",
    r"miracle(?:s)?",
    r"miraculous(?:ly)?",
    r"100\s?%\s+(?:effective|success(?:ful)?|safe|results?)",
    r"permanent(?:ly)?\s+(?:relief|fix|solution|results?)",
)
# Ailments a text must not say it treats.
_AILMENTS = (
    r"diabet(?:es|ic)", r"hypertension", r"high\s+blood\s+pressure", r"cancers?", r"tumou?rs?",
    r"strokes?", r"asthma", r"depression", r"anxiety", r"insomnia", r"infertility", r"eczema",
    r"psoriasis", r"(?:osteo)?arthritis", r"gout", r"migraines?", r"sciatica",
    r"(?:slipped|herniated|prolapsed)\s+discs?", r"covid(?:-19)?", r"heart\s+disease",
    r"kidney\s+disease", r"dementia", r"obesity", r"pain",
)  # fmt: skip
_TREATING = (
    r"(?:treat(?:s|ed|ing)?|heal(?:s|ed|ing)?|reverse(?:s|d)?|eliminat(?:e|es|ed|ing)"
    r"|get(?:s)?\s+rid\s+of|fix(?:es|ed)?|overcome(?:s)?)"
)
_FILLER = (
    r"(?:\s+(?:your|the|all|any|chronic|severe|acute|lower|upper|knee|back|joint|nerve"
    r"|type\s+[12]))*"
)
# Chinese: radical or guaranteed cure, miraculous effect, guarantee; treating an ailment.
_CHINESE = (
    r"根治|治愈|包治|神效|奇效|特效|保证|保證"
    r"|治疗?(?:糖尿病|高血压|癌症?|中风|哮喘|抑郁症?|失眠|不孕)"
)

CLAIMS = re.compile(
    rf"\b(?:{'|'.join(_PROMISES)})\b"
    rf"|\b{_TREATING}{_FILLER}\s+(?:{'|'.join(_AILMENTS)})\b"
    rf"|{_CHINESE}",
    re.IGNORECASE,
)


def claims_find(*, text: str) -> list[str]:
    """Return the claims a text makes ("cures", "treats diabetes"), each once, in order."""
    found: list[str] = []
    for match in CLAIMS.finditer(text or ""):
        phrase = " ".join(match.group(0).split())
        if phrase.lower() not in (f.lower() for f in found):
            found.append(phrase)
    return found


class ModestWordingMixin:
    """A dashboard form that warns before it saves a text making a health claim.

    The form comes back with the warning and a "Save anyway" box; ticked, it saves.
    `claims_fields` names the text fields to read.
    """

    claims_fields: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Hidden until there is something to warn about (see clean()).
        self.fields["save_anyway"] = forms.BooleanField(
            required=False,
            label="Save anyway: I have checked the wording",
            widget=forms.HiddenInput,
        )

    def clean(self):
        cleaned = super().clean()
        found = []
        for name in self.claims_fields:
            value = cleaned.get(name)
            if name in self.fields and isinstance(value, str):
                label = self.fields[name].label or name.replace("_", " ").capitalize()
                found += [f"“{claim}” ({label})" for claim in claims_find(text=value)]
        if found and not cleaned.get("save_anyway"):
            self.fields["save_anyway"].widget = forms.CheckboxInput()
            raise ValidationError(
                "Check the wording before saving: Singapore's rules on advertising "
                "healthcare do not allow promising a cure or saying a treatment treats an "
                "illness. Found: %(found)s. Write “may help relieve …” instead, or tick "
                "“Save anyway” to save it as it is.",
                code="health_claim",
                params={"found": ", ".join(found)},
            )
        return cleaned
