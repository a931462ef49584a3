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
import struct
import subprocess
import tempfile

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


def pack_seeds():
    """Packs made by git, as the pack target reads them: a 4-byte big-endian
    index length, the index, the pack. Fixed dates, so one git version makes
    the same bytes every time."""
    seeds = {}
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, HOME=tmp, GIT_CONFIG_NOSYSTEM="1",
                   GIT_AUTHOR_NAME="T", GIT_AUTHOR_EMAIL="t@example.com",
                   GIT_COMMITTER_NAME="T", GIT_COMMITTER_EMAIL="t@example.com",
                   GIT_AUTHOR_DATE="2026-01-01T00:00:00Z", GIT_COMMITTER_DATE="2026-01-01T00:00:00Z")

        def git(*args, cwd=tmp, stdin=None):
            return subprocess.run(["git", *args], cwd=cwd, env=env, input=stdin, check=True,
                                  stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout

        def seed(index_path):
            with open(index_path, "rb") as f:
                index = f.read()
            with open(index_path[:-4] + ".pack", "rb") as f:
                pack = f.read()
            return struct.pack(">I", len(index)) + index + pack

        git("init", "-q", "-b", "main", ".")
        text = "".join(f"line {n} of a file that changes slowly\n" for n in range(60))
        for commit in range(6):
            text = text.replace(f"line {commit * 7} ", f"LINE {commit * 7} ")
            with open(os.path.join(tmp, "a.txt"), "w") as f:
                f.write(text)
            git("add", ".")
            git("commit", "-qm", f"change {commit}")
        git("repack", "-adqf", "--depth=10", "--window=10")
        pack_dir = os.path.join(tmp, ".git", "objects", "pack")
        index = next(os.path.join(pack_dir, n) for n in os.listdir(pack_dir) if n.endswith(".idx"))
        seeds["offset_deltas"] = seed(index)

        server = os.path.join(tmp, "server.git")
        git("init", "-q", "--bare", server)
        git("push", "-q", server, "main~1:refs/heads/main")
        thin = git("pack-objects", "-q", "--revs", "--thin", "--stdout", stdin=b"HEAD\n^HEAD~1\n")
        git("index-pack", "--stdin", "--fix-thin", cwd=server, stdin=thin)
        server_packs = os.path.join(server, "objects", "pack")
        completed = [n for n in os.listdir(server_packs) if n.endswith(".idx")]
        newest = max(completed, key=lambda n: os.path.getmtime(os.path.join(server_packs, n)))
        seeds["thin_completed"] = seed(os.path.join(server_packs, newest))

        blob = git("hash-object", "-w", "--stdin", stdin=b"one blob\n").strip()
        single = os.path.join(tmp, "single")
        git("pack-objects", "-q", single, stdin=blob + b"\n")
        index = next(os.path.join(tmp, n) for n in os.listdir(tmp) if n.startswith("single") and n.endswith(".idx"))
        seeds["one_blob"] = seed(index)
    return seeds


def tree_seeds():
    """Tree objects as stored (hook/git/trees.cpp parses them): every mode
    git writes, legacy ones, names that sort around '/', the empty tree."""
    def entry(mode, name):
        return mode.encode() + b" " + name.encode() + b"\0" + bytes(rng.randrange(256) for _ in range(20))

    return {
        "every_mode": b"".join(entry(m, n) for m, n in [
            ("100644", "a.txt"), ("100755", "b.sh"), ("120000", "c.link"), ("160000", "d.module"), ("40000", "e")]),
        "legacy_modes": entry("100664", "old.txt") + entry("100775", "old.sh") + entry("040000", "dir"),
        "tree_order": b"".join(entry(m, n) for m, n in [
            ("100644", "a-b"), ("100644", "a.b"), ("40000", "a"), ("100644", "a0")]),
        "many": b"".join(entry("100644", f"file{i:03}.py") for i in range(64)),
        "empty": b"",
    }


# The corpora this script writes; others (config) are kept by hand.
GENERATED = ("scanner", "codec", "jwt", "blob", "push_input", "pack", "tree")


def main():
    for target in GENERATED:
        shutil.rmtree(os.path.join(HERE, "corpus", target), ignore_errors=True)
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

    zero = "0" * 40
    a, b, c = hex_(40), hex_(40), hex_(40)
    write("push_input", "pre_receive", f"{a} {b} refs/heads/main\n{zero} {c} refs/heads/new\n{b} {zero} refs/tags/gone\n")
    write("push_input", "pre_receive_crlf", f"{a} {b} refs/heads/main\r\n\r\n")
    write("push_input", "pre_push", f"refs/heads/main {b} refs/heads/main {a}\n(delete) {zero} refs/heads/old {c}\n")
    write("push_input", "sha256", f"{hex_(64)} {hex_(64)} refs/heads/main\n")
    write("push_input", "truncated", f"{a} {b[:17]}")
    write("push_input", "extra_fields", f"{a} {b} refs/heads/main extra\n")

    for name, data in pack_seeds().items():
        write("pack", name, data)
    for name, data in tree_seeds().items():
        write("tree", name, data)


if __name__ == "__main__":
    main()
