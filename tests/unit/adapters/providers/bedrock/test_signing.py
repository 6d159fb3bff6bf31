from __future__ import annotations

import calendar

import pytest

from switchboard.adapters.outbound.providers.bedrock.signing import AwsCredentials, SigV4Signer, canonical_path
from tests.support.bedrock_upstream import signature_problem

SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
NOW = calendar.timegm((2024, 1, 2, 3, 4, 5))
BODY = b'{"messages":[{"role":"user","content":[{"text":"Hi"}]}]}'


def signed(signer: SigV4Signer, host: str, path: str, body: bytes = BODY, now: float = NOW) -> dict[str, str]:
    return signer.headers(host, path, body, now)


@pytest.mark.parametrize(
    "path",
    [
        "/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse",
        "/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Aapplication-inference-profile%2Fabc/converse-stream",
        "/proxy/bedrock/model/amazon.titan-embed-text-v2%3A0/invoke",
    ],
)
def test_signatures_match_botocores(path: str) -> None:
    signer = SigV4Signer(AwsCredentials("AKIDEXAMPLE", SECRET), "us-east-1")
    host = "bedrock-runtime.us-east-1.amazonaws.com"
    headers = signed(signer, host, path)
    assert signature_problem("POST", f"https://{host}{path}", headers, BODY, secret=SECRET) is None


def test_temporary_credentials_sign_and_send_the_session_token() -> None:
    signer = SigV4Signer(AwsCredentials("ASIAEXAMPLE", SECRET, "session-token-value"), "eu-west-1")
    headers = signed(signer, "127.0.0.1:8080", "/model/m/converse")
    assert headers["x-amz-security-token"] == "session-token-value"
    assert "SignedHeaders=content-type;host;x-amz-date;x-amz-security-token," in headers["authorization"]
    url = "http://127.0.0.1:8080/model/m/converse"
    assert signature_problem("POST", url, headers, BODY, secret=SECRET) is None


def test_the_authorization_header_names_key_scope_and_signed_headers() -> None:
    signer = SigV4Signer(AwsCredentials("AKIDEXAMPLE", SECRET), "us-west-2")
    headers = signed(signer, "h", "/model/m/converse")
    assert headers["x-amz-date"] == "20240102T030405Z"
    assert headers["authorization"].startswith(
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240102/us-west-2/bedrock/aws4_request, "
        "SignedHeaders=content-type;host;x-amz-date, Signature="
    )


def test_a_wrong_secret_does_not_verify() -> None:
    signer = SigV4Signer(AwsCredentials("AKIDEXAMPLE", "not-the-secret"), "us-east-1")
    headers = signed(signer, "h", "/model/m/converse")
    assert signature_problem("POST", "https://h/model/m/converse", headers, BODY, secret=SECRET) == "signature mismatch"


def test_the_signing_key_follows_the_utc_day() -> None:
    signer = SigV4Signer(AwsCredentials("AKIDEXAMPLE", SECRET), "us-east-1")
    signed(signer, "h", "/model/m/converse", now=NOW)
    tomorrow = NOW + 86400
    headers = signed(signer, "h", "/model/m/converse", now=tomorrow)
    assert "/20240103/" in headers["authorization"]
    assert signature_problem("POST", "https://h/model/m/converse", headers, BODY, secret=SECRET) is None


def test_an_empty_body_signs_the_empty_hash() -> None:
    signer = SigV4Signer(AwsCredentials("AKIDEXAMPLE", SECRET), "us-east-1")
    headers = signed(signer, "h", "/model/m/invoke", body=b"")
    assert signature_problem("POST", "https://h/model/m/invoke", headers, b"", secret=SECRET) is None


def test_the_canonical_path_encodes_an_encoded_path_again() -> None:
    assert canonical_path("/model/a%3A0/converse") == "/model/a%253A0/converse"
    assert canonical_path("") == "/"


def test_credentials_never_print_their_secrets() -> None:
    text = repr(AwsCredentials("AKIDEXAMPLE", SECRET, "token-xyz"))
    assert SECRET not in text and "token-xyz" not in text
