from django import forms

from .services import permit_publication_errors


class PermitCategoryAdminForm(forms.ModelForm):
    def clean(self):
        cleaned_data = super().clean()
        if "legal_sources" in cleaned_data:
            for field, message in permit_publication_errors(
                publication_status=cleaned_data.get("publication_status"),
                legal_sources=cleaned_data["legal_sources"],
            ).items():
                self.add_error(field, message)
        return cleaned_data
