"""Cost of one Bedrock SigV4 signature: Switchboard's signer against botocore's SigV4Auth.

Run: .venv/bin/python bench/bedrock_signing.py  (prints figures; not a test)
"""

from __future__ import annotations

import time
import timeit

from switchboard.adapters.outbound.providers.bedrock.signing import AwsCredentials, SigV4Signer

BODY = b'{"messages":[{"role":"user","content":[{"text":"' + b"x" * 1000 + b'"}]}]}'
HOST = "bedrock-runtime.us-east-1.amazonaws.com"
PATH = "/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse"


def main() -> None:
    signer = SigV4Signer(AwsCredentials("AKIDEXAMPLE", "secret", "token"), "us-east-1")
    runs = 20_000
    ours = min(timeit.repeat(lambda: signer.headers(HOST, PATH, BODY, time.time()), number=runs, repeat=5))
    print(f"switchboard signer: {ours / runs * 1e6:7.1f} µs per request")

    started = time.perf_counter()
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    print(f"botocore import:    {(time.perf_counter() - started) * 1e3:7.1f} ms")
    credentials = Credentials("AKIDEXAMPLE", "secret", "token")

    def botocore_sign() -> None:
        request = AWSRequest(
            method="POST",
            url=f"https://{HOST}{PATH}",
            data=BODY,
            headers={"content-type": "application/json"},
        )
        SigV4Auth(credentials, "bedrock", "us-east-1").add_auth(request)

    runs = 5_000
    theirs = min(timeit.repeat(botocore_sign, number=runs, repeat=5))
    print(f"botocore SigV4Auth: {theirs / runs * 1e6:7.1f} µs per request")


if __name__ == "__main__":
    main()
