#!/usr/bin/env python3
# mailpart: reads a notify/new entry (envelope, empty line, message) or a
# bare message and prints what the onramp tests check.
#   mailpart.py ENTRY env KEY         envelope values of KEY, one a line
#   mailpart.py ENTRY header NAME     a header of the message (decoded)
#   mailpart.py ENTRY types           the leaf parts' content types
#   mailpart.py ENTRY text            the text/plain part
#   mailpart.py ENTRY save TYPE OUT   the first part of TYPE, decoded, to OUT
#   mailpart.py ENTRY param TYPE NAME a content-type parameter of that part
#   mailpart.py ENTRY message OUT     the message alone (after the envelope)
import email
import email.policy
import sys


def load(path):
    data = open(path, 'rb').read()
    env = {}
    if data.startswith(b'version = '):
        head, _, data = data.partition(b'\n\n')
        for line in head.decode('ascii').split('\n'):
            k, _, v = line.partition(' = ')
            env.setdefault(k, []).append(v)
    return env, data


def main():
    env, raw = load(sys.argv[1])
    what = sys.argv[2]
    if what == 'env':
        for v in env.get(sys.argv[3], []):
            print(v)
        return 0
    if what == 'message':
        open(sys.argv[3], 'wb').write(raw)
        return 0
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    if what == 'header':
        v = msg[sys.argv[3]]
        if v is None:
            return 1
        print(str(v))
        return 0
    leaves = [p for p in msg.walk() if not p.is_multipart()]
    if what == 'types':
        for p in leaves:
            print(p.get_content_type())
        return 0
    if what == 'text':
        for p in leaves:
            if p.get_content_type() == 'text/plain':
                sys.stdout.write(p.get_content())
                return 0
        return 1
    for p in leaves:
        if p.get_content_type() != sys.argv[3]:
            continue
        if what == 'save':
            open(sys.argv[4], 'wb').write(p.get_payload(decode=True))
            return 0
        if what == 'param':
            v = p.get_param(sys.argv[4])
            if v is None:
                return 1
            print(v)
            return 0
    return 1


sys.exit(main())
