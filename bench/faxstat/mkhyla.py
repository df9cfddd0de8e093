#!/usr/bin/env python3
"""mkhyla.py SPOOL N OWNER: writes N HylaFAX send jobs, sendq/q1 .. sendq/qN, in
the "tag:value" form of HylaFAX's sendq(5), each with the tags hfaxd
writes for a one-document job (about 900 bytes, like a rampart job file),
so that HylaFAX's faxstat -s lists as many jobs as rampart's does.  The
jobs belong to OWNER: hfaxd lists only the jobs of the user who asks."""
import os
import random
import sys
import time


def main():
    spool, n, owner = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    rnd = random.Random(15)
    now = int(time.time())
    q = os.path.join(spool, "sendq")
    for jid in range(1, n + 1):
        tts = now - rnd.randint(0, 7 * 86400)
        tries = rnd.randint(0, 3)
        pages = rnd.randint(1, 20)
        lines = [
            ("tts", tts), ("killtime", tts + 3 * 3600), ("retrytime", 0),
            ("state", rnd.choice([3, 3, 3, 5, 6])), ("npages", 0),
            ("totpages", pages), ("nskip", 0), ("skippages", 0),
            ("ncover", 0), ("coverpages", 0), ("ntries", 0),
            ("ndials", tries), ("totdials", tries), ("maxdials", 12),
            ("tottries", tries), ("maxtries", 3), ("pagewidth", 209),
            ("resolution", 196), ("pagelength", 296), ("priority", 127),
            ("schedpri", 127), ("minbr", 0), ("desiredbr", 13),
            ("desiredst", 0), ("desiredec", 2), ("desireddf", 0),
            ("desiredtl", 0), ("useccover", 1), ("usexvres", 0),
            ("external", "0%09d" % rnd.randint(0, 10**9 - 1)),
            ("number", "0%09d" % rnd.randint(0, 10**9 - 1)),
            ("mailaddr", "sender%d@clinic.example" % rnd.randint(0, 999)),
            ("sender", "acct%03d" % rnd.randint(0, 199)),
            ("jobid", jid), ("jobtag", ""), ("pagehandling", ""),
            ("modem", "any"), ("faxnumber", ""), ("tsi", ""),
            ("receiver", ""), ("company", ""), ("location", ""),
            ("voice", ""), ("fromcompany", ""), ("fromlocation", ""),
            ("fromvoice", ""), ("regarding", "Lab results %d" % jid),
            ("comments", ""), ("cover", ""), ("client", "localhost"),
            ("owner", owner),
            ("groupid", jid), ("signalrate", ""), ("dataformat", ""),
            ("jobtype", "facsimile"), ("tagline", ""), ("subaddr", ""),
            ("passwd", ""), ("doneop", "default"), ("commid", ""),
            ("csi", ""), ("nsf", ""), ("status",
                                        "Busy signal detected" if tries else ""),
            ("errorcode", ""), ("returned", 0), ("notify", "none"),
            ("pagechop", "default"), ("chopthreshold", 3),
            ("!tiff", "0::docq/doc%d.tif" % jid),
        ]
        path = os.path.join(q, "q%d" % jid)
        with open(path, "w") as f:
            f.write("".join("%s:%s\n" % kv for kv in lines))
        os.chmod(path, 0o600)
    with open(os.path.join(spool, "etc", "xferfaxlog"), "a"):
        pass


main()
