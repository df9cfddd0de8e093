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
#   mailpart.py ENTRY dump DIR        all of it at once into DIR: env-KEY,
#       header-to, header-subject, types, text, params (TYPE NAME=VALUE
#       lines), message.eml, and the first part of each attachment type
#       as att.pdf, att.tif, att.p7m (one python start instead of many)
import email
import os
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


def dump(env, raw, msg, d):
    os.makedirs(d, exist_ok=True)
    for f in os.listdir(d):
        os.unlink(os.path.join(d, f))
    for k, v in env.items():
        open(os.path.join(d, 'env-' + k), 'w').write('\n'.join(v) + '\n')
    open(os.path.join(d, 'message.eml'), 'wb').write(raw)
    for h in ('To', 'Subject'):
        if msg[h] is not None:
            open(os.path.join(d, 'header-' + h.lower()), 'w').write(
                str(msg[h]) + '\n')
    leaves = [p for p in msg.walk() if not p.is_multipart()]
    types = open(os.path.join(d, 'types'), 'w')
    params = open(os.path.join(d, 'params'), 'w')
    names = {'application/pdf': 'att.pdf', 'image/tiff': 'att.tif',
             'application/pkcs7-mime': 'att.p7m'}
    for p in leaves:
        t = p.get_content_type()
        types.write(t + '\n')
        for k, v in p.get_params()[1:]:
            params.write('%s %s=%s\n' % (t, k, v))
        out = os.path.join(d, names.get(t, 'text' if t == 'text/plain'
                                        else 'other'))
        if os.path.exists(out):
            continue
        if t == 'text/plain':
            open(out, 'w').write(p.get_content())
        else:
            open(out, 'wb').write(p.get_payload(decode=True))
    return 0


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
    if what == 'dump':
        return dump(env, raw, msg, sys.argv[3])
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
