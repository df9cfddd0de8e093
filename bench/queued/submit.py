#!/usr/bin/env python3
"""submit: one message over STARTTLS + AUTH PLAIN, as an MFP sends it;
prints the time smtpd's 250 arrived and the queue id.
usage: submit.py PORT USER PASSWORD RCPT[,RCPT...] FILE"""
import smtplib, ssl, sys, time
from email import policy
from email.message import EmailMessage
port, user, pw, rcpts, path = sys.argv[1:6]
m = EmailMessage()
m["From"] = "scanner@clinic.test"
m["To"] = rcpts
m["Subject"] = "scan"
m.set_content("scanned document attached")
m.add_attachment(open(path, "rb").read(), maintype="application",
                 subtype="pdf", filename="scan.pdf")
ctx = ssl.create_default_context()
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE
s = smtplib.SMTP("127.0.0.1", int(port))
s.starttls(context=ctx)
s.login(user, pw)
s.mail("scanner@clinic.test")
for r in rcpts.split(","):
    s.rcpt(r)
code, msg = s.data(m.as_bytes(policy=policy.SMTP))	# CRLF: smtpd refuses bare LF
t = time.time()
s.quit()

if code != 250:
    sys.exit("refused: %d %s" % (code, msg))
print("%.6f %s" % (t, msg.decode().split()[-1]))
