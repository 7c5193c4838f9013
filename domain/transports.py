"""How messages leave: email over SMTP, SMS through a provider. The SMS default keeps the
message in the outbox and the log (nothing leaves the machine); `http` posts it to a
provider's endpoint. Chosen by configuration (MAIL_*, SMS_*)."""

from __future__ import annotations

import json
import logging
import smtplib
import ssl
import urllib.error
import urllib.request
from email.message import EmailMessage
from email.utils import make_msgid

from .outbox import Composed, DeliveryError

log = logging.getLogger(__name__)


class SmtpEmail:
    def __init__(self, host, port, *, sender, security="none", username=None, password=None, timeout=10):
        self.host, self.port, self.sender = host, port, sender
        self.security, self.username, self.password, self.timeout = security, username, password, timeout

    def send(self, to: str, content: Composed) -> None:
        message = EmailMessage()
        message["Subject"] = content.subject
        message["From"] = self.sender
        message["To"] = to
        message["Message-ID"] = make_msgid(domain=self.sender.rpartition("@")[2] or None)
        message.set_content(content.text)
        if content.html:
            message.add_alternative(content.html, subtype="html")
        try:
            with self._connect() as smtp:
                if self.username:
                    smtp.login(self.username, self.password or "")
                smtp.send_message(message)
        except (OSError, smtplib.SMTPException) as error:
            raise DeliveryError(f"{self.host}:{self.port}: {error}") from error

    def _connect(self) -> smtplib.SMTP:
        if self.security == "ssl":
            return smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=ssl.create_default_context())
        smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        if self.security == "starttls":
            smtp.starttls(context=ssl.create_default_context())
        return smtp


class LogSms:
    """The default provider: the message stays in the outbox (marked sent) and the log."""

    def send(self, to: str, content: Composed) -> None:
        log.info("SMS to %s: %s", to, content.text)


class HttpSms:
    """POSTs {"to", "text"} as JSON with a bearer token; any 2xx is sent."""

    def __init__(self, url: str, token: str | None = None, timeout: float = 10):
        self.url, self.token, self.timeout = url, token, timeout

    def send(self, to: str, content: Composed) -> None:
        body = json.dumps({"to": to, "text": content.text}).encode()
        headers = {"Content-Type": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        request = urllib.request.Request(self.url, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                response.read()
        except urllib.error.HTTPError as error:
            raise DeliveryError(f"SMS provider answered {error.code}") from error
        except OSError as error:
            raise DeliveryError(f"SMS provider unreachable: {error}") from error


class Transports:
    def __init__(self, email: SmtpEmail, sms):
        self.email, self.sms = email, sms

    def send(self, channel: str, destination: str, content: Composed) -> None:
        if channel == "email":
            self.email.send(destination, content)
        elif channel == "sms":
            self.sms.send(destination, content)
        else:
            raise DeliveryError(f"no transport for {channel}")


def transports_from(config) -> Transports:
    email = SmtpEmail(config["MAIL_HOST"], config["MAIL_PORT"], sender=config["MAIL_SENDER"],
                      security=config["MAIL_SECURITY"], username=config["MAIL_USERNAME"],
                      password=config["MAIL_PASSWORD"], timeout=config["MAIL_TIMEOUT"])  # fmt: skip
    sms = HttpSms(config["SMS_HTTP_URL"], config["SMS_HTTP_TOKEN"]) if config["SMS_PROVIDER"] == "http" else LogSms()
    return Transports(email, sms)
