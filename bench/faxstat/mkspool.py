#!/usr/bin/env python3
"""mkspool.py SPOOL JOBS DONE: fills an existing spool (rampart-setup made
it) with JOBS queued jobs (jobs/ID/job) and DONE finished ones (done/ID/job
with result.1), written in the formats of rampart-spool(5): the keys in
the page's order, values escaped as lib/kv writes them.  Every job file is
a real one, about 700 bytes, as queued writes it; pages.tif is left out
(faxstat never opens it)."""
import os
import random
import sys
import uuid

KEYS = ("id number pages first_page try account subaddress version message "
        "e164 address mail_from message_id subject recipients notify "
        "notify_success priority created state device not_before busy_tries "
        "last_outcome last_reason").split()


def write(path, lines):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write("".join("%s = %s\n" % kv for kv in lines))
    os.chmod(tmp, 0o640)
    os.rename(tmp, path)


def job(rnd, jid, now, done):
    pages = rnd.randint(1, 20)
    tries = rnd.randint(1, 4)
    state = rnd.choice(["ready", "ready", "ready", "held", "sending"])
    first = rnd.randint(1, pages)
    v = {
        "id": jid, "number": "0%09d" % rnd.randint(0, 10**9 - 1),
        "pages": pages, "first_page": first, "try": tries,
        "account": "acct%03d" % rnd.randint(0, 199), "subaddress": "",
        "version": 1, "message": str(uuid.UUID(int=rnd.getrandbits(128),
                                                version=4)),
        "e164": "+4930%08d" % rnd.randint(0, 10**8 - 1),
        "address": "+493012345678@fax.example",
        "mail_from": "sender%d@clinic.example" % rnd.randint(0, 999),
        "message_id": "<%s@clinic.example>" % jid,
        "subject": "Lab results for patient \\xc3\\xa9 %d" % rnd.randint(0, 99999),
        "recipients": 1, "notify": "per-recipient", "notify_success": 1,
        "priority": 127, "created": now - rnd.randint(0, 7 * 86400),
        "state": "ready" if done else state,
        "device": "ttyS%d" % rnd.randint(0, 3) if state == "sending" and not done else "",
        "not_before": now + rnd.randint(-3600, 3600),
        "busy_tries": 0, "last_outcome": "recoverable" if tries > 1 else "",
        "last_reason": "busy" if tries > 1 else "",
    }
    lines = [(k, v[k]) for k in KEYS]
    lines += [("document", "%d letter.pdf" % pages)]
    if done:
        ok = rnd.random() < 0.8
        lines += [("outcome", "ok" if ok else "failed"),
                  ("reason", "" if ok else "no_answer"),
                  ("finished", v["created"] + rnd.randint(60, 86400)),
                  ("notice", "%s dsn" % uuid.UUID(int=rnd.getrandbits(128),
                                                   version=4))]
    return lines, v


def result(v, now):
    return [("id", v["id"]), ("try", 1), ("device", "ttyS0"),
            ("outcome", "ok"), ("reason", "ok"), ("t30_status", 0),
            ("t30_text", "OK"), ("pages_total", v["pages"]),
            ("first_page", 1), ("pages_sent", v["pages"]),
            ("pages_confirmed", v["pages"]), ("next_page", v["pages"] + 1),
            ("remote_id", "+49 30 1234567"), ("bit_rate", 14400),
            ("ecm", 1), ("rtn", 0), ("started", v["created"] + 30),
            ("duration", 20 * v["pages"])]


def main():
    spool, njobs, ndone = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    rnd = random.Random(15)
    now = int(os.environ.get("NOW", "0")) or __import__("time").time().__int__()
    for area, n in (("jobs", njobs), ("done", ndone)):
        for _ in range(n):
            jid = str(uuid.UUID(int=rnd.getrandbits(128), version=4))
            d = os.path.join(spool, area, jid)
            os.mkdir(d, 0o750)
            lines, v = job(rnd, jid, now, area == "done")
            if area == "done":
                write(os.path.join(d, "result.1"), result(v, now))
            write(os.path.join(d, "job"), lines)


main()
