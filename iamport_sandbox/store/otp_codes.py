"""OTP identity checks (``/certifications/otp``): the code "sent by SMS" to the person's
phone, kept beside the certification record it will complete. The sandbox sends no SMS:
the test kit and the console read the code from here."""

from collections.abc import Mapping
from typing import Any

from iamport_sandbox.store.connection import Connection, Row, now

OTP_COLUMNS = ("code", "name", "phone", "birth", "gender_digit", "carrier", "is_mvno", "expires_at")


class OtpCodes(Connection):
    """The code of each OTP identity check, and the wrong tries against it."""

    def add_otp(self, merchant_id: int, imp_uid: str, values: Mapping[str, Any]) -> None:
        """The code and the person's details of a new OTP check of ``imp_uid``."""
        self._run(
            "INSERT INTO otp_requests (imp_uid, merchant_id, {}, created_at) "
            "VALUES (?, ?, {}, ?)".format(
                ", ".join(OTP_COLUMNS), ", ".join("?" for _ in OTP_COLUMNS)
            ),
            (imp_uid, merchant_id, *(values[name] for name in OTP_COLUMNS), now()),
        )

    def otp(self, merchant_id: int, imp_uid: str) -> Row | None:
        """The OTP check of ``imp_uid`` (its code included: for the test kit and console)."""
        return self._one(
            "SELECT * FROM otp_requests WHERE merchant_id = ? AND imp_uid = ?",
            (merchant_id, imp_uid),
        )

    def count_otp_attempt(self, merchant_id: int, imp_uid: str) -> None:
        """One more wrong code tried against the check."""
        self._run(
            "UPDATE otp_requests SET attempts = attempts + 1 WHERE merchant_id = ? AND imp_uid = ?",
            (merchant_id, imp_uid),
        )
