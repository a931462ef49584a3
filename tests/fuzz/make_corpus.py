#!/usr/bin/env python3
"""Regenerates the seed corpora in corpus/<target>/.

Every credential in a seed is generated here at random and is not real. Each
line that holds one carries the `twilio-guard:allow` marker, so scanning this
repository does not block on its own seeds (the fuzzer mutates the marker
away soon enough). Run it again only to change the seeds: the files are
committed so that fuzz runs are reproducible.
"""
import base64
import json
import os
import random
import shutil

HERE = os.path.dirname(os.path.abspath(__file__))
ALLOW = "twilio-guard:allow"
rng = random.Random(20261122)


def hex_(n):
    return "".join(rng.choice("0123456789abcdef") for _ in range(n))


def alnum(n):
    chars = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
    while True:
        value = "".join(rng.choice(chars) for _ in range(n))
        if any(c.isupper() for c in value) and any(c.islower() for c in value):
            return value


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def write(target, name, data):
    os.makedirs(os.path.join(HERE, "corpus", target), exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(HERE, "corpus", target, name), "wb") as f:
        f.write(data)


def text_seeds():
    sid, token, sk, secret = "AC" + hex_(32), hex_(32), "SK" + hex_(32), alnum(32)
    jwt = ".".join([
        b64url(json.dumps({"typ": "JWT", "alg": "HS256", "cty": "twilio-fpa;v=1"}).encode()),
        b64url(json.dumps({"jti": sk + "-1", "iss": sk, "sub": sid}).encode()),
        b64url(bytes(rng.randrange(256) for _ in range(32))),
    ])
    basic = base64.b64encode(f"{sid}:{token}".encode()).decode()
    sk_basic = base64.b64encode(f"{sk}:{secret}".encode()).decode()
    m = f"  # {ALLOW}"
    return {
        "env": f"TWILIO_ACCOUNT_SID={sid}{m}\nTWILIO_AUTH_TOKEN={token}{m}\n",
        "python": f'client = Client("{sid}", "{token}"){m}\n',
        "curl": f"curl -u {sid}:{token} https://api.twilio.com/{m}\n",
        "api_key": f"TWILIO_API_KEY={sk}{m}\nTWILIO_API_SECRET={secret}{m}\n",
        "api_key_pair": f"auth = ('{sk}', '{secret}'){m}\n",
        "jwt": f"token = '{jwt}'{m}\n",
        "basic": f"Authorization: Basic {basic}{m}\nAuthorization: Basic {sk_basic}{m}\n",
        "k8s": f"data:\n  auth_token: {base64.b64encode(token.encode()).decode()}{m}\n",
        "xml": f'<add key="TwilioAuthToken" value="{token}" />{m}\n<add key="sid" value="{sid}" />{m}\n',
        "negatives": "TWILIO_AUTH_TOKEN=${TWILIO_AUTH_TOKEN}\nmd5 = " + hex_(32) +
                     "\nauth_token = os.environ['TWILIO_AUTH_TOKEN']\ncommit " + hex_(40) + "\n",
        "unicode": f"# é ü ✓ 😀\nauthToken: \"{token}\"{m}\n",
        "crlf": f"TWILIO_AUTH_TOKEN={token}{m}\r\nsid={sid}{m}\r\n",
    }


def main():
    shutil.rmtree(os.path.join(HERE, "corpus"), ignore_errors=True)
    seeds = text_seeds()
    for name, text in seeds.items():
        write("scanner", name, text)
    write("scanner", "empty", "")
    write("scanner", "binary", b"\x00\x01\x02\xff\xfe" + seeds["env"].encode())

    for name in ("env", "jwt", "basic"):
        write("blob", name, seeds[name])
        write("blob", name + "_utf16le", b"\xff\xfe" + seeds[name].encode("utf-16-le"))
        write("blob", name + "_utf16be", b"\xfe\xff" + seeds[name].encode("utf-16-be"))
    write("blob", "nul", b"x\x00" + seeds["env"].encode())

    for i, data in enumerate([b"", b"f", b"fo", b"foo", bytes(range(256)), "é✓".encode()]):
        write("codec", f"bytes{i}", data)
    write("codec", "base64", base64.b64encode(b"AC" + hex_(32).encode()))
    write("codec", "base64url", b64url(bytes(rng.randrange(256) for _ in range(40))))
    write("codec", "bad", b"QU=N?")

    headers = [
        {"typ": "JWT", "alg": "HS256", "cty": "twilio-fpa;v=1"},
        {"alg": "HS256", "typ": "JWT"},
        {"cty": ["twilio-fpa;v=1"]},
        {"cty": "twilio-fpa;v=2", "kid": "SK" + hex_(32)},
    ]
    for i, header in enumerate(headers):
        write("jwt", f"header{i}", json.dumps(header, separators=(",", ":")))
    write("jwt", "duplicate_keys", '{"cty":"x","cty":"twilio-fpa;v=1"}')
    write("jwt", "escapes", '{"cty":"twilio-fpa\\u003bv=1"}')


if __name__ == "__main__":
    main()
