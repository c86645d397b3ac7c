"""The sign-in and password-reset forms: Django's own, with the kernel's input cleaning and
messages that say what to do (GOV.UK error messages), not Django's "This field is required."
"""

from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm

from config.kernel.inputs import CleanInputMixin


def _messages(form, required: dict[str, str]) -> None:
    for name, message in required.items():
        form.fields[name].error_messages["required"] = message


class SignInForm(CleanInputMixin, AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "Enter a correct username and password (both are case-sensitive)",
        "inactive": "This account has been deactivated: ask an administrator",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _messages(self, {"username": "Enter your username", "password": "Enter your password"})


class ResetRequestForm(CleanInputMixin, PasswordResetForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _messages(self, {"email": "Enter the email address for your account"})
        self.fields["email"].error_messages["invalid"] = (
            "Enter an email address in the correct format, like name@example.com"
        )


class NewPasswordForm(CleanInputMixin, SetPasswordForm):
    error_messages = {
        **SetPasswordForm.error_messages,
        "password_mismatch": "The two passwords do not match: type the same password twice",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _messages(
            self,
            {
                "new_password1": "Enter a new password",
                "new_password2": "Enter the new password again to confirm it",
            },
        )
